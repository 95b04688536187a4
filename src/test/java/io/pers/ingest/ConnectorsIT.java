package io.pers.ingest;

import static io.pers.ingest.IngestIT.completedClaims;
import static io.pers.ingest.IngestIT.connect;
import static io.pers.ingest.IngestIT.hmac;
import static io.pers.ingest.IngestIT.mapping;
import static io.pers.ingest.IngestIT.samples;
import static io.pers.ingest.IngestIT.systemCampaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pers.claim.CampaignSetup;
import io.pers.stack.KafkaTarget;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the replay kit (ConnectorSamplesIT: every sample of every connector, signed, delivered
 * twice, to its expected canonical triggers) does not show: HubSpot batch counts, forgeries, a
 * stale HubSpot timestamp, a Square signature over another URL, WooCommerce's unsigned creation
 * ping, schema refusals and the partner topic.
 */
class ConnectorsIT extends ApiTest {

    private static final Duration CLAIMED = Duration.ofSeconds(30);
    private static final String SECRET = "vendor-signing-secret-0123456789";

    @Autowired
    JdbcClient db;

    @Autowired
    KafkaTarget kafka;

    @Autowired
    MeterRegistry meters;

    /** Signs a delivery of {@code body} to {@code url} the vendor's way: the headers to add. */
    interface Signer {
        Map<String, String> sign(String url, byte[] body);
    }

    static final Signer WOOCOMMERCE = (url, body) -> Map.of("X-WC-Webhook-Signature", base64Hmac(utf8(SECRET), body));
    static final Signer SQUARE =
            (url, body) -> Map.of("x-square-hmacsha256-signature", base64Hmac(utf8(SECRET), concat(utf8(url), body)));
    static final Signer HUBSPOT = (url, body) -> hubspot(url, body, Instant.now());

    @Test
    void aHubSpotBatchAnswersItsCountsAndDedupsEachEventOnItsOwn() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        String url = connect(setup, "hubspot", SECRET);
        Path sample = sample("hubspot", "contact-mixed-batch");
        byte[] body = Files.readAllBytes(sample);
        byte[] creationOnly = utf8("[" + Api.JSON.readTree(body).get(0) + "]");

        Api.Response single = deliver(url, sample, creationOnly, HUBSPOT.sign(url, creationOnly));
        Api.Response batch = deliver(url, sample, body, HUBSPOT.sign(url, body));

        assertThat(single.status()).as(single.toString()).isEqualTo(202);
        assertThat(batch.status()).as(batch.toString()).isEqualTo(202);
        assertThat(batch.json().path("accepted").asInt()).isEqualTo(1);
        assertThat(batch.json().path("duplicates").asInt()).isEqualTo(1);
        assertThat(batch.json().path("ignored").asInt()).isEqualTo(1);
        assertThat(batch.json().path("eventIds").toString()).contains("1384722598", "2917304477");
        assertThat(IngestIT.storedEvents(db, setup.tenant.id(), "hubspot")).isEqualTo(2);

