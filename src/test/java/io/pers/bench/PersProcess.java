package io.pers.bench;

import io.pers.dev.StaleProcess;
import io.pers.support.AnvilProcess;
import io.pers.support.PackagedJar;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * PERS as its own process on one state folder and fixed free ports, so it can be killed with SIGKILL
 * and started again on the same data, as an operator's machine would see it. Two launches: {@link
 * #developer} is the developer launch ({@code io.pers.dev.DevPers}, what {@code ./mvnw
 * spring-boot:run} runs) on this JVM's classpath, its embedded stack included; {@link #packaged} is
 * the packaged jar in production mode pointed at services running elsewhere (it has none of its own).
 */
final class PersProcess implements AutoCloseable {

    static final String ADMIN_EMAIL = "faults@pers.local";
    static final String ADMIN_PASSWORD = "faults-admin-password";

    private final Path home;
    private final List<String> launcher;
    /** The packaged jar runs from a folder of its own; the developer launch from the repository (tools/). */
    private final File workingFolder;

    private final Map<String, String> properties;
    private final int port;
    private final String jdbcUrl;
    private final String rpcUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;
    private Duration lastStart;

    private PersProcess(
            Path home,
            List<String> launcher,
            File workingFolder,
            Map<String, String> properties,
            String jdbcUrl,
            String rpcUrl)
            throws IOException {
        this.home = home;
        this.launcher = launcher;
        this.workingFolder = workingFolder;
        this.port = freePort();
        this.jdbcUrl = jdbcUrl;
        this.rpcUrl = rpcUrl;
        Map<String, String> all = new LinkedHashMap<>(Map.of(
                "pers.home",
                home.toString(),
                "server.port",
                String.valueOf(port),
                "pers.bootstrap.admin-email",
                ADMIN_EMAIL,
                "pers.bootstrap.admin-password",
                ADMIN_PASSWORD,
                "pers.webhooks.allow-private-targets",
                "true"));
        all.putAll(properties);
        this.properties = all;
    }

    /** The developer launch with its embedded stack on free ports; {@code tuning}: more properties of the run. */
    static PersProcess developer(Path home, Map<String, String> tuning) throws IOException {
        int postgres = freePort();
        int anvil = freePort();
        Map<String, String> ports = new LinkedHashMap<>(Map.of(
                "pers.embedded.postgres.port", String.valueOf(postgres),
                "pers.temporal.embedded-port", String.valueOf(freePort()),
                "pers.kafka.embedded-port", String.valueOf(freePort()),
                "pers.kafka.embedded-controller-port", String.valueOf(freePort()),
                "pers.chain.anvil-port", String.valueOf(anvil)));
        ports.putAll(tuning);
        return new PersProcess(
                home,
                List.of(javaBinary(), "-cp", devClasspath(), "io.pers.dev.DevPers"),
                null,
                ports,
                "jdbc:postgresql://127.0.0.1:" + postgres + "/pers",
                "http://127.0.0.1:" + anvil);
    }

    /**
     * {@code java -jar target/pers-*.jar --pers.mode=production} from its own working folder under
     * {@code home}; {@code settings}: where its services are, its master key and the run's tuning.
     */
    static PersProcess packaged(Path home, Map<String, String> settings) throws IOException {
        Map<String, String> production = new LinkedHashMap<>(settings);
        production.put("pers.mode", "production");
        return new PersProcess(
                home,
                List.of(javaBinary(), "-jar", PackagedJar.path().toString()),
                home.toFile(),
                production,
                settings.get("spring.datasource.url"),
                settings.get("pers.chain.rpc-url"));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String rpcUrl() {
        return rpcUrl;
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    /** How long the last start took, from launch to the banner. */
    Duration lastStart() {
        return lastStart;
    }

    Path home() {
        return home;
    }

    /** Starts PERS and waits until it serves HTTP (every embedded service is up by then). */
    void start() throws IOException {
        List<String> command = new ArrayList<>(launcher);
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        starts++;
        Files.createDirectories(home);
        File log = home.resolve("pers-" + starts + ".log").toFile();
        long launched = System.nanoTime();
        process = new ProcessBuilder(command)
                .directory(workingFolder)
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        // The banner, not the first HTTP answer: the web server answers while the rest still starts.
        Awaitility.await("PERS start " + starts + " (output in " + log + ")")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(500))
                .failFast(() -> !process.isAlive())
                .until(() -> Files.readString(log.toPath()).contains("PERS is ready") && serves());
        lastStart = Duration.ofNanos(System.nanoTime() - launched);
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
     * The end of a run: SIGKILL, as {@link #kill()} does on the way, then its PostgreSQL and anvil
     * (named by the pid files under the state folder; they outlive a killed PERS) are stopped and
     * waited for ({@link StaleProcess#stopServicesOf}), so the state folder is still when it is deleted or kept. Nothing is
     * checked after this, so PERS's own clean stop (SIGTERM) would prove nothing here and took
     * 15-30 s per instance (Camel stopping its routes and Kafka consumers gracefully).
     */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        StaleProcess.stopServicesOf(home);
    }

    /**
     * The test classpath this JVM runs on (the embedded stack's jars, io.pers.dev): failsafe names it
     * in {@code surefire.test.class.path} (its own class path is a manifest-only jar); bench/faults.sh
     * runs with it as the class path.
     */
    static String devClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
