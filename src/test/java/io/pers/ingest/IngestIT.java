package io.pers.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pers.claim.CampaignSetup;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.tenant.TenantContext;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The ingest hub end to end on the embedded stack: every shipped sample replayed through its
 * connector's route (routes/ingest-webhook.yaml's template) with a valid signature, the trigger topic, the matcher route
 * and the claim workflow; redeliveries, forgeries, ignored and malformed deliveries; trigger
 * mappings' validation and simulate.
 */
class IngestIT extends ApiTest {

    private static final Duration CLAIMED = Duration.ofSeconds(30);
    private static final String SHOPIFY = "connector=\"shopify\"";
    private static final String SHOPIFY_SECRET = "shpss_0123456789abcdef0123456789abcdef";

    @Autowired
    JdbcClient db;

    @Autowired
    TriggerLog triggers;

    @Test
    void everyShopifySampleWithAValidSignatureMintsOneClaimAndARedeliveryNone() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = systemCampaign(setup);
        String url = connect(setup, "shopify", SHOPIFY_SECRET);
        mapping(
                setup,
                "shopify",
                "com.shopify.order.paid",
                "event.data.financial_status == 'paid'",
                "int(double(event.data.total_price))",
                campaign);

        List<Path> orders = samples("shopify").stream()
                .filter(p -> p.getFileName().toString().startsWith("orders-paid"))
                .toList();
        assertThat(orders).hasSizeGreaterThanOrEqualTo(3);
        double acceptedBefore = metric("pers_ingest_events_total", SHOPIFY, "outcome=\"ACCEPTED\"");
        double duplicatesBefore = metric("pers_ingest_events_total", SHOPIFY, "outcome=\"DUPLICATE\"");
        for (Path sample : samples("shopify")) {
            byte[] body = Files.readAllBytes(sample);
            Api.Response first = shopify(url, sample, body, shopifyHmac(SHOPIFY_SECRET, body));
            assertThat(first.status()).as(sample + ": " + first).isEqualTo(202);
            assertThat(first.text("status")).isEqualTo("accepted");
            Api.Response again = shopify(url, sample, body, shopifyHmac(SHOPIFY_SECRET, body));
            assertThat(again.status()).as(sample + " again: " + again).isEqualTo(200);
            assertThat(again.text("status")).isEqualTo("duplicate");
            assertThat(again.text("eventId")).isEqualTo(first.text("eventId"));
        }
        int delivered = samples("shopify").size();
        assertThat(metric("pers_ingest_events_total", SHOPIFY, "outcome=\"ACCEPTED\""))
                .isEqualTo(acceptedBefore + delivered);
        assertThat(metric("pers_ingest_events_total", SHOPIFY, "outcome=\"DUPLICATE\""))
                .isEqualTo(duplicatesBefore + delivered);

