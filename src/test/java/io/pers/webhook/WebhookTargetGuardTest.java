package io.pers.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pers.api.PersException;
import io.pers.workflow.webhook.WebhookTuning;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SSRF guard with private targets not allowed, as in production. */
class WebhookTargetGuardTest {

    private final TargetGuard guard = new TargetGuard(false);

    @Test
    void refusesInternalAddresses() throws Exception {
        for (String address : List.of(
                "127.0.0.1",
                "::1",
                "10.1.2.3",
                "172.16.0.1",
                "192.168.1.1",
                "169.254.169.254",
                "169.254.1.1",
                "fe80::1",
                "fd12:3456::1",
                "100.64.0.1",
                "0.0.0.0",
                "224.0.0.1")) {
            assertThat(guard.refusal(InetAddress.getByName(address)))
                    .as(address)
                    .isNotNull();
        }
        assertThat(guard.refusal(InetAddress.getByName("93.184.216.34"))).isNull();
        assertThat(guard.refusal(InetAddress.getByName("2606:2800:220:1:248:1893:25c8:1946")))
                .isNull();
    }

    @Test
    void refusesAtSubscriptionTimeWithAStableCode() {
        for (String url : List.of(
                "http://169.254.169.254/latest/meta-data/",
                "http://localhost:8080/hook",
                "http://[::1]/",
                "http://10.0.0.1/")) {
            assertThatThrownBy(() -> guard.check(url))
                    .as(url)
                    .isInstanceOfSatisfying(
                            PersException.class,
                            e -> assertThat(e.code().name()).isEqualTo("WEBHOOK_TARGET_REFUSED"));
        }
        assertThatThrownBy(() -> guard.check("ftp://example.com/"))
                .isInstanceOfSatisfying(
                        PersException.class, e -> assertThat(e.code().name()).isEqualTo("VALIDATION_FAILED"));
        assertThat(guard.check("https://93.184.216.34/hook").getHost()).isEqualTo("93.184.216.34");
    }

    @Test
    void metadataStaysRefusedWhenPrivateTargetsAreAllowed() throws Exception {
        TargetGuard local = new TargetGuard(true);
        assertThat(local.refusal(InetAddress.getByName("127.0.0.1"))).isNull();
        assertThat(local.refusal(InetAddress.getByName("169.254.169.254"))).isNotNull();
        assertThat(local.refusal(InetAddress.getByName("fd00:ec2::254"))).isNotNull();
    }

    /** The connection itself goes through the guard: a target refused at send time is never connected to. */
    @Test
    void theSenderConnectsOnlyThroughTheGuard() throws Exception {
        try (WebhookSender sender = new WebhookSender(guard, tuning())) {
            WebhookSender.Response response = sender.post("http://127.0.0.1:9/hook", Map.of(), "{}");

            assertThat(response.statusCode()).isNull();
            assertThat(response.error()).startsWith("Refused target").contains("loopback");
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
                new WebhookTuning.Worker(1, 1, 1, 1));
    }
}
