package io.pers.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Our signing against the Standard Webhooks spec's test vector and its reference Java library. */
class WebhookSignaturesTest {

    /** The spec's own test vector (standard-webhooks libraries' shared tests). */
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void signsTheSpecsTestVector() {
        assertThat(WebhookSignatures.sign(
                        WebhookSignatures.key(SPEC_SECRET),
                        "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        1614265330,
                        "{\"test\": 2432232314}"))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void secretsAreWhsecAndAtLeast24RandomBytes() {
        byte[] key = WebhookSignatures.newKey();
        String secret = WebhookSignatures.secret(key);

        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSizeGreaterThanOrEqualTo(24);
        assertThat(WebhookSignatures.key(secret)).isEqualTo(key);
        assertThat(WebhookSignatures.secret(WebhookSignatures.newKey())).isNotEqualTo(secret);
    }

    @Test
    void theReferenceLibraryVerifiesEachKeyOfARotation() throws Exception {
        byte[] oldKey = WebhookSignatures.newKey();
        byte[] newKey = WebhookSignatures.newKey();
        String body = "{\"type\":\"claim.completed\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{}}";
        Map<String, List<String>> headers = asLists(WebhookSignatures.headers(
                List.of(newKey, oldKey), "3f1c", Instant.now().getEpochSecond(), body));

        assertThat(headers.get("webhook-signature").get(0).split(" ")).hasSize(2);
        new Webhook(WebhookSignatures.secret(newKey)).verify(body, headers);
        new Webhook(WebhookSignatures.secret(oldKey)).verify(body, headers);
        assertThatThrownBy(
                        () -> new Webhook(WebhookSignatures.secret(WebhookSignatures.newKey())).verify(body, headers))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook(WebhookSignatures.secret(newKey)).verify(body + " ", headers))
                .as("a changed body fails")
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void aTypeMatchesItselfAndEveryFamilyAboveIt() {
        assertThat(Subscriptions.filtersMatching("webhook.endpoint.disabled"))
                .containsExactly("webhook.endpoint.disabled", "webhook.*", "webhook.endpoint.*");
        assertThat(Subscriptions.filtersMatching("ping")).containsExactly("ping");
    }

    static Map<String, List<String>> asLists(Map<String, String> headers) {
        return headers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
    }
}
