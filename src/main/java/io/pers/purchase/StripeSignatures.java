package io.pers.purchase;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.crypto.Secrets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Stripe's webhook signature: {@code Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]},
 * each v1 an HMAC-SHA256 of {@code "<t>.<raw body>"} under the endpoint's secret. Several v1
 * entries appear while Stripe rolls the secret; any one may match. The timestamp must be within
 * the tolerance of now, so a captured delivery cannot be replayed later.
 */
final class StripeSignatures {

    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private StripeSignatures() {}

    static void verify(String header, byte[] payload, String secret, Instant now) {
        if (header == null || header.isBlank()) {
            throw invalid("Stripe-Signature header is missing");
        }
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            try {
                if (name.equals("t")) {
                    timestamp = Long.parseLong(value);
                } else if (name.equals("v1")) {
                    signatures.add(HexFormat.of().parseHex(value));
                }
            } catch (IllegalArgumentException e) { // a malformed entry matches nothing
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            throw invalid("Stripe-Signature has no timestamp or no v1 signature");
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > TOLERANCE.toSeconds()) {
            throw invalid("Stripe-Signature timestamp is outside the tolerance of " + TOLERANCE.toMinutes() + " min");
        }
        byte[] expected = sign(secret, timestamp, payload);
        boolean matched = false;
        for (byte[] signature : signatures) {
            matched |= Secrets.equal(expected, signature); // constant time; every entry is checked
        }
        if (!matched) {
            throw invalid("Stripe-Signature does not verify");
        }
    }

    /** The v1 signature of a payload signed at {@code timestamp} (what Stripe sends). */
    static byte[] sign(String secret, long timestamp, byte[] payload) {
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + payload.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(payload, 0, signed, prefix.length, payload.length);
        return Secrets.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), signed);
    }

    private static PersException invalid(String detail) {
        return new PersException(ErrorCode.PAYMENT_SIGNATURE_INVALID, detail);
    }
}