        await().atMost(CLAIMED).until(() -> completedClaims(setup) == orders.size());
        JsonNode claims =
                setup.tenant.admin().get("/v2/campaigns/claims?size=100").json();
        assertThat(claims.path("total").asLong()).isEqualTo(orders.size());
        for (JsonNode claim : claims.path("items")) {
            assertThat(claim.path("callerRole").asString()).isEqualTo("SYSTEM");
        }
        // 2 x 12.50: one point per whole euro; the customer was enrolled by the matcher.
        UUID ana = UUID.fromString(setup.tenant
                .admin()
                .get("/v2/users?email=ana.silva@example.com")
                .json()
                .path("items")
                .get(0)
                .path("id")
                .asString());
        assertThat(setup.tenant.balance(ana, setup.token)).isEqualTo(java.math.BigInteger.valueOf(25));
        assertThat(storedEvents(db, setup.tenant.id(), "shopify"))
                .isEqualTo(samples("shopify").size());
        assertThat(unpublishedEvents(setup.tenant.id())).isZero();
    }

    @Test
    void everyPersWebhookSampleMintsOneClaimAndARedeliveryNone() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = systemCampaign(setup);
        Api.Response created = setup.tenant.admin().post("/v2/connectors", Map.of("connector", "pers-webhook"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String secret = created.text("signingSecret");
        assertThat(secret).startsWith("whsec_");
        String url = created.text("ingestUrl");
        List<Path> samples = samples("pers-webhook");
        assertThat(samples).hasSizeGreaterThanOrEqualTo(3);
        for (Path sample : samples) {
            String type = Api.JSON.readTree(sample.toFile()).path("type").asString();
            mapping(setup, "pers-webhook", type, null, "1", campaign);
        }

        for (Path sample : samples) {
            byte[] body = Files.readAllBytes(sample);
            String messageId = headers(sample).get("webhook-id");
            assertThat(standardWebhook(url, secret, messageId, body).status())
                    .as(sample.toString())
                    .isEqualTo(202);
            assertThat(standardWebhook(url, secret, messageId, body).status()).isEqualTo(200);
        }

        await().atMost(CLAIMED).until(() -> completedClaims(setup) == samples.size());
        assertThat(setup.tenant
                        .admin()
                        .get("/v2/campaigns/claims?size=100")
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(samples.size());
        assertThat(setup.tenant
                        .admin()
                        .get("/v2/users?email=guest.one@example.com")
                        .json()
                        .path("total")
                        .asLong())
                .as("the subject was enrolled")
                .isEqualTo(1);
    }

    @Test
    void aConnectionsNewSigningSecretTakesOverAndADeactivatedConnectionIsRefused() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        String url = connect(setup, "shopify", SHOPIFY_SECRET);
        String id = url.substring(url.lastIndexOf('/') + 1);
        List<Path> samples = samples("shopify");
        byte[] first = Files.readAllBytes(samples.get(0));
        byte[] second = Files.readAllBytes(samples.get(1));
        String rotated = "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";

        Api.Response patched = setup.tenant.admin().patch("/v2/connectors/" + id, Map.of("signingSecret", rotated));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.raw().body()).doesNotContain(rotated);
        assertThat(shopify(url, samples.get(0), first, shopifyHmac(SHOPIFY_SECRET, first))
                        .status())
                .as("the previous secret no longer signs")
                .isEqualTo(401);
        assertThat(shopify(url, samples.get(0), first, shopifyHmac(rotated, first))
                        .status())
                .isEqualTo(202);

        Api.Response off = setup.tenant.admin().patch("/v2/connectors/" + id, Map.of("active", false));
        assertThat(off.json().path("active").asBoolean()).isFalse();
        assertThat(shopify(url, samples.get(1), second, shopifyHmac(rotated, second))
                        .status())
                .isEqualTo(401);
        Api.Response tooShort = setup.tenant.admin().patch("/v2/connectors/" + id, Map.of("signingSecret", "short"));
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(storedEvents(db, setup.tenant.id(), "shopify")).isEqualTo(1);
    }

    @Test
    void aForgedOrMissingSignatureIsRefusedAndStoresNothing() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        String url = connect(setup, "shopify", SHOPIFY_SECRET);
        Path sample = samples("shopify").get(0);
        byte[] body = Files.readAllBytes(sample);
        double refusedBefore = metric("pers_ingest_refused_total", SHOPIFY, "code=\"INVALID_SIGNATURE\"");

        Api.Response forged = shopify(url, sample, body, shopifyHmac("another-secret-entirely-0000", body));
        Api.Response missing = shopify(url, sample, body, null);
        byte[] tampered = new String(body, StandardCharsets.UTF_8)
                .replace("\"paid\"", "\"voided\"")
                .getBytes(StandardCharsets.UTF_8);
        Api.Response altered = shopify(url, sample, tampered, shopifyHmac(SHOPIFY_SECRET, body));
        Api.Response unknownConnection = shopify(
                "http://localhost:" + port + "/v2/ingest/shopify/" + UUID.randomUUID(),
                sample,
                body,
                shopifyHmac(SHOPIFY_SECRET, body));

        for (Api.Response refused : List.of(forged, missing, altered, unknownConnection)) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
            assertThat(refused.header("content-type")).startsWith("application/problem+json");
            assertThat(refused.code()).isEqualTo("INVALID_SIGNATURE");
        }
        assertThat(metric("pers_ingest_refused_total", SHOPIFY, "code=\"INVALID_SIGNATURE\""))
                .isEqualTo(refusedBefore + 4);
        assertThat(storedEvents(db, setup.tenant.id(), "shopify")).isZero();
        assertThat(shopify(url, sample, body, shopifyHmac(SHOPIFY_SECRET, body)).status())
                .as("the genuine delivery is still new")
                .isEqualTo(202);

        Api.Response stale = new Api("http://x")
                .send(HttpRequest.newBuilder(java.net.URI.create(connect(setup, "pers-webhook", null)))
                        .header("webhook-id", "msg_1")
                        .header("webhook-timestamp", "1")
                        .header("webhook-signature", "v1,AAAA")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(stale.status()).isEqualTo(401);
    }

    @Test
    void unknownTopicsAreIgnoredAndMalformedBodiesRefused() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        String url = connect(setup, "shopify", SHOPIFY_SECRET);
        Path sample = samples("shopify").get(0);
        byte[] body = Files.readAllBytes(sample);

        Api.Response ignored = new Api("http://x")
                .send(shopifyRequest(url, sample, body, shopifyHmac(SHOPIFY_SECRET, body))
                        .setHeader("X-Shopify-Topic", "products/update"));
        byte[] malformed = "{\"id\": 1,".getBytes(StandardCharsets.UTF_8);
        Api.Response bad = shopify(url, sample, malformed, shopifyHmac(SHOPIFY_SECRET, malformed));

        assertThat(ignored.status()).as(ignored.toString()).isEqualTo(202);
        assertThat(ignored.text("status")).isEqualTo("ignored");
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("MALFORMED_JSON");
        assertThat(storedEvents(db, setup.tenant.id(), "shopify")).isZero();
        int connections = setup.tenant.admin().get("/v2/connectors").json().size();
        Api.Response unknownSystem = setup.tenant.admin().post("/v2/connectors", Map.of("connector", "no-such-system"));
        assertThat(unknownSystem.status()).as(unknownSystem.toString()).isEqualTo(404);
        assertThat(unknownSystem.raw().headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(setup.tenant.admin().get("/v2/connectors").json().size())
                .as("nothing stored")
                .isEqualTo(connections);
    }

    @Test
    void aBadExpressionIsRefusedAtSaveNamingWhereItFails() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = systemCampaign(setup);

        Api.Response condition =
                postMapping(setup, Map.of("condition", "event.data.total_price >", "campaignId", campaign.toString()));
        Api.Response multiplier = postMapping(setup, Map.of("multiplier", "'ten'", "campaignId", campaign.toString()));
        Api.Response unknownCampaign =
                postMapping(setup, Map.of("campaignId", UUID.randomUUID().toString()));
        Api.Response unknownSource = postMapping(setup, Map.of("source", "shopfiy", "campaignId", campaign.toString()));

        assertThat(condition.status()).as(condition.toString()).isEqualTo(400);
        assertThat(condition.code()).isEqualTo("INVALID_EXPRESSION");
        assertThat(condition.text("detail")).startsWith("condition: line 1, column ");
        assertThat(multiplier.status()).as(multiplier.toString()).isEqualTo(400);
        assertThat(multiplier.text("detail")).startsWith("multiplier: line 1, column ");
        assertThat(unknownCampaign.status()).as(unknownCampaign.toString()).isEqualTo(404);
        assertThat(unknownCampaign.code()).isEqualTo("NOT_FOUND");
        assertThat(unknownSource.status()).as(unknownSource.toString()).isEqualTo(400);
        assertThat(unknownSource.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(setup.tenant.admin().get("/v2/trigger-mappings").json()).isEmpty();
    }

    @Test
    void simulateAnswersWhichMappingsFireWithWhichMultiplierAndMintsNothing() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = systemCampaign(setup);
        UUID bigOrders = mapping(
                setup,
                "shopify",
                "com.shopify.order.paid",
                "double(event.data.total_price) >= 50.0",
                "int(double(event.data.total_price))",
                campaign);
        UUID vip =
                mapping(setup, "shopify", "com.shopify.order.paid", "event.data.tags.contains('vip')", "2", campaign);

        Api.Response simulated = setup.tenant
                .admin()
                .post(
                        "/v2/trigger-mappings/simulate",
                        Map.of(
                                "event",
                                Map.of(
                                        "specversion",
                                        "1.0",
                                        "id",
                                        "sim-1",
                                        "source",
                                        "https://pers-demo.myshopify.com",
                                        "type",
                                        "com.shopify.order.paid",
                                        "connector",
                                        "shopify",
                                        "subject",
                                        "sim@example.com",
                                        "data",
                                        Map.of("total_price", "60.40", "tags", "regular"))));

        assertThat(simulated.status()).as(simulated.toString()).isEqualTo(200);
        JsonNode verdicts = simulated.json().path("mappings");
        assertThat(verdicts).hasSize(2);
        for (JsonNode verdict : verdicts) {
            if (verdict.path("mappingId").asString().equals(bigOrders.toString())) {
                assertThat(verdict.path("fires").asBoolean()).isTrue();
                assertThat(verdict.path("multiplier").asLong()).isEqualTo(60);
                assertThat(verdict.path("reason").isNull()
                                || verdict.path("reason").isMissingNode())
                        .as("the active CLAIM_BY_SYSTEM campaign refuses nothing: %s", verdict)
                        .isTrue();
            } else {
                assertThat(verdict.path("mappingId").asString()).isEqualTo(vip.toString());
                assertThat(verdict.path("fires").asBoolean()).isFalse();
            }
        }
        assertThat(setup.tenant
                        .admin()
                        .get("/v2/campaigns/claims")
                        .json()
                        .path("total")
                        .asLong())
                .isZero();
        assertThat(setup.tenant
                        .admin()
                        .get("/v2/users?email=sim@example.com")
                        .json()
                        .path("total")
                        .asLong())
                .isZero();
    }

    @Test
    void aTriggerReadTwiceFromTheTopicStartsOneClaim() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = systemCampaign(setup);
        Api.Response created = setup.tenant.admin().post("/v2/connectors", Map.of("connector", "pers-webhook"));
        String secret = created.text("signingSecret");
        String url = created.text("ingestUrl");
        mapping(setup, "pers-webhook", "com.example.test.visit", null, "1", campaign);
        byte[] first = visit("visit-1");
        assertThat(standardWebhook(url, secret, "msg_visit_1", first).status()).isEqualTo(202);
        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 1);

        // The topic may hand an event over again (a matcher stopped before its offset commit): the
        // claim's idempotency source finds the first claim. Same key, same partition: once the
        // later event's claim is decided, the replays before it have been read.
        String stored = TenantContext.callAs(
                setup.tenant.id(), () -> db.sql("select event::text from ingest_events where event_id = 'visit-1'")
                        .query(String.class)
                        .single());
        triggers.publish(setup.tenant.id() + ":regular@visits.test", stored);
        triggers.publish(setup.tenant.id() + ":regular@visits.test", stored);
        // A record that is no canonical trigger is skipped, not retried forever ahead of the next one.
        triggers.publish(setup.tenant.id() + ":regular@visits.test", "{not json");
        triggers.publish(setup.tenant.id() + ":regular@visits.test", "{\"tenant\":\"nobody\"}");
        assertThat(standardWebhook(url, secret, "msg_visit_2", visit("visit-2")).status())
                .isEqualTo(202);

        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 2);
        assertThat(setup.tenant
                        .admin()
                        .get("/v2/campaigns/claims?size=100")
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(2);
    }

    /** A canonical trigger (CloudEvents 1.0) of a door visit, as a partner sends it. */
    static byte[] visit(String id) {
        return Api.JSON.writeValueAsBytes(Map.of(
                "specversion",
                "1.0",
                "id",
                id,
                "source",
                "https://door.example",
                "type",
                "com.example.test.visit",
                "subject",
                "regular@visits.test",
                "data",
                Map.of("door", "main")));
    }

    // --- helpers

    static UUID systemCampaign(CampaignSetup setup) {
        return setup.campaign(1, null, Map.of("triggerType", "CLAIM_BY_SYSTEM", "maxMultiplier", 1000), Map.of());
    }

    static String connect(CampaignSetup setup, String connector, String secret) {
        Map<String, Object> body = secret == null
                ? Map.of("connector", connector)
                : Map.of("connector", connector, "signingSecret", secret);
        Api.Response created = setup.tenant.admin().post("/v2/connectors", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(setup.tenant.admin().get("/v2/connectors").raw().body())
                .doesNotContain(created.text("signingSecret"));
        return created.text("ingestUrl");
    }

    /** A Shopify orders/paid mapping with the given fields, as marketing ops would post it. */
    private static Api.Response postMapping(CampaignSetup setup, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(Map.of("source", "shopify", "eventType", "com.shopify.order.paid"));
        body.putAll(fields);
        return setup.tenant.admin().post("/v2/trigger-mappings", body);
    }

    static UUID mapping(
            CampaignSetup setup, String source, String type, String condition, String multiplier, UUID campaign) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "source", source, "eventType", type, "multiplier", multiplier, "campaignId", campaign.toString()));
        if (condition != null) {
            body.put("condition", condition);
        }
        return CampaignSetup.id(setup.tenant.admin().post("/v2/trigger-mappings", body));
    }

    static long completedClaims(CampaignSetup setup) {
        JsonNode claims =
                setup.tenant.admin().get("/v2/campaigns/claims?size=100").json();
        long completed = 0;
        for (JsonNode claim : claims.path("items")) {
            if (claim.path("status").asString().equals("COMPLETED")) {
                completed++;
            }
        }
        return completed;
    }

    /** Events of a source the tenant has stored (the dedup record), read as that tenant. */
    static long storedEvents(JdbcClient db, UUID tenant, String source) {
        return TenantContext.callAs(tenant, () -> db.sql("select count(*) from ingest_events where source = ?")
                .param(source)
                .query(Long.class)
                .single());
    }

    private long unpublishedEvents(UUID tenant) {
        return TenantContext.callAs(
                tenant, () -> db.sql("select count(*) from ingest_events where published_at is null")
                        .query(Long.class)
                        .single());
    }

    static List<Path> samples(String connector) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("connectors", connector, "samples"))) {
            return files.filter(p -> p.toString().endsWith(".json")
                            && !p.toString().endsWith(".headers.json")
                            && !p.toString().endsWith(".expected.json"))
                    .sorted()
                    .toList();
        }
    }

    static Map<String, String> headers(Path sample) throws IOException {
        Path file = sample.resolveSibling(sample.getFileName().toString().replace(".json", ".headers.json"));
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        Api.JSON
                .readTree(file.toFile())
                .properties()
                .forEach(e -> headers.put(e.getKey(), e.getValue().asString()));
        return headers;
    }

    private Api.Response shopify(String url, Path sample, byte[] body, String hmac) throws IOException {
        return new Api("http://x").send(shopifyRequest(url, sample, body, hmac));
    }

    private static HttpRequest.Builder shopifyRequest(String url, Path sample, byte[] body, String hmac)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(java.net.URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers(sample).forEach(request::header);
        if (hmac != null) {
            request.header("X-Shopify-Hmac-Sha256", hmac);
        }
        return request;
    }

    static Api.Response standardWebhook(String url, String secret, String messageId, byte[] body) {
        long now = Instant.now().getEpochSecond();
        return new Api("http://x")
                .send(HttpRequest.newBuilder(java.net.URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("webhook-id", messageId)
                        .header("webhook-timestamp", Long.toString(now))
                        .header("webhook-signature", standardSignature(secret, messageId, now, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** {@code v1,<base64 HMAC-SHA256 of id.timestamp.body>}, keyed by the whsec_ secret's bytes. */
    static String standardSignature(String secret, String messageId, long timestamp, byte[] body) {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        byte[] prefix = (messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "v1," + Base64.getEncoder().encodeToString(hmac(key, signed));
    }

    static String shopifyHmac(String secret, byte[] body) {
        return Base64.getEncoder().encodeToString(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
