package io.pers.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generic verifier against independent signers: Standard Webhooks' reference library, Square's published vector, Shopify's and HubSpot's recipes. */
class IngestSignaturesTest {

    private static final byte[] BODY = "{\"type\":\"com.example.x\",\"id\":\"e1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void acceptsWhatTheStandardWebhooksLibrarySignsAndNothingElse() throws Exception {
        String secret = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
        long now = 1_763_636_400L;
        String signature = new Webhook(secret).sign("msg_1", now, new String(BODY, StandardCharsets.UTF_8));
        IngestSignatures verifier = new IngestSignatures(Clock.fixed(Instant.ofEpochSecond(now + 10), ZoneOffset.UTC));
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);

        assertThat(verifier.standardWebhooks(key, headers("msg_1", now, signature), BODY, 300))
                .isTrue();
        assertThat(verifier.standardWebhooks(key, headers("msg_1", now, "v1,AAAA " + signature), BODY, 300))
                .as("one of several signatures")
                .isTrue();
        assertThat(verifier.standardWebhooks(key, headers("msg_2", now, signature), BODY, 300))
                .isFalse();
        assertThat(verifier.standardWebhooks(key, headers("msg_1", now - 1000, signature), BODY, 300))
                .isFalse();
        assertThat(verifier.standardWebhooks(key, Map.of("webhook-id", "msg_1"), BODY, 300))
                .isFalse();
    }

    @Test
    void shopifySignsTheRawBodyWithTheClientSecret() {
        byte[] secret = "shpss_secret".getBytes(StandardCharsets.UTF_8);
        String hmac = IngestIT.shopifyHmac("shpss_secret", BODY);

        assertThat(IngestSignatures.hmacBase64(secret, hmac, BODY)).isTrue();
        assertThat(IngestSignatures.hmacBase64(secret, hmac, "{}".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(IngestSignatures.hmacBase64(secret, null, BODY)).isFalse();
        assertThat(IngestSignatures.hmacBase64(secret, "not base64 at all", BODY))
                .isFalse();
    }

    @Test
    void squareSignsTheNotificationUrlThenTheBody() {
        // The vector of Square's own SDKs' tests (WebhooksHelper.verifySignature).
        String body = "{\"merchant_id\":\"MLEFBHHSJGVHD\",\"type\":\"webhooks.test_notification\","
                + "\"event_id\":\"ac3ac95b-f97d-458c-a6e6-18981597e05f\","
                + "\"created_at\":\"2022-07-13T20:30:59.037339943Z\","
                + "\"data\":{\"type\":\"webhooks\",\"id\":\"bc368e64-01aa-407e-b46e-3231809b1129\"}}";
        String url = "https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9";
        byte[] key = "Ibxx_5AKakO-3qeNVR61Dw".getBytes(StandardCharsets.UTF_8);
        String signature = "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=";

        assertThat(IngestSignatures.hmacBase64(key, signature, (url + body).getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(IngestSignatures.hmacBase64(
                        key, signature, ("https://elsewhere.example/" + body).getBytes(StandardCharsets.UTF_8)))
                .isFalse();
    }

    @Test
    void hubSpotV3SignsMethodUrlBodyAndARecentTimestamp() {
        // HubSpot publishes no vector: signed here as its request-validation page describes.
        byte[] secret = "hubspot-client-secret".getBytes(StandardCharsets.UTF_8);
        String url = "https://pers.example.com/v2/ingest/hubspot/0b6c5f1e-7f3a-4d2b-9c1e-2a3b4c5d6e7f";
        long nowMs = 1_763_636_400_000L;
        String timestamp = Long.toString(nowMs - 60_000);
        String signature = Base64.getEncoder()
                .encodeToString(IngestIT.hmac(
                        secret,
                        ("POST" + url + new String(BODY, StandardCharsets.UTF_8) + timestamp)
                                .getBytes(StandardCharsets.UTF_8)));
        IngestSignatures verifier = new IngestSignatures(Clock.fixed(Instant.ofEpochMilli(nowMs), ZoneOffset.UTC));

        assertThat(verifier.methodUrlBodyTimestamp(secret, signature, url, BODY, timestamp, 300))
                .isTrue();
        assertThat(verifier.methodUrlBodyTimestamp(secret, signature, url + "x", BODY, timestamp, 300))
                .isFalse();
        assertThat(verifier.methodUrlBodyTimestamp(secret, signature, url, BODY, Long.toString(nowMs), 300))
                .isFalse();
        assertThat(verifier.methodUrlBodyTimestamp(secret, signature, url, BODY, timestamp, 30))
                .as("older than the tolerance")
                .isFalse();
        assertThat(verifier.methodUrlBodyTimestamp(secret, signature, url, BODY, null, 300))
                .isFalse();
    }

    private static Map<String, String> headers(String id, long timestamp, String signature) {
        return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signature);
    }
}
