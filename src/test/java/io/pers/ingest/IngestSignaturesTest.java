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

/** The generic verifier against independent signers: Standard Webhooks' reference library, Shopify's recipe. */
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

        assertThat(IngestSignatures.bodyHmac(secret, hmac, BODY)).isTrue();
        assertThat(IngestSignatures.bodyHmac(secret, hmac, "{}".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(IngestSignatures.bodyHmac(secret, null, BODY)).isFalse();
        assertThat(IngestSignatures.bodyHmac(secret, "not base64 at all", BODY)).isFalse();
    }

    private static Map<String, String> headers(String id, long timestamp, String signature) {
        return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signature);
    }
}
