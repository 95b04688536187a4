package io.pers.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The committed ABI + bytecode are what the sources compile to: the build compiles contracts/ into
 * target/contracts (pom.xml, compile-contracts), and solc's output is deterministic for the same
 * sources, version and settings. When this fails, run {@code npm run compile} in contracts/ and
 * commit what it writes.
 */
class ContractArtifactsTest {

    @ParameterizedTest
    @CsvSource({
        "target/contracts/main, src/main/resources/contracts",
        "target/contracts/test, src/test/resources/contracts"
    })
    void committedArtifactsMatchTheSources(Path compiled, Path committed) throws IOException {
        assertThat(compiled)
                .as("the build compiles contracts/ with node from npm into %s", compiled)
                .isDirectory();
        Map<String, String> fresh = contents(compiled);
        assertThat(fresh).isNotEmpty();
        assertThat(contents(committed))
                .as("%s against a fresh compile: run `npm run compile` in contracts/", committed)
                .isEqualTo(fresh);
    }

    private static Map<String, String> contents(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path file : list.toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return files;
    }
}
