package io.pers.ingest;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.crypto.Secrets;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The routes' first step: verifies a delivery with the scheme its connector.yaml names, comparing
 * in constant time. A missing or forged signature stops the route with 401 before anything is
 * parsed or stored. Secrets never leave this class, and never reach a log.
 */
@Component("ingestSignatures")
class IngestSignatures {

    private final Clock clock;

    IngestSignatures() {
        this(Clock.systemUTC());
    }

    IngestSignatures(Clock clock) {
        this.clock = clock;
    }

    public void verify(Exchange exchange) {
        Connectors.Connector connector = exchange.getProperty(Ingest.CONNECTOR, Connectors.Connector.class);
        ConnectorConnections.Resolved connection =
                exchange.getProperty(Ingest.CONNECTION, ConnectorConnections.Resolved.class);
        @SuppressWarnings("unchecked")
        Map<String, String> headers = exchange.getIn().getHeader(Ingest.HTTP_HEADERS, Map.class);
        byte[] body = exchange.getIn().getBody(byte[].class);
        boolean valid =
                switch (connector.scheme()) {
                    case HMAC_SHA256_BODY_BASE64 ->
                        bodyHmac(
                                connection.secret(),
                                headers.get(connector.signatureHeader().toLowerCase()),
                                body);
                    case STANDARD_WEBHOOKS ->
                        standardWebhooks(connection.secret(), headers, body, connector.toleranceSeconds());
                };
        if (!valid) {
            throw new PersException(ErrorCode.INVALID_SIGNATURE);
        }
    }

    static boolean bodyHmac(byte[] secret, String signature, byte[] body) {
        if (signature == null) {
            return false;
        }
        byte[] expected = Base64.getEncoder()
                .encodeToString(Secrets.hmacSha256(secret, body))
                .getBytes(StandardCharsets.US_ASCII);
        return Secrets.equal(expected, signature.trim().getBytes(StandardCharsets.US_ASCII));
    }

    /** Any of the space-separated {@code v1,<sig>} signatures may match; the timestamp must be recent. */
    boolean standardWebhooks(byte[] secret, Map<String, String> headers, byte[] body, long toleranceSeconds) {
        String id = headers.get("webhook-id");
        String timestamp = headers.get("webhook-timestamp");
        String signatures = headers.get("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(clock.instant().getEpochSecond() - sentAt) > toleranceSeconds) {
            return false;
        }
        String secretText = new String(secret, StandardCharsets.UTF_8);
        byte[] key = Base64.getDecoder().decode(secretText.substring(secretText.indexOf('_') + 1));
        byte[] signed = concat((id + "." + sentAt + ".").getBytes(StandardCharsets.UTF_8), body);
        byte[] expected = ("v1," + Base64.getEncoder().encodeToString(Secrets.hmacSha256(key, signed)))
                .getBytes(StandardCharsets.US_ASCII);
        boolean any = false;
        for (String candidate : signatures.trim().split(" +")) {
            any |= Secrets.equal(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        return any;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
