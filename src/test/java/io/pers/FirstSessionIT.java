package io.pers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.pers.support.ApiTest;
import io.pers.support.Script;
import io.pers.webhook.Receiver;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's first session, run as written: the first bash block under "A first session with the
 * API" is taken out of README.md and run with bash against this test's PERS, from nothing to a
 * rewarded Shopify order and a partner's webhook, so the README cannot drift from the product.
 */
class FirstSessionIT extends ApiTest {

    private static final String SECTION = "## A first session with the API\n";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @Test
    void theReadmesFirstSessionEarnsPointsForAShopifyOrderAndTellsThePartner() throws Exception {
        requireTools();
        Path work = Files.createTempDirectory("pers-first-session-");
        try (Receiver partner = new Receiver()) {
            String partnerUrl = partner.endpoint(204);
            Script session = Script.run(
                    new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + readmeSession()).directory(work.toFile()),
                    Map.of(
                            "H", "http://localhost:" + port,
                            "ADMIN_EMAIL", PLATFORM_EMAIL,
                            "ADMIN_PASSWORD", PLATFORM_PASSWORD,
                            "PARTNER_URL", partnerUrl),
                    work.resolve("output.txt"),
                    Duration.ofMinutes(3));
            String printed = session.output();
            assertThat(session.succeeded())
                    .as("the README's first session ran to its end:%n%s", printed)
                    .isTrue();

            List<String> lines = printed.lines().toList();
            JsonNode claim = lines.stream()
                    .filter(line -> line.startsWith("{\"id\""))
                    .map(JSON::readTree)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no claim printed:\n" + printed));
            assertThat(claim.path("status").asString()).isEqualTo("COMPLETED");
            JsonNode balances = lines.stream()
                    .filter(line -> line.startsWith("[{"))
                    .map(JSON::readTree)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no balance printed:\n" + printed));
            assertThat(balances.get(0).path("amount").asString())
                    .as("80.00 EUR at a point per euro")
                    .isEqualTo("80");
            assertThat(printed).contains("\"valid\":true");

            String secret = JSON.readTree(work.resolve("webhook.json").toFile())
                    .path("secret")
                    .asString();
            await().atMost(Duration.ofSeconds(30)).until(() -> completed(partner.received(partnerUrl)) != null);
            LoggedRequest message = completed(partner.received(partnerUrl));
            Receiver.verify(secret, message);
            JsonNode data = JSON.readTree(message.getBodyAsString()).path("data");
            assertThat(data.path("claimId").asString())
                    .isEqualTo(claim.path("id").asString());
            assertThat(data.path("userId").asString())
                    .isEqualTo(claim.path("userId").asString());
        }
    }

    /** The first fenced bash block of the README's first-session section, as a reader copies it. */
    static String readmeSession() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf(SECTION);
        assertThat(section).as("README.md has the section %s", SECTION.strip()).isNotNegative();
        int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
        int end = readme.indexOf("\n```", start);
        return readme.substring(start, end + 1);
    }

    private static LoggedRequest completed(List<LoggedRequest> received) {
        return received.stream()
                .filter(r -> r.getBodyAsString().contains("\"type\":\"claim.completed\""))
                .findFirst()
                .orElse(null);
    }

    /** Fails, never skips, without what the README's session runs on. */
    private static void requireTools() {
        for (String tool : List.of("bash", "curl", "jq", "openssl")) {
            assertThat(Stream.of(System.getenv("PATH").split(File.pathSeparator))
                            .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool))))
                    .as("the README's first session needs %s on the PATH", tool)
                    .isTrue();
        }
    }
}
