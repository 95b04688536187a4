package io.pers.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The production artifact, {@code target/pers-*.jar}: {@code ./mvnw package} (failsafe runs after it) makes it. */
public final class PackagedJar {

    private PackagedJar() {}

    public static Path path() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("pers-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No target/pers-*.jar: run ./mvnw package first"))
                    .toAbsolutePath();
        }
    }
}
