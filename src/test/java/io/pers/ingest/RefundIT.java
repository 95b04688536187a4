package io.pers.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pers.claim.CampaignSetup;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.tenant.TenantContext;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Refunds and event-time windows end to end: Shopify orders/paid and refunds/create deliveries
 * through the connector's route, the trigger topic, the matcher, and the claim and reversal
 * workflows on the embedded stack. A campaign mints 10 points per whole euro of an order; a
 * refund takes back floor(points x refunded so far / order total), less what earlier refunds took.
 */
class RefundIT extends ApiTest {

    private static final Duration DONE = Duration.ofSeconds(60);
    private static final String SECRET = "shpss_refunds0123456789abcdef0123456789";
    private static final Path SAMPLES = Path.of("connectors", "shopify", "samples");
    private static final long POINTS_PER_EURO = 10;

    @Autowired
    JdbcClient db;

    @Autowired
    TriggerLog triggers;

    /** A tenant with a Shopify connection, an earning campaign and its CLAIM and REVERSE mappings. */
    private final class Shop {
        final CampaignSetup setup = new CampaignSetup(newTenant());
        final UUID campaign;
        final String url;

        Shop(Map<String, Object> campaignFields) {
            campaign = setup.campaign(
                    POINTS_PER_EURO,
                    100_000L,
                    Map.of("triggerType", "CLAIM_BY_SYSTEM", "maxMultiplier", 1000),
                    campaignFields);
            Api.Response connected = setup.tenant
                    .admin()
                    .post("/v2/connectors", Map.of("connector", "shopify", "signingSecret", SECRET));
            assertThat(connected.status()).as(connected.toString()).isEqualTo(201);
            url = connected.text("ingestUrl");
            mapping(Map.of(
                    "eventType", "com.shopify.order.paid",
                    "multiplier", "int(double(event.data.total_price))",
                    "reference", "event.data.order_id",
                    "amount", "event.data.total_price"));
            mapping(Map.of(
                    "eventType", "com.shopify.refund.created",
                    "action", "REVERSE",
                    "reference", "event.data.order_id",
                    "amount", "event.data.amount"));
        }

        Shop() {
            this(Map.of());
        }

        void mapping(Map<String, Object> fields) {
            Map<String, Object> body = new HashMap<>(fields);
            body.put("source", "shopify");
            body.put("campaignId", campaign.toString());
            CampaignSetup.id(setup.tenant.admin().post("/v2/trigger-mappings", body));
        }

