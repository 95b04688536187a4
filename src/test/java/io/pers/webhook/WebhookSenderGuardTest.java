package io.pers.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.pers.outbound.OutboundGuard;
import io.pers.workflow.WorkerSettings;
import io.pers.workflow.webhook.WebhookTuning;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sender connects only through the SSRF guard, follows no redirect and shows no raw answer. */
class WebhookSenderGuardTest {

    /** The connection itself goes through the guard: a target refused at send time is never connected to. */
    @Test
    void theSenderConnectsOnlyThroughTheGuard() throws Exception {
        try (WebhookSender sender = new WebhookSender(new OutboundGuard(false, () -> false), tuning())) {
            WebhookSender.Response response = sender.post("http://127.0.0.1:9/hook", Map.of(), "{}");

            assertThat(response.statusCode()).isNull();
            assertThat(response.error()).startsWith("Refused target").contains("loopback");
        }
    }

    /**
     * A receiver (here on loopback, which this guard allows) redirecting toward a refused address:
     * the redirect is an answer, never followed, so the metadata address is never asked; and what
     * the receiver said comes back bounded and without control characters.
     */
    @Test
    void aRedirectTowardARefusedAddressIsNotFollowedAndTheAnswerIsSanitised() throws Exception {
        WireMockServer receiver = new WireMockServer(options().dynamicPort());
        receiver.start();
        try (WebhookSender sender = new WebhookSender(new OutboundGuard(true, () -> false), tuning())) {
            receiver.stubFor(any(anyUrl())
                    .willReturn(aResponse()
                            .withStatus(307)
                            .withHeader("Location", "http://169.254.169.254/latest/meta-data/")
                            .withBody("\u001b[2Jmoved\r\nX-Forged: yes" + "!".repeat(5000))));

            WebhookSender.Response response = sender.post(receiver.baseUrl() + "/hook", Map.of(), "{}");

            assertThat(response.statusCode()).isEqualTo(307);
            assertThat(response.delivered()).isFalse();
            assertThat(response.excerpt())
                    .hasSize(1000)
                    .startsWith(" [2Jmoved  X-Forged")
                    .doesNotContain("\r", "\n");
            assertThat(receiver.getAllServeEvents()).hasSize(1);
        } finally {
            receiver.stop();
        }
    }

    static WebhookTuning tuning() {
        return new WebhookTuning(
                List.of(Duration.ZERO),
                Duration.ofSeconds(15),
                Duration.ofDays(5),
                Duration.ofHours(24),
                1000,
                null,
                null,
                null,
                null,
                new WorkerSettings(1, 1, 1, 1, null));
    }
}
