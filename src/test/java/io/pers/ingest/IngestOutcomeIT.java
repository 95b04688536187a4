package io.pers.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pers.claim.CampaignSetup;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.webhook.Receiver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * No silent outcome: every event a connector delivers ends CLAIMED, REJECTED (with its code) or
 * UNMATCHED (with its reason), through the routes, the trigger topic, the matcher and the claim
 * workflow; the ingest answer says what it knows at once; /v2/ingest-events lists and filters
 * them per tenant; a subscribed partner hears trigger.unmatched and trigger.rejected.
 */
class IngestOutcomeIT extends ApiTest {

    private static final Duration DECIDED = Duration.ofSeconds(60);
    private static final String SECRET = "vendor-signing-secret-0123456789";
    private static final Receiver RECEIVER = new Receiver();
    /** Older than the event-time horizon (ApiTest sets it to 3650 days for the shipped samples' dates). */
    private static final Instant BEYOND_THE_HORIZON = Instant.parse("2001-01-01T00:00:00Z");

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void eachOrderEndsClaimedRejectedOrUnmatchedAndTheListFiltersThem() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = IngestIT.systemCampaign(setup);
        String url = IngestIT.connect(setup, "shopify", SECRET);
        UUID mapping = IngestIT.mapping(
                setup,
                "shopify",
                "com.shopify.order.paid",
                "double(event.data.total_price) >= 10.0",
                "int(double(event.data.total_price))",
                campaign);
        String endpoint = subscribe(setup, List.of("trigger.*"));

        Api.Response paid = shopify(url, "paid-now", order(Instant.now(), "25.00"));
        Api.Response small = shopify(url, "paid-small", order(Instant.now(), "5.00"));
        Api.Response old = shopify(url, "paid-long-ago", order(BEYOND_THE_HORIZON, "25.00"));

        assertThat(paid.status()).as(paid.toString()).isEqualTo(202);
        assertThat(paid.text("outcome")).isEqualTo("RECEIVED");
        assertThat(old.status()).as(old.toString()).isEqualTo(202);
        assertThat(old.text("status")).isEqualTo("accepted");
        assertThat(old.text("outcome")).isEqualTo("REJECTED");
        assertThat(old.text("code")).isEqualTo("EVENT_TIME_OUT_OF_RANGE");

        JsonNode claimed = awaitOutcome(setup, paid.text("id"), "CLAIMED");
        JsonNode claim = setup.tenant
                .admin()
                .get("/v2/campaigns/claims/" + claimed.path("claimId").asString())
                .json();
        assertThat(claim.path("status").asString()).isIn("COMPLETED", "PENDING", "SETTLED", "PENDING_SETTLEMENT");
        assertThat(claimed.path("mappingId").asString()).isEqualTo(mapping.toString());
        assertThat(claimed.path("mappingVersion").asInt()).isEqualTo(1);
        assertThat(claimed.path("eventId").asString()).isEqualTo("paid-now");
        assertThat(claimed.path("event").path("data").path("total_price").asString())
                .isEqualTo("25.00");

        JsonNode unmatched = awaitOutcome(setup, small.text("id"), "UNMATCHED");
        assertThat(unmatched.path("code").asString()).isEqualTo("NO_MAPPING_FIRED");
        assertThat(unmatched.path("reason").asString()).isEqualTo("condition does not hold");
        assertThat(unmatched.path("mappingId").asString()).isEqualTo(mapping.toString());

        // Too old: the claim is made and its workflow rejects it; the rejection reaches the event.
        JsonNode rejected = awaitOutcome(setup, old.text("id"), "REJECTED");
        assertThat(rejected.path("code").asString()).isEqualTo("EVENT_TIME_OUT_OF_RANGE");
        JsonNode rejectedClaim = setup.tenant
                .admin()
                .get("/v2/campaigns/claims/" + rejected.path("claimId").asString())
                .json();
        assertThat(rejectedClaim.path("rejectionCode").asString()).isEqualTo("EVENT_TIME_OUT_OF_RANGE");