        /** Delivers a sample (as Shopify would: its headers, a valid HMAC), changed by {@code edit}. */
        Api.Response deliver(String sample, String webhookId, java.util.function.Consumer<ObjectNode> edit)
                throws IOException {
            Path file = SAMPLES.resolve(sample + ".json");
            ObjectNode body = (ObjectNode) Api.JSON.readTree(file.toFile());
            edit.accept(body);
            byte[] bytes = Api.JSON.writeValueAsBytes(body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("X-Shopify-Hmac-Sha256", IngestIT.shopifyHmac(SECRET, bytes))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            IngestIT.headers(file).forEach((name, value) -> {
                if (!name.equals("x-shopify-webhook-id")) {
                    request.header(name, value);
                }
            });
            request.header("x-shopify-webhook-id", webhookId);
            return new Api("http://x").send(request);
        }

        Api.Response deliver(String sample) throws IOException {
            return deliver(
                    sample, IngestIT.headers(SAMPLES.resolve(sample + ".json")).get("x-shopify-webhook-id"), b -> {});
        }

        /** A refund of {@code amount} euros of an order, with its own refund and delivery ids. */
        void refund(long orderId, String amount, String webhookId) throws IOException {
            Api.Response delivered = deliver("refunds-create-partial", webhookId, body -> {
                body.put("id", Math.abs(webhookId.hashCode()));
                body.put("order_id", orderId);
                ((ObjectNode) body.path("transactions").get(0)).put("amount", amount);
                ((ObjectNode) body.path("transactions").get(0)).put("order_id", orderId);
            });
            assertThat(delivered.status()).as(delivered.toString()).isEqualTo(202);
        }

        JsonNode awaitClaim() {
            return await().atMost(DONE).until(() -> onlyClaim(), c -> c != null && decided(c));
        }

        JsonNode onlyClaim() {
            JsonNode items = setup.tenant
                    .admin()
                    .get("/v2/campaigns/claims?size=10")
                    .json()
                    .path("items");
            if (items.size() != 1) {
                return null;
            }
            return setup.tenant
                    .admin()
                    .get("/v2/campaigns/claims/" + items.get(0).path("id").asString())
                    .json();
        }

        /**
         * The reversals, newest first, once {@code count} of them are decided; each names the
         * REVERSE mapping's version that decided it (these tests never change a mapping: 1).
         */
        JsonNode awaitReversals(int count) {
            JsonNode reversals = await().atMost(DONE)
                    .until(
                            () -> setup.tenant
                                    .admin()
                                    .get("/v2/claim-reversals?size=50&sort=createdAt,desc")
                                    .json()
                                    .path("items"),
                            items -> items.size() == count
                                    && items.valueStream()
                                            .noneMatch(r ->
                                                    r.path("status").asString().equals("PENDING")));
            reversals.forEach(r -> assertThat(r.path("mappingVersion").asInt()).isEqualTo(1));
            return reversals;
        }

        UUID user(String email) {
            return UUID.fromString(setup.tenant
                    .admin()
                    .get("/v2/users?email=" + email)
                    .json()
                    .path("items")
                    .get(0)
                    .path("id")
                    .asString());
        }

        BigInteger balance(UUID user) {
            return setup.tenant.balance(user, setup.token);
        }

        BigInteger budgetUsed() {
            return TenantContext.callAs(setup.tenant.id(), () -> db.sql(
                            "select used_amount from campaign_token_units where campaign_id = ?")
                    .param(campaign)
                    .query(java.math.BigDecimal.class)
                    .single()
                    .toBigIntegerExact());
        }

        List<JsonNode> events(String type) {
            return TenantContext.callAs(
                            setup.tenant.id(), () -> db.sql("select payload::text from domain_events where type = ?")
                                    .param(type)
                                    .query(String.class)
                                    .list())
                    .stream()
                    .map(Api.JSON::readTree)
                    .toList();
        }

        /** Invariant 2: hash chain intact, every entry balanced, balances = postings. */
        void assertLedgerVerifies() {
            Api.Response verification = setup.tenant.admin().get("/v2/ledger/verification");
            assertThat(verification.json().path("valid").asBoolean())
                    .as(verification.toString())
                    .isTrue();
        }
    }

    private static boolean decided(JsonNode claim) {
        return !claim.path("status").asString().equals("PENDING");
    }

