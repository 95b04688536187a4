package io.pers.ingest;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.ingest.SignatureSpec.Part;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The routes' first step: verifies a delivery as its connector.yaml's {@code signature} block
 * declares ({@link SignatureSpec}), comparing in constant time. A missing or forged signature
 * stops the route with 401 before anything is parsed or stored. Secrets never leave this class,
 * and never reach a log.
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
        SignatureSpec spec = connector.signature();
        if (headers.get(spec.header()) == null && isPing(spec, body)) {
            // Carries nothing and is stored nowhere; the system wants a 200 before it activates.
            exchange.getMessage().setBody(new Ingest.Delivery(200, Map.of("status", "ping")));
            exchange.setRouteStop(true);
            return;
        }
        String url = exchange.getProperty(Ingest.REQUEST_URL, String.class);
        if (!verify(spec, connection.secret(), headers, body, url)) {
            throw new PersException(ErrorCode.INVALID_SIGNATURE);
        }
    }

    /**
     * True when one of the signatures the headers carry is {@code spec}'s signature of this delivery
     * (headers lower-cased; {@code url} null where there is none, which refuses schemes signing it).
     */
    boolean verify(SignatureSpec spec, byte[] secret, Map<String, String> headers, byte[] body, String url) {
        String header = headers.get(spec.header());
        if (header == null) {
            return false;
        }
        Map<String, List<String>> params = spec.pairs() == null ? Map.of() : pairs(header, spec.pairs());
        List<String> candidates = spec.pairs() != null
                ? params.getOrDefault(spec.signatureParam(), List.of())
                : spec.separator() != null
                        ? List.of(header.trim().split(Pattern.quote(spec.separator())))
                        : List.of(header);
        if (spec.timestamp() != null && !recent(spec.timestamp(), headers, params)) {
            return false;
        }
        byte[] signed = signed(spec.signed(), headers, params, body, url);
        if (signed == null) {
            return false;
        }
        boolean any = false;
        for (String candidate : candidates) {
            String value = candidate.trim();
            if (value.startsWith(spec.prefix())) {
                byte[] signature =
                        decode(spec.encoding(), value.substring(spec.prefix().length()));
                any |= signature != null && matches(spec, secret, signed, signature);
            }
        }
        return any;
    }

    private static boolean isPing(SignatureSpec spec, byte[] body) {
        return spec.unsignedPing() != null
                && spec.unsignedPing()
                        .matcher(new String(body, StandardCharsets.UTF_8))
                        .matches();
    }

    private static boolean matches(SignatureSpec spec, byte[] secret, byte[] signed, byte[] signature) {
        try {
            if (!spec.hmac()) {
                Signature verifier = Signature.getInstance(spec.algorithm());
                verifier.initVerify(spec.publicKey());
                verifier.update(signed);
                return verifier.verify(signature);
            }
            byte[] key = key(spec.secret(), secret);
            if (key == null) {
                return false;
            }
            Mac mac = Mac.getInstance(spec.algorithm());
            mac.init(new SecretKeySpec(key, spec.algorithm()));
            return MessageDigest.isEqual(mac.doFinal(signed), signature);
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature (e.g. a truncated ECDSA one) is a forged one
        }
    }

    /** The HMAC key the connection's secret stands for, or null when it is not of the declared form. */
    static byte[] key(SignatureSpec.SecretFormat format, byte[] secret) {
        String text = new String(secret, StandardCharsets.UTF_8);
        try {
            return switch (format) {
                case TEXT -> secret;
                case BASE64 -> Base64.getDecoder().decode(text);
                case WHSEC -> text.startsWith("whsec_") ? Base64.getDecoder().decode(text.substring(6)) : null;
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] decode(SignatureSpec.Encoding encoding, String value) {
        try {
            return switch (encoding) {
                case BASE64 -> Base64.getDecoder().decode(value);
                case BASE64URL -> Base64.getUrlDecoder().decode(value);
                case HEX -> HexFormat.of().parseHex(value.toLowerCase());
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The signed content, or null when a part it names is missing from the delivery. */
    static byte[] signed(
            List<Part> parts, Map<String, String> headers, Map<String, List<String>> params, byte[] body, String url) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            byte[] bytes = bytes(part, headers, params, body, url);
            if (bytes == null) {
                return null;
            }
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(
            Part part, Map<String, String> headers, Map<String, List<String>> params, byte[] body, String url) {
        if (part instanceof SignatureSpec.Body) {
            return body;
        }
        if (part instanceof SignatureSpec.Method) {
            return utf8(METHOD);
        }
        if (part instanceof SignatureSpec.Text text) {
            return utf8(text.value());
        }
        if (part instanceof SignatureSpec.Url) {
            return url == null ? null : utf8(url);
        }
        String value = value(part, headers, params);
        return value == null ? null : utf8(value);
    }

    /** A header's value or a signature header pair's (the first of that key), trimmed; null when absent. */
    private static String value(Part part, Map<String, String> headers, Map<String, List<String>> params) {
        String value = part instanceof SignatureSpec.Header h
                ? headers.get(h.name())
                : params.getOrDefault(((SignatureSpec.Param) part).name(), List.of()).stream()
                        .findFirst()
                        .orElse(null);
        return value == null ? null : value.trim();
    }

    /** {@code t=1,v1=a,v1=b} split at {@code separator}: each key's values in order. */
    private static Map<String, List<String>> pairs(String header, String separator) {
        Map<String, List<String>> pairs = new LinkedHashMap<>();
        for (String pair : header.split(Pattern.quote(separator))) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                pairs.computeIfAbsent(pair.substring(0, eq).trim(), k -> new ArrayList<>())
                        .add(pair.substring(eq + 1).trim());
            }
        }
        return pairs;
    }

    /** The declared timestamp is there and within the tolerance of now, either way. */
    private boolean recent(
            SignatureSpec.Timestamp timestamp, Map<String, String> headers, Map<String, List<String>> params) {
        String value = value(timestamp.value(), headers, params);
        try {
            long sentAtSeconds = Long.parseLong(value) / (timestamp.milliseconds() ? 1000 : 1);
            return Math.abs(clock.instant().getEpochSecond() - sentAtSeconds) <= timestamp.toleranceSeconds();
        } catch (NumberFormatException e) {
            return false; // absent or not a number
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
