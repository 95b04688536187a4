package io.pers;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.dev.StaleProcess;
import io.pers.support.Api;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Starts PERS the way the README tells a newcomer to ({@code ./mvnw spring-boot:run}), on a fresh
 * state folder and free ports, reads the banner, and makes one authenticated call. The start is
 * quiet (libraries log warnings only) and the banner is the last thing printed, so it stays on screen.
 */
class ReadmeStartIT {

    /** PERS's own start-up lines (database, master key, Temporal, Kafka, anvil) and a few warnings. */
    private static final int MOST_LINES_BEFORE_BANNER = 30;

    private static final Pattern API = Pattern.compile("API\\s+(http://\\S+)/v2");
    private static final Pattern PASSWORD = Pattern.compile("password\\s+(\\S+)");

    @Test
    void theReadmeRunCommandServesAnAuthenticatedApi() throws Exception {
        Path home = Files.createTempDirectory("pers-readme-");
        List<String> command = new ArrayList<>(List.of(
                "./mvnw",
                "-q",
                "spring-boot:run",
                "-Dspring-boot.run.arguments=--pers.home=" + home + " --server.port=0 --pers.embedded.postgres.port=0"
                        + " --pers.temporal.embedded-port=0 --pers.kafka.embedded-port=0 --pers.chain.anvil-port=0"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> pump(process, lines), "readme-run-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String baseUrl = null;
            String password = null;
            int beforeBanner = -1;
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            StringBuilder seen = new StringBuilder();
            int printed = 0;
            while (password == null && Instant.now().isBefore(deadline) && (process.isAlive() || !lines.isEmpty())) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    continue;
                }
                seen.append(line).append('\n');
                if (line.contains("PERS is ready")) {
                    beforeBanner = printed;
                }
                printed++;
                Matcher api = API.matcher(line);
                if (api.find()) {
                    baseUrl = api.group(1);
                }
                Matcher pw = PASSWORD.matcher(line);
                if (baseUrl != null && pw.find()) {
                    password = pw.group(1);
                }
            }
            assertThat(password)
                    .as("the banner with the admin's credentials; output:\n" + seen)
                    .isNotNull();

            Api api = new Api(baseUrl);
            Api.Response token = api.post(
                    "/v2/auth/token",
                    Map.of("grantType", "PASSWORD", "email", "admin@pers.local", "password", password));
            assertThat(token.status()).as(token.toString()).isEqualTo(200);
            Api.Response tenants = api.bearer(token.text("accessToken")).get("/v2/tenants");
            assertThat(tenants.status()).as(tenants.toString()).isEqualTo(200);
            assertThat(api.get("/actuator/health").json().path("status").asString())
                    .isEqualTo("UP");

            assertThat(beforeBanner)
                    .as("lines printed before the banner (libraries' INFO is off):\n" + seen)
                    .isBetween(0, MOST_LINES_BEFORE_BANNER);
            Thread.sleep(5_000);
            List<String> after = new ArrayList<>();
            lines.drainTo(after);
            assertThat(after.stream().filter(line -> !line.isBlank()))
                    .as("printed after the banner, which should stay the last thing on screen")
                    .isEmpty();
        } finally {
            // Checked by now: Maven's JVM and the PERS it launched are killed (PERS's clean stop, which
            // Maven waits for, took some 15 s and proves nothing here); the PostgreSQL and anvil they
            // leave behind are stopped and waited for.
            List<ProcessHandle> launched = process.descendants().toList();
            process.destroyForcibly();
            launched.forEach(ProcessHandle::destroyForcibly);
            process.waitFor(30, TimeUnit.SECONDS);
            StaleProcess.stopServicesOf(home);
            reader.interrupt();
        }
    }

    private static void pump(Process process, BlockingQueue<String> lines) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(output ended: " + e.getMessage() + ")");
        }
    }
}