        assertThat(ids(setup, "")).containsExactlyInAnyOrder(paid.text("id"), small.text("id"), old.text("id"));
        assertThat(ids(setup, "outcome=CLAIMED")).containsExactly(paid.text("id"));
        assertThat(ids(setup, "outcome=UNMATCHED")).containsExactly(small.text("id"));
        assertThat(ids(setup, "outcome=REJECTED")).containsExactly(old.text("id"));
        String connection = claimed.path("connectionId").asString();
        assertThat(ids(setup, "connectionId=" + connection)).hasSize(3);
        assertThat(ids(setup, "connectionId=" + UUID.randomUUID())).isEmpty();
        assertThat(ids(setup, "since=" + Instant.now().plus(1, ChronoUnit.HOURS)))
                .isEmpty();
        Api.Response badOutcome = setup.tenant.admin().get("/v2/ingest-events?outcome=LOST");
        assertThat(badOutcome.status()).as(badOutcome.toString()).isEqualTo(400);

        List<JsonNode> told = awaitWebhooks(endpoint, 2);
        assertThat(told)
                .extracting(w -> w.path("type").asString())
                .containsExactlyInAnyOrder("trigger.unmatched", "trigger.rejected");
        assertThat(told)
                .extracting(w -> w.path("data").path("id").asString())
                .containsExactlyInAnyOrder(small.text("id"), old.text("id"));
    }

    @Test
    void aSquarePaymentWithoutBuyerIsUnmatchedAndItsCorrectedDeliveryEarns() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = IngestIT.systemCampaign(setup);
        String url = IngestIT.connect(setup, "square", SECRET);
        IngestIT.mapping(setup, "square", "com.squareup.payment.completed", null, "1", campaign);
        String endpoint = subscribe(setup, List.of("trigger.unmatched"));
        byte[] anonymous = square(payment -> {
            payment.remove("buyer_email_address");
            payment.remove("customer_id");
        });

        Api.Response first = square(url, anonymous);
        Api.Response again = square(url, anonymous);

        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(first.text("outcome")).isEqualTo("UNMATCHED");
        assertThat(first.text("code")).isEqualTo("NO_IDENTITY");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.text("status")).isEqualTo("duplicate");
        JsonNode unmatched = awaitOutcome(setup, first.text("id"), "UNMATCHED");
        assertThat(unmatched.path("code").asString()).isEqualTo("NO_IDENTITY");
        JsonNode told = awaitWebhooks(endpoint, 1).get(0);
        assertThat(told.path("type").asString()).isEqualTo("trigger.unmatched");
        assertThat(told.path("data").path("code").asString()).isEqualTo("NO_IDENTITY");
        assertThat(told.path("data").path("eventId").asString())
                .isEqualTo(unmatched.path("eventId").asString());

        // Square sends the payment again once its buyer is known: same event id, now it earns.
        Api.Response corrected = square(url, square(payment -> {}));

        assertThat(corrected.status()).as(corrected.toString()).isEqualTo(202);
        assertThat(corrected.text("status")).isEqualTo("accepted");
        assertThat(corrected.text("outcome")).isEqualTo("RECEIVED");
        assertThat(corrected.text("id")).isEqualTo(first.text("id"));
        JsonNode claimed = awaitOutcome(setup, first.text("id"), "CLAIMED");
        await().atMost(DECIDED).until(() -> IngestIT.completedClaims(setup) == 1);
        assertThat(claimed.path("subject").asString()).isEqualTo("ana.silva@example.com");
        assertThat(setup.tenant
                        .admin()
                        .get("/v2/ingest-events")
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(1);
        assertThat(square(url, square(payment -> {})).text("status")).isEqualTo("duplicate");
    }

    /** A refund names no customer: the answer says it cannot earn, and its REVERSE mapping still applies. */
    @Test
    void aRefundIsReversedThoughItNamesNoCustomer() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = IngestIT.systemCampaign(setup);
        String url = IngestIT.connect(setup, "shopify", SECRET);
        UUID reverse = CampaignSetup.id(setup.tenant
                .admin()
                .post(
                        "/v2/trigger-mappings",
                        Map.of(
                                "source", "shopify",
                                "eventType", "com.shopify.refund.created",
                                "action", "REVERSE",
                                "reference", "event.data.order_id",
                                "amount", "event.data.amount",
                                "campaignId", campaign.toString())));
        Path sample = Path.of("connectors", "shopify", "samples", "refunds-create-partial.json");

        Api.Response refunded = shopify(url, sample, "refund-1", Files.readAllBytes(sample));

        assertThat(refunded.status()).as(refunded.toString()).isEqualTo(202);
        assertThat(refunded.text("code")).isEqualTo("NO_IDENTITY");
        JsonNode reversed = awaitOutcome(setup, refunded.text("id"), "REVERSED");
        assertThat(reversed.path("mappingId").asString()).isEqualTo(reverse.toString());
        assertThat(reversed.path("code").isNull()).isTrue();
    }

    @Test
    void anotherTenantSeesNoneOfTheEvents() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        String url = IngestIT.connect(setup, "shopify", SECRET);
        Api.Response paid = shopify(url, "paid-elsewhere", order(Instant.now(), "25.00"));
        JsonNode unmatched = awaitOutcome(setup, paid.text("id"), "UNMATCHED");
        assertThat(unmatched.path("code").asString()).isEqualTo("NO_ACTIVE_MAPPING");

        CampaignSetup other = new CampaignSetup(newTenant());
        Api.Response read = other.tenant.admin().get("/v2/ingest-events/" + paid.text("id"));
        assertThat(read.status()).as(read.toString()).isEqualTo(404);
        assertThat(other.tenant
                        .admin()
                        .get("/v2/ingest-events")
                        .json()
                        .path("total")
                        .asLong())
                .isZero();
    }

    // --- helpers

    /** A Shopify orders/paid body of the shipped sample, paid at {@code at} for {@code total}. */
    private static byte[] order(Instant at, String total) throws IOException {
        ObjectNode body = (ObjectNode) Api.JSON.readTree(shopifySample().toFile());
        body.put("processed_at", at.toString());
        body.put("total_price", total);
        return Api.JSON.writeValueAsBytes(body);
    }

    private static Path shopifySample() {
        return Path.of("connectors", "shopify", "samples", "orders-paid-single-item.json");
    }

    private static Api.Response shopify(String url, String webhookId, byte[] body) throws IOException {
        return shopify(url, shopifySample(), webhookId, body);
    }

    /** Delivers {@code body} as Shopify would a delivery of {@code sample}: its headers, a valid HMAC. */
    private static Api.Response shopify(String url, Path sample, String webhookId, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        IngestIT.headers(sample).forEach(request::setHeader);
        request.setHeader("x-shopify-webhook-id", webhookId);
        request.setHeader("X-Shopify-Hmac-Sha256", IngestIT.shopifyHmac(SECRET, body));
        return new Api("http://x").send(request);
    }

    private static Path squareSample() {
        return Path.of("connectors", "square", "samples", "payment-updated-card-completed.json");
    }

    /** The shipped Square card payment, updated now, with its payment changed by {@code edit}. */
    private static byte[] square(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode body = (ObjectNode) Api.JSON.readTree(squareSample().toFile());
        ObjectNode payment = (ObjectNode) body.path("data").path("object").path("payment");
        payment.put("updated_at", Instant.now().toString());
        edit.accept(payment);
        return Api.JSON.writeValueAsBytes(body);
    }

    private static Api.Response square(String url, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        IngestIT.headers(squareSample()).forEach(request::setHeader);
        ConnectorsIT.SQUARE.sign(url, body).forEach(request::setHeader);
        return new Api("http://x").send(request);
    }

    private static JsonNode awaitOutcome(CampaignSetup setup, String id, String outcome) {
        return await().atMost(DECIDED)
                .until(() -> setup.tenant.admin().get("/v2/ingest-events/" + id).json(), e -> e.path("outcome")
                        .asString()
                        .equals(outcome));
    }

    private static List<String> ids(CampaignSetup setup, String query) {
        return setup.tenant
                .admin()
                .get("/v2/ingest-events?size=50&" + query)
                .json()
                .path("items")
                .valueStream()
                .map(e -> e.path("id").asString())
                .toList();
    }

    /** A partner endpoint subscribed to {@code types}; its URL. */
    private static String subscribe(CampaignSetup setup, List<String> types) {
        String endpoint = RECEIVER.endpoint(200);
        Api.Response subscribed =
                setup.tenant.admin().post("/v2/webhooks", Map.of("url", endpoint, "eventTypes", types));
        assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);
        return endpoint;
    }

    private static List<JsonNode> awaitWebhooks(String endpoint, int count) {
        await().atMost(DECIDED).until(() -> RECEIVER.received(endpoint).size() >= count);
        return RECEIVER.received(endpoint).stream()
                .map(r -> Api.JSON.readTree(r.getBodyAsString()))
                .toList();
    }
}
