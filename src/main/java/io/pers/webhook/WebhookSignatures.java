package io.pers.webhook;

import io.pers.crypto.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Standard Webhooks signing: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, keyed by the
 * bytes of a {@code whsec_<base64>} secret. Several keys (a rotation) give several signatures,
 * space-separated; a verifier accepts the message when any one matches.
 */
final class WebhookSignatures {

    static final String SECRET_PREFIX = "whsec_";
    /** 32 bytes: above the spec's minimum of 24, the size of the HMAC-SHA256 block's output. */
    static final int KEY_BYTES = 32;

    private WebhookSignatures() {}

    static byte[] newKey() {
        return Secrets.randomBytes(KEY_BYTES);
    }

    /** The secret as partners see it, once. */
    static String secret(byte[] key) {
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    static byte[] key(String secret) {
        return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    }

    static String sign(byte[] key, String messageId, long timestampSeconds, String body) {
        byte[] signed = Secrets.hmacSha256(
                key, (messageId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(signed);
    }

    /** The three Standard Webhooks headers for one attempt, signed with every key given. */
    static Map<String, String> headers(List<byte[]> keys, String messageId, long timestampSeconds, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", messageId);
        headers.put("webhook-timestamp", Long.toString(timestampSeconds));
        headers.put(
                "webhook-signature",
                keys.stream()
                        .map(key -> sign(key, messageId, timestampSeconds, body))
                        .collect(Collectors.joining(" ")));
        return headers;
    }
}
