package io.pers.ingest;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.crypto.Secrets;
import java.io.ByteArrayOutputStream;
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

    /** The ingest endpoint takes POST only, so that is the method a system signed. */
    private static final String METHOD = "POST";

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
        String signature = connector.signatureHeader() == null
                ? null
                : headers.get(connector.signatureHeader().toLowerCase());
        if (signature == null && isPing(connector, body)) {
            // Carries nothing and is stored nowhere; the system wants a 200 before it activates.
            exchange.getMessage().setBody(new Ingest.Delivery(200, Map.of("status", "ping")));
            exchange.setRouteStop(true);
            return;
        }
        String url = exchange.getProperty(Ingest.REQUEST_URL, String.class);
        boolean valid =
                switch (connector.scheme()) {
                    case HMAC_SHA256_BODY_BASE64 -> hmacBase64(connection.secret(), signature, body);
                    case HMAC_SHA256_URL_BODY_BASE64 ->
                        url != null && hmacBase64(connection.secret(), signature, concat(utf8(url), body));
                    case HMAC_SHA256_METHOD_URL_BODY_TIMESTAMP_BASE64 ->
                        url != null
                                && methodUrlBodyTimestamp(
                                        connection.secret(),
                                        signature,
                                        url,
                                        body,
                                        headers.get(connector.timestampHeader().toLowerCase()),
                                        connector.toleranceSeconds());
                    case STANDARD_WEBHOOKS ->
                        standardWebhooks(connection.secret(), headers, body, connector.toleranceSeconds());
                };
        if (!valid) {
            throw new PersException(ErrorCode.INVALID_SIGNATURE);
        }
    }

    private static boolean isPing(Connectors.Connector connector, byte[] body) {
        return connector.unsignedPing() != null
                && connector
                        .unsignedPing()
                        .matcher(new String(body, StandardCharsets.UTF_8))
                        .matches();
    }

    /** {@code signature} = base64 HMAC-SHA256 of {@code signed}, keyed by the secret's bytes. */
    static boolean hmacBase64(byte[] secret, String signature, byte[] signed) {
        if (signature == null) {
            return false;
        }
        byte[] expected = utf8(Base64.getEncoder().encodeToString(Secrets.hmacSha256(secret, signed)));
        return Secrets.equal(expected, signature.trim().getBytes(StandardCharsets.US_ASCII));
    }

    /** HubSpot v3: the timestamp (epoch ms) must be recent, and is signed after the body. */
    boolean methodUrlBodyTimestamp(
            byte[] secret, String signature, String url, byte[] body, String timestampMs, long toleranceSeconds) {
        if (timestampMs == null || !recent(timestampMs.trim(), 1000, toleranceSeconds)) {
            return false;
        }
        return hmacBase64(secret, signature, concat(utf8(METHOD + url), body, utf8(timestampMs.trim())));
    }

    /** Any of the space-separated {@code v1,<sig>} signatures may match; the timestamp must be recent. */
    boolean standardWebhooks(byte[] secret, Map<String, String> headers, byte[] body, long toleranceSeconds) {
        String id = headers.get("webhook-id");
        String timestamp = headers.get("webhook-timestamp");
        String signatures = headers.get("webhook-signature");
        if (id == null || timestamp == null || signatures == null || !recent(timestamp.trim(), 1, toleranceSeconds)) {
            return false;
        }
        String secretText = new String(secret, StandardCharsets.UTF_8);
        byte[] key = Base64.getDecoder().decode(secretText.substring(secretText.indexOf('_') + 1));
        byte[] signed = concat(utf8(id + "." + timestamp.trim() + "."), body);
        byte[] expected = utf8("v1," + Base64.getEncoder().encodeToString(Secrets.hmacSha256(key, signed)));
        boolean any = false;
        for (String candidate : signatures.trim().split(" +")) {
            any |= Secrets.equal(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        return any;
    }

    /** An epoch timestamp (in units of {@code perSecond}) within the tolerance of now, either way. */
    private boolean recent(String timestamp, long perSecond, long toleranceSeconds) {
        try {
            long sentAtSeconds = Long.parseLong(timestamp) / perSecond;
            return Math.abs(clock.instant().getEpochSecond() - sentAtSeconds) <= toleranceSeconds;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
