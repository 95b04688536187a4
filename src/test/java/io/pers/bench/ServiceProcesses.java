package io.pers.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * PostgreSQL, Temporal, a Kafka broker and anvil, each its own OS process ({@code io.pers.dev.DevService})
 * under one state folder: the services a production PERS is pointed at, without Docker. The Temporal
 * one is Temporal's Java test server, the one Temporal server to be had here without Docker.
 */
final class ServiceProcesses implements AutoCloseable {

    private static final List<String> SERVICES = List.of("postgres", "temporal", "kafka", "anvil");

    private final List<Process> processes = new ArrayList<>();
    private final Map<String, String> settings = new LinkedHashMap<>();

    private ServiceProcesses() {}

    /** Starts the four side by side and waits until each has printed where PERS finds it. */
    static ServiceProcesses start(Path folder) throws IOException {
        ServiceProcesses services = new ServiceProcesses();
        try {
            Map<String, Path> logs = new LinkedHashMap<>();
            for (String service : SERVICES) {
                Path log = folder.resolve(service + ".log");
                Files.createDirectories(folder);
                logs.put(service, log);
                services.processes.add(new ProcessBuilder(
                                PersProcess.javaBinary(),
                                "-cp",
                                PersProcess.devClasspath(),
                                "io.pers.dev.DevService",
                                service,
                                folder.resolve("state").toString(),
                                String.valueOf(PersProcess.freePort()))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start());
            }
            for (Map.Entry<String, Path> log : logs.entrySet()) {
                Awaitility.await(log.getKey() + " started (output in " + log.getValue() + ")")
                        .atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> services.settingsIn(log.getValue()));
            }
            return services;
        } catch (RuntimeException | IOException e) {
            services.close();
            throw e;
        }
    }

    /** What each service printed: the PERS properties that point at it. */
    Map<String, String> settings() {
        return Map.copyOf(settings);
    }

    private boolean settingsIn(Path log) throws IOException {
        boolean found = false;
        for (String line : Files.readAllLines(log)) {
            if (line.matches("(spring|pers)\\.[a-z.-]+=.+")) {
                int equals = line.indexOf('=');
                settings.put(line.substring(0, equals), line.substring(equals + 1));
                found = true;
            }
        }
        return found;
    }

    /** SIGTERM: each service stops cleanly (PostgreSQL and anvil with their state). */
    @Override
    public void close() {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
