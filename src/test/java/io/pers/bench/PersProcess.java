package io.pers.bench;

import io.pers.support.AnvilProcess;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * PERS as its own process on one state folder and fixed free ports, so it can be killed with SIGKILL
 * and started again on the same data, as an operator's machine would see it. It is the developer
 * launch ({@code io.pers.dev.DevPers}, what {@code ./mvnw spring-boot:run} runs) on this JVM's
 * classpath: the embedded stack lives only there, the packaged jar has none.
 */
final class PersProcess implements AutoCloseable {

    static final String ADMIN_EMAIL = "faults@pers.local";
    static final String ADMIN_PASSWORD = "faults-admin-password";

    private final Path home;
    private final Map<String, String> properties;
    private final int port;
    private final int anvilPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    /** {@code tuning}: more properties of this run (sweeper intervals, the webhook schedule...). */
    PersProcess(Path home, Map<String, String> tuning) throws IOException {
        this.home = home;
        this.port = freePort();
        this.anvilPort = freePort();
        int kafka = freePort();
        Map<String, String> all = new java.util.LinkedHashMap<>(Map.of(
                "pers.home", home.toString(),
                "server.port", String.valueOf(port),
                "pers.embedded.postgres.port", String.valueOf(freePort()),
                "pers.temporal.embedded-port", String.valueOf(freePort()),
                "pers.kafka.embedded-port", String.valueOf(kafka),
                "pers.kafka.embedded-controller-port", String.valueOf(freePort()),
                "pers.chain.anvil-port", String.valueOf(anvilPort),
                "pers.bootstrap.admin-email", ADMIN_EMAIL,
                "pers.bootstrap.admin-password", ADMIN_PASSWORD,
                "pers.webhooks.allow-private-targets", "true"));
        all.putAll(tuning);
        this.properties = all;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String rpcUrl() {
        return "http://127.0.0.1:" + anvilPort;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + properties.get("pers.embedded.postgres.port") + "/pers";
    }

    Path home() {
        return home;
    }

    /** Starts PERS and waits until it serves HTTP (every embedded service is up by then). */
    void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", devClasspath(), "io.pers.dev.DevPers"));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        starts++;
        File log = home.resolve("pers-" + starts + ".log").toFile();
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        // The banner, not the first HTTP answer: the web server answers while the rest still starts.
        Awaitility.await("PERS start " + starts + " (output in " + log + ")")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(500))
                .failFast(() -> !process.isAlive())
                .until(() -> Files.readString(log.toPath()).contains("PERS is ready") && serves());
    }

    /** SIGKILL: no shutdown hook runs; PostgreSQL and anvil outlive it until the next start. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The anvil PERS runs now. */
    AnvilProcess anvil() {
        return AnvilProcess.of(home);
    }

    private boolean serves() {
        try {
            http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A clean stop (SIGTERM): PERS stops its PostgreSQL and anvil itself. Whatever a run that failed
     * half-way left behind (named by the pid files under the state folder) is stopped too.
     */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        for (Path pidFile : List.of(home.resolve("anvil/anvil.pid"), home.resolve("postgres/postmaster.pid"))) {
            leftOver(pidFile).ifPresent(ProcessHandle::destroy);
        }
    }

    private static java.util.Optional<ProcessHandle> leftOver(Path pidFile) {
        try {
            String first = Files.readAllLines(pidFile).get(0).strip();
            return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException none) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The test classpath this JVM runs on (the embedded stack's jars, io.pers.dev): failsafe names it
     * in {@code surefire.test.class.path} (its own class path is a manifest-only jar); bench/faults.sh
     * runs with it as the class path.
     */
    private static String devClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
