package io.pers.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Each connector's declared {@code signature} block, verified by the one generic verifier against
 * the vendors' published test vectors where they publish one (Standard Webhooks, Square) and their
 * documented recipes where they do not (Shopify, WooCommerce, HubSpot v3, Calendly, Mindbody); and the declarations the
 * engine refuses at load, each naming file and field.
 */
class IngestSignaturesTest {

    private static final byte[] BODY = utf8("{\"type\":\"com.example.x\",\"id\":\"e1\"}");
    private static final long NOW = 1_763_636_400L;

    private final IngestSignatures verifier = at(NOW);

    @Test
    void standardWebhooksPublishedVector() {
        // The specification's own vector (standard-webhooks libraries' tests).
        SignatureSpec spec = declared("pers-webhook");
        byte[] secret = utf8("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        byte[] body = utf8("{\"test\": 2432232314}");
        String signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        IngestSignatures then = at(1_614_265_330L);

        assertThat(then.verify(spec, secret, sw("msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330L, signature), body, null))
                .isTrue();
        assertThat(then.verify(
                        spec,
                        secret,
                        sw("msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330L, "v1,AAAA " + signature),
                        body,
                        null))
                .as("one of several signatures (rotation)")
                .isTrue();
        assertThat(then.verify(spec, secret, sw("msg_other", 1_614_265_330L, signature), body, null))
                .isFalse();
        assertThat(verifier.verify(
                        spec, secret, sw("msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330L, signature), body, null))
                .as("years old")
                .isFalse();
    }

    @Test
    void standardWebhooksAcceptsWhatTheReferenceLibrarySigns() throws Exception {
        SignatureSpec spec = declared("pers-webhook");
        String secret = "whsec_" + Base64.getEncoder().encodeToString(new byte[32]);
        String signature = new Webhook(secret).sign("msg_1", NOW, new String(BODY, StandardCharsets.UTF_8));

        assertThat(verifier.verify(spec, utf8(secret), sw("msg_1", NOW - 10, "x"), BODY, null))
                .isFalse();
        assertThat(verifier.verify(spec, utf8(secret), sw("msg_1", NOW, signature), BODY, null))
                .isTrue();
        assertThat(verifier.verify(spec, utf8(secret), Map.of("webhook-id", "msg_1"), BODY, null))
                .isFalse();
        assertThat(verifier.verify(spec, utf8("not-whsec"), sw("msg_1", NOW, signature), BODY, null))
                .isFalse();
    }

    @Test
    void squarePublishedVectorSignsTheNotificationUrlThenTheBody() {
        // The vector of Square's own SDKs' tests (WebhooksHelper.verifySignature).
        SignatureSpec spec = declared("square");
        byte[] body = utf8("{\"merchant_id\":\"MLEFBHHSJGVHD\",\"type\":\"webhooks.test_notification\","
                + "\"event_id\":\"ac3ac95b-f97d-458c-a6e6-18981597e05f\","
                + "\"created_at\":\"2022-07-13T20:30:59.037339943Z\","
                + "\"data\":{\"type\":\"webhooks\",\"id\":\"bc368e64-01aa-407e-b46e-3231809b1129\"}}");
        String url = "https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9";
        Map<String, String> headers =
                Map.of("x-square-hmacsha256-signature", "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=");
        byte[] key = utf8("Ibxx_5AKakO-3qeNVR61Dw");

        assertThat(verifier.verify(spec, key, headers, body, url)).isTrue();
        assertThat(verifier.verify(spec, key, headers, body, "https://elsewhere.example/"))
                .isFalse();
        assertThat(verifier.verify(spec, key, headers, body, null))
                .as("no URL (a Kafka record)")
                .isFalse();
    }

    @Test
    void shopifyAndWooCommerceSignTheRawBodyWithTheSecret() {
        // Neither publishes a vector: base64 HMAC-SHA256 of the raw body, as their docs describe.
        String hmac = Base64.getEncoder().encodeToString(IngestIT.hmac(utf8("shpss_secret"), BODY));
        for (String connector : new String[] {"shopify", "woocommerce"}) {
            SignatureSpec spec = declared(connector);
            Map<String, String> headers = Map.of(spec.header(), hmac);
            assertThat(verifier.verify(spec, utf8("shpss_secret"), headers, BODY, null))
                    .isTrue();
            assertThat(verifier.verify(spec, utf8("shpss_secret"), headers, utf8("{}"), null))
                    .isFalse();
            assertThat(verifier.verify(spec, utf8("other"), headers, BODY, null))
                    .isFalse();
            assertThat(verifier.verify(
                            spec, utf8("shpss_secret"), Map.of(spec.header(), "not base64 at all"), BODY, null))
                    .isFalse();
            assertThat(verifier.verify(spec, utf8("shpss_secret"), Map.of(), BODY, null))
                    .isFalse();
        }
    }

    @Test
    void hubSpotV3SignsMethodUrlBodyAndARecentTimestamp() {
        // HubSpot publishes no v3 vector: signed as its request-validation page describes.
        SignatureSpec spec = declared("hubspot");
        byte[] secret = utf8("hubspot-client-secret");
        String url = "https://pers.example.com/v2/ingest/hubspot/0b6c5f1e-7f3a-4d2b-9c1e-2a3b4c5d6e7f";
        String timestamp = Long.toString((NOW - 60) * 1000);
        String signature = Base64.getEncoder()
                .encodeToString(IngestIT.hmac(
                        secret, utf8("POST" + url + new String(BODY, StandardCharsets.UTF_8) + timestamp)));
        Map<String, String> headers =
                Map.of("x-hubspot-signature-v3", signature, "x-hubspot-request-timestamp", timestamp);

        assertThat(verifier.verify(spec, secret, headers, BODY, url)).isTrue();
        assertThat(verifier.verify(spec, secret, headers, BODY, url + "x")).isFalse();
        assertThat(verifier.verify(
                        spec,
                        secret,
                        Map.of("x-hubspot-signature-v3", signature, "x-hubspot-request-timestamp", NOW * 1000 + ""),
                        BODY,
                        url))
                .isFalse();
        assertThat(at(NOW + 239).verify(spec, secret, headers, BODY, url)).isTrue();
        assertThat(at(NOW + 301).verify(spec, secret, headers, BODY, url))
                .as("older than 5 minutes")
                .isFalse();
        assertThat(verifier.verify(spec, secret, Map.of("x-hubspot-signature-v3", signature), BODY, url))
                .isFalse();
    }

    @Test
    void calendlyAndMindbodyAsTheirDocsDescribeThem() {
        // Neither publishes a vector. Calendly: t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">, 3 min.
        SignatureSpec calendly = declared("calendly");
        String signed = (NOW - 60) + "." + new String(BODY, StandardCharsets.UTF_8);
        String v1 = java.util.HexFormat.of().formatHex(IngestIT.hmac(utf8("signing-key"), utf8(signed)));
        Map<String, String> headers = Map.of("calendly-webhook-signature", "t=" + (NOW - 60) + ",v1=" + v1);
        assertThat(verifier.verify(calendly, utf8("signing-key"), headers, BODY, null))
                .isTrue();
        assertThat(at(NOW + 121).verify(calendly, utf8("signing-key"), headers, BODY, null))
                .as("older than 3 minutes")
                .isFalse();
        assertThat(verifier.verify(
                        calendly, utf8("signing-key"), Map.of("calendly-webhook-signature", "v1=" + v1), BODY, null))
                .as("no t")
                .isFalse();

        // Mindbody: sha256=<base64 HMAC-SHA256 of the body>, keyed by the messageSignatureKey.
        SignatureSpec mindbody = declared("mindbody");
        String sha256 = Base64.getEncoder().encodeToString(IngestIT.hmac(utf8("message-signature-key"), BODY));
        assertThat(verifier.verify(
                        mindbody,
                        utf8("message-signature-key"),
                        Map.of("x-mindbody-signature", "sha256=" + sha256),
                        BODY,
                        null))
                .isTrue();
        assertThat(verifier.verify(
                        mindbody, utf8("message-signature-key"), Map.of("x-mindbody-signature", sha256), BODY, null))
                .as("without its prefix")
                .isFalse();
    }

    @Test
    void keyValueHeadersHexAndPublicKeysAreDeclarationsToo() throws Exception {
        // A t=<seconds>,v1=<hex> header (Stripe's and Calendly's shape), several v1 during rotation.
        SignatureSpec pairs = spec(Map.of(
                "header", "X-Sig",
                "pairs", ",",
                "signatureParam", "v1",
                "signed", "{param:t}.{body}",
                "algorithm", "HmacSHA256",
                "encoding", "hex",
                "timestamp", Map.of("value", "{param:t}", "toleranceSeconds", 180)));
        String hex = java.util.HexFormat.of()
                .formatHex(IngestIT.hmac(utf8("k"), utf8(NOW + "." + new String(BODY, StandardCharsets.UTF_8))));
        assertThat(verifier.verify(
                        pairs,
                        utf8("k"),
                        Map.of("x-sig", "t=" + NOW + ",v1=00," + "v1=" + hex.toUpperCase()),
                        BODY,
                        null))
                .isTrue();
        assertThat(at(NOW + 181).verify(pairs, utf8("k"), Map.of("x-sig", "t=" + NOW + ",v1=" + hex), BODY, null))
                .isFalse();

        KeyPair vendor = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        SignatureSpec ed25519 = spec(Map.of(
                "header", "X-Signature-Ed25519",
                "signed", "{header:X-Signature-Timestamp}{body}",
                "algorithm", "Ed25519",
                "publicKey",
                        Base64.getEncoder().encodeToString(vendor.getPublic().getEncoded()),
                "encoding", "hex"));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(vendor.getPrivate());
        signer.update(utf8("1700000000" + new String(BODY, StandardCharsets.UTF_8)));
        Map<String, String> signed = Map.of(
                "x-signature-ed25519",
                java.util.HexFormat.of().formatHex(signer.sign()),
                "x-signature-timestamp",
                "1700000000");
        assertThat(verifier.verify(ed25519, new byte[0], signed, BODY, null)).isTrue();
        assertThat(verifier.verify(ed25519, new byte[0], signed, utf8("{}"), null))
                .isFalse();
    }

    @Test
    void aDeclarationTheEngineCannotVerifyIsRefusedNamingTheFileAndTheField() {
        Map<String, Object> good =
                Map.of("header", "X-Sig", "signed", "{body}", "algorithm", "HmacSHA256", "encoding", "base64");
        assertRefused(with(good, "scheme", "hmac-sha256-body-base64"), "signature.scheme: is not a field");
        assertRefused(with(good, "algorithm", "HmacMD99"), "signature.algorithm: HmacMD99 is no HMAC");
        assertRefused(with(good, "algorithm", "RSA-PSS"), "signature.algorithm: RSA-PSS is not an algorithm");
        assertRefused(with(good, "algorithm", "Ed25519"), "signature.publicKey: is required");
        assertRefused(
                with(good, "encoding", "base32"), "signature.encoding: base32 is not one of base64, base64url, hex");
        assertRefused(with(good, "signed", "{query}{body}"), "signature.signed: {query} is not a part PERS can sign");
        assertRefused(with(good, "signed", "{param:t}.{body}"), "signature.signed: {param:t} needs pairs");
        assertRefused(
                with(good, "timestamp", Map.of("value", "{header:X-Ts}")),
                "signature.timestamp.toleranceSeconds: is required");
        assertRefused(
                with(good, "timestamp", Map.of("value", "{body}", "toleranceSeconds", 5)),
                "signature.timestamp.value: must be one");
        assertRefused(
                with(good, "unsignedPing", "webhook_id=[0-9+"), "signature.unsignedPing: is no regular expression");
        Map<String, Object> noHeader = new HashMap<>(good);
        noHeader.remove("header");
        assertRefused(noHeader, "signature.header: is required");
    }

    private static void assertRefused(Map<String, Object> signature, String message) {
        assertThatThrownBy(() -> spec(signature))
                .isInstanceOf(DescriptorFields.Invalid.class)
                .hasMessageStartingWith(
                        "connectors/x/connector.yaml: " + message.substring(0, message.indexOf(':') + 1))
                .hasMessageContaining(message);
    }

    private static Map<String, Object> with(Map<String, Object> base, String field, Object value) {
        Map<String, Object> changed = new HashMap<>(base);
        changed.put(field, value);
        return changed;
    }

    private static SignatureSpec spec(Map<String, Object> signature) {
        return SignatureSpec.from(new DescriptorFields("connectors/x/connector.yaml", "signature", signature));
    }

    /** The signature block of a connector's shipped connector.yaml. */
    static SignatureSpec declared(String connector) {
        Path file = Path.of("connectors", connector, "connector.yaml");
        try {
            Map<String, Object> yaml = new Yaml().load(Files.readString(file));
            return SignatureSpec.from(
                    new DescriptorFields(file.toString(), "signature", (Map<?, ?>) yaml.get("signature")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static IngestSignatures at(long epochSecond) {
        return new IngestSignatures(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    private static Map<String, String> sw(String id, long timestamp, String signature) {
        return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signature);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