    @Test
    void aFullRefundReversesEveryPointTheOrderEarnedAndGivesTheBudgetBack() throws IOException {
        Shop shop = new Shop();
        assertThat(shop.deliver("orders-paid-single-item").status()).isEqualTo(202);
        JsonNode claim = shop.awaitClaim();
        assertThat(claim.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(claim.path("externalRef").asString()).isEqualTo("5324830114101");
        UUID ana = shop.user("ana.silva@example.com");
        assertThat(shop.balance(ana)).isEqualTo(BigInteger.valueOf(250)); // 25.00 EUR
        assertThat(shop.budgetUsed()).isEqualTo(BigInteger.valueOf(250));

        assertThat(shop.deliver("refunds-create-full").status()).isEqualTo(202);

        JsonNode reversal = shop.awaitReversals(1).get(0);
        assertThat(reversal.path("status").asString()).isEqualTo("REVERSED");
        assertThat(reversal.path("externalRef").asString()).isEqualTo("5324830114101");
        assertThat(reversal.path("lines").get(0).path("due").asString()).isEqualTo("250");
        assertThat(reversal.path("lines").get(0).path("reversed").asString()).isEqualTo("250");
        assertThat(reversal.path("lines").get(0).path("shortfall").asString()).isEqualTo("0");
        assertThat(shop.balance(ana)).isZero();
        assertThat(shop.budgetUsed()).as("the budget came back").isZero();
        JsonNode after = shop.onlyClaim();
        assertThat(after.path("reversals").size()).isEqualTo(1);
        assertThat(after.path("transactions").valueStream().map(t -> t.path("type")
                        .asString()))
                .containsExactly("MINT", "REVERSAL");
        assertThat(shop.events("claim.reversed")).singleElement().satisfies(e -> {
            assertThat(e.path("status").asString()).isEqualTo("REVERSED");
            assertThat(e.path("lines").get(0).path("userId").asString()).isEqualTo(ana.toString());
        });
        shop.assertLedgerVerifies();
    }

    @Test
    void partialRefundsReverseInProportionCumulativelyAndTheLastTakesTheRemainder() throws IOException {
        Shop shop = new Shop();
        shop.deliver("orders-paid-multi-item"); // 64.90 EUR: 640 points
        assertThat(shop.awaitClaim().path("status").asString()).isEqualTo("COMPLETED");
        UUID joao = shop.user("joao.pereira@example.com");
        assertThat(shop.balance(joao)).isEqualTo(BigInteger.valueOf(640));
        long order = 5324830114102L;

        shop.refund(order, "9.50", "refund-1"); // floor(640 x 9.50 / 64.90) = 93
        shop.awaitReversals(1);
        assertThat(shop.balance(joao)).isEqualTo(BigInteger.valueOf(640 - 93));
        shop.refund(order, "20.00", "refund-2"); // floor(640 x 29.50 / 64.90) = 290 in all: 197 more
        shop.awaitReversals(2);
        assertThat(shop.balance(joao)).isEqualTo(BigInteger.valueOf(640 - 290));
        shop.refund(order, "35.40", "refund-3"); // 64.90 refunded: all 640, so the last 350
        JsonNode reversals = shop.awaitReversals(3);

        assertThat(reversals
                        .valueStream()
                        .map(r -> r.path("lines").get(0).path("reversed").asString()))
                .containsExactly("350", "197", "93");
        assertThat(reversals.valueStream().map(r -> r.path("status").asString()))
                .containsOnly("REVERSED");
        assertThat(shop.balance(joao)).isZero();
        assertThat(shop.budgetUsed()).isZero();
        assertThat(shop.onlyClaim().path("reversals").size()).isEqualTo(3);
        shop.assertLedgerVerifies();
    }

    @Test
    void theSameRefundDeliveredTwiceOrReadTwiceReversesOnceAndARefundOfAnUnknownOrderReversesNothing()
            throws IOException {
        Shop shop = new Shop();
        shop.deliver("orders-paid-single-item");
        shop.awaitClaim();
        UUID ana = shop.user("ana.silva@example.com");
        // Only 10.00 of the 25.00: a second reversal would show in the balance.
        shop.refund(5324830114101L, "10.00", "refund-once");
        shop.awaitReversals(1);
        assertThat(shop.balance(ana)).isEqualTo(BigInteger.valueOf(150));

        Api.Response again = shop.deliver("refunds-create-partial", "refund-once", body -> {
            body.put("id", Math.abs("refund-once".hashCode()));
            body.put("order_id", 5324830114101L);
            ((ObjectNode) body.path("transactions").get(0)).put("amount", "10.00");
            ((ObjectNode) body.path("transactions").get(0)).put("order_id", 5324830114101L);
        });
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        // The topic may hand the refund over again (a matcher stopped before its offset commit).
        String stored = TenantContext.callAs(shop.setup.tenant.id(), () -> db.sql(
                        "select event::text from ingest_events where event_id = 'refund-once'")
                .query(String.class)
                .single());
        triggers.publish(shop.setup.tenant.id() + ":", stored);
        triggers.publish(shop.setup.tenant.id() + ":", stored);
        // Same key, same partition: once this later refund is decided, the replays were read.
        shop.refund(999L, "5.00", "refund-of-an-order-paid-before-pers");

        JsonNode reversals = shop.awaitReversals(2);
        assertThat(reversals.get(0).path("status").asString()).isEqualTo("NOTHING_TO_REVERSE");
        assertThat(reversals.get(0).path("lines")).isEmpty();
        assertThat(reversals.get(1).path("status").asString()).isEqualTo("REVERSED");
        assertThat(shop.balance(ana)).isEqualTo(BigInteger.valueOf(150));
        assertThat(shop.events("claim.reversed")).hasSize(2);
        shop.assertLedgerVerifies();
    }

    /**
     * Orders and refunds travel on different partitions of the trigger topic: a refund may be
     * matched before its order's claim is recorded. It waits (unknown-order-wait) for the claim.
     */
    @Test
    void aRefundMatchedBeforeItsOrdersClaimStillReversesIt() throws IOException {
        Shop shop = new Shop();

        assertThat(shop.deliver("refunds-create-full").status()).isEqualTo(202);
        assertThat(shop.deliver("orders-paid-single-item").status()).isEqualTo(202);

        JsonNode reversal = shop.awaitReversals(1).get(0);
        assertThat(reversal.path("status").asString()).isEqualTo("REVERSED");
        assertThat(reversal.path("lines").get(0).path("reversed").asString()).isEqualTo("250");
        assertThat(shop.awaitClaim().path("status").asString()).isEqualTo("COMPLETED");
        assertThat(shop.balance(shop.user("ana.silva@example.com"))).isZero();
        shop.assertLedgerVerifies();
    }

    /**
     * Policy "floor" (workflows/claim.yaml): the user spent 200 of the 250 points before the
     * refund. The refund takes the 50 left, records a shortfall of 200, and no balance goes
     * negative; the budget gets back only what was taken.
     */
    @Test
    void aRefundAfterThePointsWereSpentTakesWhatIsLeftAndRecordsTheShortfall() throws IOException {
        Shop shop = new Shop();
        shop.deliver("orders-paid-single-item");
        shop.awaitClaim();
        UUID ana = shop.user("ana.silva@example.com");
        UUID friend = shop.setup.tenant.createUser("friend@refunds.test");
        Api.Response spent = shop.setup.tenant.transfer(shop.setup.token, ana, friend, 200);
        assertThat(spent.status()).as(spent.toString()).isEqualTo(201);

        shop.deliver("refunds-create-full");

        JsonNode reversal = shop.awaitReversals(1).get(0);
        assertThat(reversal.path("status").asString()).isEqualTo("PARTIALLY_REVERSED");
        JsonNode line = reversal.path("lines").get(0);
        assertThat(line.path("due").asString()).isEqualTo("250");
        assertThat(line.path("reversed").asString()).isEqualTo("50");
        assertThat(line.path("shortfall").asString()).isEqualTo("200");
        assertThat(shop.balance(ana)).isZero();
        assertThat(shop.balance(friend))
                .as("the spent points stay where they went")
                .isEqualTo(BigInteger.valueOf(200));
        assertThat(shop.budgetUsed()).isEqualTo(BigInteger.valueOf(200));
        assertThat(shop.setup
                        .tenant
                        .admin()
                        .get("/v2/claim-reversals?status=PARTIALLY_REVERSED")
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(1);
        assertThat(shop.events("claim.reversed")).singleElement().satisfies(e -> assertThat(
                        e.path("lines").get(0).path("shortfall").asString())
                .isEqualTo("200"));
        shop.assertLedgerVerifies();
    }

    @Test
    void anOrderPaidInsideTheWindowButDeliveredAfterItEndedStillEarns() throws IOException {
        Instant now = Instant.now();
        Shop shop = new Shop(Map.of(
                "startDate", now.minus(10, ChronoUnit.DAYS).toString(),
                "endDate", now.minus(1, ChronoUnit.DAYS).toString()));

        shop.deliver("orders-paid-single-item", "paid-in-window", paidAt(now.minus(2, ChronoUnit.DAYS)));

        JsonNode claim = shop.awaitClaim();
        assertThat(claim.path("status").asString()).as(claim.toString()).isEqualTo("COMPLETED");
        assertThat(shop.balance(shop.user("ana.silva@example.com"))).isEqualTo(BigInteger.valueOf(250));
    }

    @Test
    void anOrderPaidBeforeTheCampaignStartedDoesNotEarn() throws IOException {
        Instant now = Instant.now();
        Shop shop = new Shop(Map.of("startDate", now.minus(1, ChronoUnit.DAYS).toString()));

        shop.deliver("orders-paid-single-item", "paid-too-early", paidAt(now.minus(3, ChronoUnit.DAYS)));

        JsonNode claim = shop.awaitClaim();
        assertThat(claim.path("status").asString()).isEqualTo("REJECTED");
        assertThat(claim.path("rejectionCode").asString()).isEqualTo("OUTSIDE_WINDOW");
        JsonNode simulated = shop.setup
                .tenant
                .admin()
                .post(
                        "/v2/trigger-mappings/simulate",
                        Map.of(
                                "event",
                                Map.of(
                                        "type",
                                        "com.shopify.order.paid",
                                        "connector",
                                        "shopify",
                                        "time",
                                        now.minus(3, ChronoUnit.DAYS).toString(),
                                        "data",
                                        Map.of("order_id", 1, "total_price", "25.00"))))
                .json()
                .path("mappings");
        assertThat(simulated.size()).isEqualTo(1);
        assertThat(simulated.get(0).path("reference").asString()).isEqualTo("1");
        assertThat(simulated.get(0).path("amount").asString()).isEqualTo("25.00");
        assertThat(simulated.get(0).path("reason").asString()).startsWith("OUTSIDE_WINDOW");
    }

    /** Beyond the clock skew (5 min) or the horizon, an event's time is not believed. */
    @Test
    void anEventTimeFarInTheFutureOrBeyondTheHorizonIsRejected() throws IOException {
        Shop future = new Shop();
        future.deliver(
                "orders-paid-single-item", "paid-tomorrow", paidAt(Instant.now().plus(1, ChronoUnit.HOURS)));
        Shop ancient = new Shop();
        ancient.deliver("orders-paid-single-item", "paid-long-ago", paidAt(Instant.parse("2001-01-01T00:00:00Z")));

        for (Shop shop : List.of(future, ancient)) {
            JsonNode claim = shop.awaitClaim();
            assertThat(claim.path("status").asString()).isEqualTo("REJECTED");
            assertThat(claim.path("rejectionCode").asString()).isEqualTo("EVENT_TIME_OUT_OF_RANGE");
        }
    }

    @Test
    void aReverseMappingWithoutAReferenceIsRefusedAndStoresNothing() {
        Shop shop = new Shop();
        int before =
                shop.setup.tenant.admin().get("/v2/trigger-mappings").json().size();

        Api.Response refused = shop.setup
                .tenant
                .admin()
                .post(
                        "/v2/trigger-mappings",
                        Map.of(
                                "source", "shopify",
                                "eventType", "com.shopify.refund.created",
                                "action", "REVERSE",
                                "campaignId", shop.campaign.toString()));
        Api.Response badAmount = shop.setup
                .tenant
                .admin()
                .post(
                        "/v2/trigger-mappings",
                        Map.of(
                                "source", "shopify",
                                "eventType", "com.shopify.refund.created",
                                "action", "REVERSE",
                                "reference", "event.data.order_id",
                                "amount", "event.data.amount +",
                                "campaignId", shop.campaign.toString()));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(badAmount.status()).as(badAmount.toString()).isEqualTo(400);
        assertThat(badAmount.code()).isEqualTo("INVALID_EXPRESSION");
        assertThat(badAmount.text("detail")).startsWith("amount: line 1, column ");
        assertThat(shop.setup.tenant.admin().get("/v2/trigger-mappings").json().size())
                .isEqualTo(before);
    }

    private static java.util.function.Consumer<ObjectNode> paidAt(Instant at) {
        return body -> body.put("processed_at", at.toString());
    }
}