        byte[] oneBad =
                utf8(new String(body, StandardCharsets.UTF_8).replace("\"eventId\": 2917304477", "\"eventId\": null"));
        Api.Response refused = deliver(url, sample, oneBad, HUBSPOT.sign(url, oneBad));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("INVALID_EVENT");
        byte[] notAnArray = Api.JSON.writeValueAsBytes(Api.JSON.readTree(body).get(0));
        assertThat(deliver(url, sample, notAnArray, HUBSPOT.sign(url, notAnArray))
                        .code())
                .isEqualTo("MALFORMED_JSON");
        assertThat(IngestIT.storedEvents(db, setup.tenant.id(), "hubspot"))
                .as("nothing of a refused batch")
                .isEqualTo(2);
    }

    @Test
    void forgedDeliveriesAreRefusedAndStoreNothing() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        Map<String, Signer> signers = Map.of("woocommerce", WOOCOMMERCE, "square", SQUARE, "hubspot", HUBSPOT);
        for (Map.Entry<String, Signer> connector : signers.entrySet()) {
            String url = connect(setup, connector.getKey(), SECRET);
            Path sample = samples(connector.getKey()).get(0);
            byte[] body = Files.readAllBytes(sample);
            byte[] tampered = utf8(new String(body, StandardCharsets.UTF_8).replaceFirst("[0-9]", "9"));
            Map<String, String> forgedHeaders =
                    new java.util.HashMap<>(connector.getValue().sign(url, body));
            forgedHeaders.replaceAll((name, value) -> name.toLowerCase().contains("signature")
                    ? base64Hmac(utf8("not-the-secret-at-all-000000"), body)
                    : value);

            List<Api.Response> refused = List.of(
                    deliver(url, sample, body, forgedHeaders),
                    deliver(url, sample, body, Map.of()),
                    deliver(url, sample, tampered, connector.getValue().sign(url, body)));
            for (Api.Response response : refused) {
                assertThat(response.status())
                        .as(connector.getKey() + ": " + response)
                        .isEqualTo(401);
                assertThat(response.header("content-type")).startsWith("application/problem+json");
                assertThat(response.code()).isEqualTo("INVALID_SIGNATURE");
            }
            assertThat(IngestIT.storedEvents(db, setup.tenant.id(), connector.getKey()))
                    .isZero();
        }
    }

    @Test
    void aHubSpotSignatureOlderThanFiveMinutesIsRefused() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        String url = connect(setup, "hubspot", SECRET);
        Path sample = samples("hubspot").get(0);
        byte[] body = Files.readAllBytes(sample);

        Api.Response stale =
                deliver(url, sample, body, hubspot(url, body, Instant.now().minusSeconds(301)));
        Api.Response recent =
                deliver(url, sample, body, hubspot(url, body, Instant.now().minusSeconds(240)));

        assertThat(stale.status()).as(stale.toString()).isEqualTo(401);
        assertThat(stale.code()).isEqualTo("INVALID_SIGNATURE");
        assertThat(recent.status()).as(recent.toString()).isEqualTo(202);
    }

    @Test
    void aSquareSignatureIsBoundToTheIngestUrl() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        String url = connect(setup, "square", SECRET);
        Path sample = samples("square").get(0);
        byte[] body = Files.readAllBytes(sample);
        String elsewhere = url.replace("http://localhost:" + port, "https://pers.example.com");

        Api.Response otherUrl = deliver(url, sample, body, SQUARE.sign(elsewhere, body));
        Api.Response otherConnection = deliver(
                url,
                sample,
                body,
                SQUARE.sign(url.replaceAll("[0-9a-f-]{36}$", UUID.randomUUID().toString()), body));

        for (Api.Response refused : List.of(otherUrl, otherConnection)) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
            assertThat(refused.code()).isEqualTo("INVALID_SIGNATURE");
        }
        assertThat(IngestIT.storedEvents(db, setup.tenant.id(), "square")).isZero();
        assertThat(deliver(url, sample, body, SQUARE.sign(url, body)).status()).isEqualTo(202);
    }

    @Test
    void wooCommercesCreationPingIsAnswered200AndOtherStatusesIgnored() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        String url = connect(setup, "woocommerce", SECRET);
        Path sample = sample("woocommerce", "order-updated-processing");

        Api.Response ping = new Api("http://x")
                .send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("User-Agent", "WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)")
                        .POST(HttpRequest.BodyPublishers.ofString("webhook_id=17")));
        byte[] onHold = utf8(Files.readString(sample).replace("\"status\": \"processing\"", "\"status\": \"on-hold\""));
        Api.Response ignored = deliver(url, sample, onHold, WOOCOMMERCE.sign(url, onHold));
        byte[] notAPing = utf8("webhook_id=17&status=completed");
        Api.Response unsignedForm = deliver(url, sample, notAPing, Map.of());

        assertThat(ping.status()).as(ping.toString()).isEqualTo(200);
        assertThat(ping.text("status")).isEqualTo("ping");
        assertThat(ignored.status()).as(ignored.toString()).isEqualTo(202);
        assertThat(ignored.text("status")).isEqualTo("ignored");
        assertThat(unsignedForm.status()).as(unsignedForm.toString()).isEqualTo(401);
        assertThat(IngestIT.storedEvents(db, setup.tenant.id(), "woocommerce")).isZero();
    }

    @Test
    void anEventThatBreaksTheCanonicalSchemaIsRefusedNamingTheFieldAndStoresNothing() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        Api.Response created = setup.tenant.admin().post("/v2/connectors", Map.of("connector", "pers-webhook"));
        String secret = created.text("signingSecret");
        String url = created.text("ingestUrl");
        byte[] badTime = Api.JSON.writeValueAsBytes(Map.of(
                "id", "schema-1", "source", "https://crm.example", "type", "com.example.crm.visit", "time", "noon"));
        byte[] noSource = Api.JSON.writeValueAsBytes(
                Map.of("id", "schema-2", "type", "com.example.crm.visit", "subject", "x@y.z"));

        Api.Response time = IngestIT.standardWebhook(url, secret, "msg_schema_1", badTime);
        Api.Response source = IngestIT.standardWebhook(url, secret, "msg_schema_2", noSource);

        assertThat(time.status()).as(time.toString()).isEqualTo(400);
        assertThat(time.code()).isEqualTo("INVALID_EVENT");
        assertThat(time.text("detail")).startsWith("time: ");
        assertThat(source.status()).as(source.toString()).isEqualTo(400);
        assertThat(source.text("detail")).startsWith("source: ");
        assertThat(IngestIT.storedEvents(db, setup.tenant.id(), "pers-webhook")).isZero();
    }

    @Test
    void aSignedPartnerRecordMintsOneClaimAndForgedOnesAreSkippedUnstored() throws Exception {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = systemCampaign(setup);
        Api.Response created = setup.tenant.admin().post("/v2/connectors", Map.of("connector", "pers-webhook"));
        String secret = created.text("signingSecret");
        String connection = created.json().path("connection").path("id").asString();
        mapping(setup, "pers-webhook", "com.example.partner.visit", null, "1", campaign);
        double refusedBefore = counted("pers.ingest.partner.refused");
        double takenBefore = counted("pers.ingest.partner.taken");
        byte[] visit = Api.JSON.writeValueAsBytes(Map.of(
                "id", "partner-visit-1",
                "source", "https://partner.example/doors",
                "type", "com.example.partner.visit",
                "subject", "partner.guest@example.com",
                "data", Map.of("door", "spa")));
        long now = Instant.now().getEpochSecond();
        String valid = IngestIT.standardSignature(secret, "msg_partner_1", now, visit);
        String forged = IngestIT.standardSignature(
                "whsec_" + Base64.getEncoder().encodeToString(new byte[32]), "msg_partner_1", now, visit);

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            // One key, one partition: the valid records are read after the refused ones.
            producer.send(record(visit, connection, "msg_partner_1", now, forged))
                    .get();
            producer.send(record(visit, connection, null, now, null)).get();
            producer.send(new ProducerRecord<>(PartnerEvents.TOPIC, "partner-a", (byte[]) null))
                    .get();
            producer.send(record(visit, UUID.randomUUID().toString(), "msg_partner_1", now, valid))
                    .get();
            producer.send(record(visit, connection, "msg_partner_1", now, valid))
                    .get();
            producer.send(record(visit, connection, "msg_partner_1", now, valid))
                    .get();
        }

        await().atMost(CLAIMED).until(() -> counted("pers.ingest.partner.taken") - takenBefore == 2);
        assertThat(counted("pers.ingest.partner.refused") - refusedBefore).isEqualTo(4);
        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 1);
        assertThat(IngestIT.storedEvents(db, setup.tenant.id(), "pers-webhook")).isEqualTo(1);
        assertThat(setup.tenant
                        .admin()
                        .get("/v2/campaigns/claims?size=100")
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(1);
    }

    // --- helpers

    private static ProducerRecord<String, byte[]> record(
            byte[] event, String connection, String messageId, long timestamp, String signature) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(PartnerEvents.TOPIC, "partner-a", event);
        record.headers().add(PartnerEvents.CONNECTION_HEADER, utf8(connection));
        if (messageId != null) {
            record.headers().add("webhook-id", utf8(messageId));
        }
        record.headers().add("webhook-timestamp", utf8(Long.toString(timestamp)));
        if (signature != null) {
            record.headers().add("webhook-signature", utf8(signature));
        }
        return record;
    }

    private double counted(String name) {
        return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static Api.Response deliver(String url, Path sample, byte[] body, Map<String, String> signature)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        Map<String, String> headers = new java.util.LinkedHashMap<>(IngestIT.headers(sample));
        headers.putAll(signature);
        headers.forEach(request::setHeader);
        return new Api("http://x").send(request);
    }

    private static Map<String, String> hubspot(String url, byte[] body, Instant at) {
        String timestamp = Long.toString(at.toEpochMilli());
        byte[] signed = concat(utf8("POST" + url), body, utf8(timestamp));
        return Map.of(
                "X-HubSpot-Request-Timestamp", timestamp, "X-HubSpot-Signature-v3", base64Hmac(utf8(SECRET), signed));
    }

    private static Path sample(String connector, String name) {
        return Path.of("connectors", connector, "samples", name + ".json");
    }

    static String base64Hmac(byte[] key, byte[] data) {
        return Base64.getEncoder().encodeToString(hmac(key, data));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
