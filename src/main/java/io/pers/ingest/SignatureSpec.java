package io.pers.ingest;

import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.crypto.Mac;

/**
 * How a vendor signs its webhooks, as its connector.yaml {@code signature} block declares it: where
 * the signature is ({@code header}, perhaps among {@code key=value} pairs or beside other
 * signatures), what is signed (a template of the delivery's parts), the algorithm (an HMAC keyed by
 * the connection's secret, or a signature checked with the vendor's public key), the encoding, and
 * the timestamp that must be recent. {@link IngestSignatures} verifies any declaration this class
 * accepts; one it cannot verify is refused when the connector loads, naming file and field.
 */
record SignatureSpec(
        String header,
        String pairs,
        String signatureParam,
        String separator,
        String prefix,
        List<Part> signed,
        String algorithm,
        PublicKey publicKey,
        Encoding encoding,
        SecretFormat secret,
        Timestamp timestamp,
        Pattern unsignedPing) {

    /** How the signature's bytes are written in the header. */
    enum Encoding {
        BASE64,
        BASE64URL,
        HEX
    }

    /**
     * How the connection's secret becomes the HMAC key: its UTF-8 bytes ({@code text}), the bytes
     * it encodes in base64 ({@code base64}), or a Standard Webhooks {@code whsec_} secret (base64
     * after the prefix; new ones are made so).
     */
    enum SecretFormat {
        TEXT,
        BASE64,
        WHSEC
    }

    /** A piece of the signed content: fixed text, or something of the delivery. */
    sealed interface Part {}

    record Text(String value) implements Part {}

    /** The raw body, as delivered. */
    record Body() implements Part {}

    /** The URL the system delivered to: the connection's ingest URL. */
    record Url() implements Part {}

    /** The HTTP method, POST. */
    record Method() implements Part {}

    /** A request header's value (the name any case). */
    record Header(String name) implements Part {}

    /** A {@code key=value} pair of the signature header ({@code pairs} declared). */
    record Param(String name) implements Part {}

    /** The signing time: where it is, its unit, and how far from now it may be. */
    record Timestamp(Part value, boolean milliseconds, long toleranceSeconds) {}

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)(?::([^}]+))?}");
    private static final List<String> PUBLIC_KEY_ALGORITHMS =
            List.of("Ed25519", "SHA256withRSA", "SHA256withECDSA", "SHA512withRSA");

    boolean hmac() {
        return publicKey == null;
    }

    static SignatureSpec from(DescriptorFields block) {
        block.only(
                "header",
                "pairs",
                "signatureParam",
                "separator",
                "prefix",
                "signed",
                "algorithm",
                "publicKey",
                "encoding",
                "secret",
                "timestamp",
                "unsignedPing");
        String pairs = block.optionalText("pairs");
        String signatureParam = block.optionalText("signatureParam");
        if ((pairs == null) != (signatureParam == null)) {
            throw block.invalid(
                    pairs == null ? "pairs" : "signatureParam",
                    "pairs (the separator of the header's key=value pairs) and signatureParam (the key of the"
                            + " signature) go together");
        }
        String algorithm = block.text("algorithm");
        PublicKey publicKey = key(block, algorithm);
        DescriptorFields timestamp = block.block("timestamp");
        return new SignatureSpec(
                block.text("header").toLowerCase(Locale.ROOT),
                pairs,
                signatureParam,
                block.optionalText("separator"),
                block.text("prefix", ""),
                template(block, "signed", block.text("signed"), pairs != null),
                algorithm,
                publicKey,
                block.choice("encoding", Encoding.class, null),
                secretFormat(block, publicKey),
                timestamp == null ? null : timestamp(timestamp, pairs != null),
                ping(block));
    }

    /** HMAC algorithms take no key here; public-key ones need the vendor's key, X.509 in base64. */
    private static PublicKey key(DescriptorFields block, String algorithm) {
        if (algorithm.startsWith("Hmac")) {
            try {
                Mac.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw block.invalid(
                        "algorithm", algorithm + " is no HMAC this JVM has (HmacSHA1, HmacSHA256, HmacSHA512)");
            }
            if (block.has("publicKey")) {
                throw block.invalid(
                        "publicKey", "is for public-key algorithms; " + algorithm + " is keyed by the secret");
            }
            return null;
        }
        if (!PUBLIC_KEY_ALGORITHMS.contains(algorithm)) {
            throw block.invalid(
                    "algorithm",
                    algorithm + " is not an algorithm PERS verifies: Hmac<hash> (HmacSHA256...) or one of "
                            + String.join(", ", PUBLIC_KEY_ALGORITHMS));
        }
        String encoded = block.text("publicKey");
        try {
            byte[] der = Base64.getMimeDecoder()
                    .decode(encoded.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
                            .strip());
            String family = algorithm.equals("Ed25519") ? "Ed25519" : algorithm.endsWith("RSA") ? "RSA" : "EC";
            PublicKey key = KeyFactory.getInstance(family).generatePublic(new X509EncodedKeySpec(der));
            Signature.getInstance(algorithm).initVerify(key);
            return key;
        } catch (Exception e) {
            throw block.invalid(
                    "publicKey", "is no " + algorithm + " public key (X.509, base64 or PEM): " + e.getMessage());
        }
    }

    private static SecretFormat secretFormat(DescriptorFields block, PublicKey publicKey) {
        if (publicKey != null && block.has("secret")) {
            throw block.invalid("secret", "a public-key signature uses no secret");
        }
        return block.choice("secret", SecretFormat.class, SecretFormat.TEXT);
    }

    private static Timestamp timestamp(DescriptorFields block, boolean pairs) {
        block.only("value", "unit", "toleranceSeconds");
        List<Part> value = template(block, "value", block.text("value"), pairs);
        if (value.size() != 1 || !(value.get(0) instanceof Header || value.get(0) instanceof Param)) {
            throw block.invalid("value", "must be one {header:NAME} or {param:NAME}");
        }
        String unit = block.text("unit", "seconds");
        if (!unit.equals("seconds") && !unit.equals("milliseconds")) {
            throw block.invalid("unit", unit + " is not one of seconds, milliseconds");
        }
        long tolerance = block.number("toleranceSeconds", -1);
        if (tolerance <= 0) {
            throw block.invalid("toleranceSeconds", "is required: how far from now (either way) a signing time may be");
        }
        return new Timestamp(value.get(0), unit.equals("milliseconds"), tolerance);
    }

    private static Pattern ping(DescriptorFields block) {
        String ping = block.optionalText("unsignedPing");
        try {
            return ping == null ? null : Pattern.compile(ping);
        } catch (PatternSyntaxException e) {
            throw block.invalid("unsignedPing", "is no regular expression: " + e.getDescription());
        }
    }

    /**
     * {@code "{header:webhook-id}.{header:webhook-timestamp}.{body}"} as its parts: text between
     * placeholders is signed as it is.
     */
    static List<Part> template(DescriptorFields block, String field, String template, boolean pairs) {
        List<Part> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                parts.add(new Text(template.substring(at, m.start())));
            }
            parts.add(part(block, field, m.group(1), m.group(2), pairs));
            at = m.end();
        }
        if (at < template.length()) {
            parts.add(new Text(template.substring(at)));
        }
        return List.copyOf(parts);
    }

    private static Part part(DescriptorFields block, String field, String kind, String name, boolean pairs) {
        Part part =
                switch (kind) {
                    case "body" -> new Body();
                    case "url" -> new Url();
                    case "method" -> new Method();
                    case "header" -> name == null ? null : new Header(name.toLowerCase(Locale.ROOT));
                    case "param" -> name == null ? null : new Param(name);
                    default -> null;
                };
        if (part == null) {
            throw block.invalid(
                    field,
                    "{" + kind + (name == null ? "" : ":" + name) + "} is not a part PERS can sign: {body}, {url},"
                            + " {method}, {header:NAME}, {param:NAME}");
        }
        if (part instanceof Param && !pairs) {
            throw block.invalid(
                    field, "{param:" + name + "} needs pairs and signatureParam (a key=value signature header)");
        }
        return part;
    }
}
