package io.pers.purchase;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.StripeStandIn;
import io.pers.support.TenantFixture;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Purchases through the API, with WireMock standing in for Stripe: the catalogue, top-ups that
 * create PaymentIntents, and Stripe's signed webhook minting and reversing.
 */
class PurchaseIT extends ApiTest {

    private static final String SECRET_KEY = StripeStandIn.SECRET_KEY;
    private static final String WEBHOOK_SECRET = StripeStandIn.WEBHOOK_SECRET;
    private static final WireMockServer STRIPE = StripeStandIn.server();

    @Test
    void adminsManageTheCatalogueAndUsersListWhatIsOnSale() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("B" + suffix());
        Api user = tenant.signIn("buyer-cat", "buyer-cat@purchase.test");

        Api.Response created = onSale(tenant, token, 250, 1, 100);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.text("id");
        assertThat(created.text("currency")).isEqualTo("eur");
        assertThat(created.json().path("unitPrice").asLong()).isEqualTo(250);
        assertThat(onSale(tenant, token, 100, 1, 10).code()).isEqualTo("ALREADY_EXISTS");

        UUID other = tenant.createToken("O" + suffix());
        Map<String, Object> bad = terms(other, 100, 1, 10);
        bad.put("currency", "EURO");
        assertThat(tenant.admin().post("/v2/purchases/tokens", bad).code()).isEqualTo("VALIDATION_FAILED");
        assertThat(onSale(tenant, other, 0, 1, 10).code()).isEqualTo("VALIDATION_FAILED");
        assertThat(onSale(tenant, other, 100, 5, 4).code()).isEqualTo("VALIDATION_FAILED");
        assertThat(onSale(tenant, other, 1_000_000, 1, 1000).code())
                .as("largest order beyond a Stripe charge")
                .isEqualTo("VALIDATION_FAILED");
        assertThat(onSale(tenant, UUID.randomUUID(), 100, 1, 10).code()).isEqualTo("NOT_FOUND");
        assertThat(tenant.admin()
                        .post("/v2/purchases/tokens", Map.of("tokenId", other.toString(), "unitPrice", 5, "x", 1))
                        .code())
                .isEqualTo("UNKNOWN_FIELD");
        assertThat(tenant.admin().get("/v2/purchases/tokens").json().size())
                .as("nothing stored by refused requests")
                .isEqualTo(1);
        assertThat(user.post("/v2/purchases/tokens", terms(other, 100, 1, 10)).code())
                .isEqualTo("FORBIDDEN");

        assertThat(user.get("/v2/purchases/tokens").json().findValuesAsString("id"))
                .containsExactly(id);
        Api.Response patched = tenant.admin().patch("/v2/purchases/tokens/" + id, Map.of("unitPrice", 300));
        assertThat(patched.json().path("unitPrice").asLong()).isEqualTo(300);
        assertThat(patched.json().path("maxQuantity").asLong()).isEqualTo(100);
        tenant.admin().patch("/v2/purchases/tokens/" + id, Map.of("active", false));
        assertThat(user.get("/v2/purchases/tokens").json().size()).isZero();
        assertThat(user.get("/v2/purchases/tokens/" + id).code()).isEqualTo("NOT_FOUND");
        assertThat(tenant.admin().get("/v2/purchases/tokens").json().size()).isEqualTo(1);
        assertThat(buy(user, token, 1, "inactive-1").code()).isEqualTo("NOT_PURCHASABLE");

        assertThat(tenant.admin().delete("/v2/purchases/tokens/" + id).status()).isEqualTo(204);
        assertThat(tenant.admin().get("/v2/purchases/tokens/" + id).code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aTopUpCreatesOnePaymentIntentAtStripe() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("T" + suffix());
        assertThat(onSale(tenant, token, 125, 2, 50).status()).isEqualTo(201);
        Api user = tenant.signIn("buyer-topup", "buyer-topup@purchase.test");
        UUID userId = UUID.fromString(user.get("/v2/users/me").text("id"));

        assertThat(buy(user, token, 1, "too-few").code()).isEqualTo("QUANTITY_OUT_OF_RANGE");
        assertThat(buy(user, token, 51, "too-many").code()).isEqualTo("QUANTITY_OUT_OF_RANGE");
        assertThat(user.post("/v2/purchases", Map.of("tokenId", token.toString(), "quantity", 3))
                        .code())
                .as("no Idempotency-Key")
                .isEqualTo("VALIDATION_FAILED");

        Api.Response bought = buy(user, token, 8, "topup-1");
        assertThat(bought.status()).as(bought.toString()).isEqualTo(201);
        String purchaseId = bought.json().path("purchase").path("id").asString();
        String intent = bought.json().path("purchase").path("paymentIntentId").asString();
        assertThat(bought.text("clientSecret")).isEqualTo(intent + "_secret_x");
        assertThat(bought.json().path("purchase").path("status").asString()).isEqualTo("PENDING_PAYMENT");
        assertThat(bought.json().path("purchase").path("amount").asLong()).isEqualTo(1000);

        Api.Response replayed = buy(user, token, 8, "topup-1");
        assertThat(replayed.json().path("purchase").path("id").asString()).isEqualTo(purchaseId);
        assertThat(replayed.text("clientSecret")).isEqualTo(bought.text("clientSecret"));

        List<LoggedRequest> calls = STRIPE.findAll(postRequestedFor(urlPathEqualTo("/v1/payment_intents"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(purchaseId)));
        assertThat(calls)
                .as("one PaymentIntent, out-of-range requests made none")
                .hasSize(1);
        LoggedRequest call = calls.get(0);
        assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + SECRET_KEY);
        assertThat(call.getHeader("Idempotency-Key")).isEqualTo("purchase-" + purchaseId);
        assertThat(call.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        Map<String, String> form = form(call.getBodyAsString());
        assertThat(form)
                .containsEntry("amount", "1000")
                .containsEntry("currency", "eur")
                .containsEntry("metadata[purchase_id]", purchaseId);

        assertThat(user.get("/v2/purchases").json().path("items").findValuesAsString("id"))
                .containsExactly(purchaseId);
        assertThat(tenant.admin()
                        .get("/v2/purchases?userId=" + userId)
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(1);
        assertThat(tenant.balance(userId, token))
                .as("nothing minted before Stripe says paid")
                .isZero();
    }

    @Test
    void succeededDeliveredTwiceAndConcurrentlyMintsOnce() throws Exception {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("S" + suffix());
        onSale(tenant, token, 100, 1, 100);
        Api user = tenant.signIn("buyer-twice", "buyer-twice@purchase.test");
        UUID userId = UUID.fromString(user.get("/v2/users/me").text("id"));

        String first = buy(user, token, 7, "twice-1")
                .json()
                .path("purchase")
                .path("paymentIntentId")
                .asString();
        String event = succeeded(first, 700);
        assertThat(deliver(event).status()).isEqualTo(200);
        assertThat(deliver(event).status()).isEqualTo(200);
        assertThat(tenant.balance(userId, token)).isEqualTo(BigInteger.valueOf(7));

        Api.Response second = buy(user, token, 5, "twice-2");
        String secondIntent =
                second.json().path("purchase").path("paymentIntentId").asString();
        String secondEvent = succeeded(secondIntent, 500);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Api.Response>> deliveries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                deliveries.add(() -> deliver(secondEvent));
            }
            for (Future<Api.Response> f : pool.invokeAll(deliveries)) {
                assertThat(f.get().status()).as(f.get().toString()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(tenant.balance(userId, token)).isEqualTo(BigInteger.valueOf(12));
        Api.Response purchase = user.get(
                "/v2/purchases/" + second.json().path("purchase").path("id").asString());
        assertThat(purchase.text("status")).isEqualTo("COMPLETED");
        Api.Response mint = tenant.admin().get("/v2/transactions/" + purchase.text("mintTransactionId"));
        assertThat(mint.text("type")).isEqualTo("MINT");
        assertThat(mint.text("reasonType")).isEqualTo("PURCHASE");
        assertThat(mint.text("amount")).isEqualTo("5");
    }

    @Test
    void refundsReverseInProportionAndSpentTokensLeaveAShortfall() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("R" + suffix());
        onSale(tenant, token, 100, 1, 100);
        Api user = tenant.signIn("buyer-refund", "buyer-refund@purchase.test");
        UUID userId = UUID.fromString(user.get("/v2/users/me").text("id"));
        String partner = "/partner/" + UUID.randomUUID();
        STRIPE.stubFor(post(urlPathEqualTo(partner)).willReturn(aResponse().withStatus(204)));
        Api.Response subscribed = tenant.admin()
                .post("/v2/webhooks", Map.of("url", STRIPE.baseUrl() + partner, "eventTypes", List.of("purchase.*")));
        assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);
        Api.Response bought = buy(user, token, 10, "refund-1");
        String purchaseId = bought.json().path("purchase").path("id").asString();
        String intent = bought.json().path("purchase").path("paymentIntentId").asString();
        deliver(succeeded(intent, 1000));
        assertThat(tenant.balance(userId, token)).isEqualTo(BigInteger.TEN);

        String partial = refunded(intent, 250);
        assertThat(deliver(partial).status()).isEqualTo(200);
        assertThat(deliver(partial).status()).as("redelivered").isEqualTo(200);
        assertThat(tenant.balance(userId, token)).as("floor(10 x 250 / 1000)").isEqualTo(BigInteger.valueOf(8));
        assertThat(user.get("/v2/purchases/" + purchaseId).text("status")).isEqualTo("PARTIALLY_REFUNDED");

        UUID friend = tenant.createUser("friend-" + suffix() + "@purchase.test");
        assertThat(tenant.transfer(token, userId, friend, 5).status()).isEqualTo(201);
        assertThat(deliver(refunded(intent, 1000)).status()).isEqualTo(200);
        assertThat(tenant.balance(userId, token)).as("what the balance allowed").isZero();
        Api.Response purchase = user.get("/v2/purchases/" + purchaseId);
        assertThat(purchase.text("status")).isEqualTo("REFUNDED");
        assertThat(purchase.json().path("reversals").findValuesAsString("due")).containsExactly("2", "8");
        assertThat(purchase.json().path("reversals").findValuesAsString("reversed"))
                .containsExactly("2", "3");
        assertThat(purchase.json().path("reversals").findValuesAsString("shortfall"))
                .containsExactly("0", "5");
        String reversal =
                purchase.json().path("reversals").get(0).path("transactionId").asString();
        Api.Response entry = tenant.admin().get("/v2/transactions/" + reversal);
        assertThat(entry.text("type")).isEqualTo("REVERSAL");
        assertThat(entry.text("reference")).isEqualTo(purchase.text("mintTransactionId"));
        assertThat(tenant.admin()
                        .get("/v2/ledger/verification")
                        .json()
                        .path("valid")
                        .asBoolean())
                .isTrue();

        // Partners hear of the mint once and of each reversal once, the redelivered refund included.
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(STRIPE.findAll(postRequestedFor(urlPathEqualTo(partner))).stream()
                                .map(r -> Api.JSON
                                        .readTree(r.getBodyAsString())
                                        .path("type")
                                        .asString())
                                .toList())
                        .containsExactlyInAnyOrder("purchase.completed", "purchase.refunded", "purchase.refunded"));
        List<String> shortfalls = STRIPE.findAll(postRequestedFor(urlPathEqualTo(partner))).stream()
                .map(r -> Api.JSON.readTree(r.getBodyAsString()).path("data"))
                .filter(d -> d.has("shortfall"))
                .map(d -> d.path("shortfall").asString())
                .toList();
        assertThat(shortfalls).containsExactlyInAnyOrder("0", "5");
    }

    @Test
    void aDisputeReversesTheDisputedShare() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("D" + suffix());
        onSale(tenant, token, 50, 1, 100);
        Api user = tenant.signIn("buyer-dispute", "buyer-dispute@purchase.test");
        UUID userId = UUID.fromString(user.get("/v2/users/me").text("id"));
        String intent = buy(user, token, 4, "dispute-1")
                .json()
                .path("purchase")
                .path("paymentIntentId")
                .asString();
        deliver(succeeded(intent, 200));
        Map<String, Object> dispute = Map.of(
                "id",
                "dp_" + suffix(),
                "object",
                "dispute",
                "amount",
                200,
                "payment_intent",
                intent,
                "charge",
                "ch_" + suffix());
        assertThat(deliver(event("charge.dispute.created", dispute)).status()).isEqualTo(200);
        assertThat(tenant.balance(userId, token)).isZero();
    }

    @Test
    void forgedMissingOrStaleSignaturesAreRefusedAndMintNothing() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("F" + suffix());
        onSale(tenant, token, 100, 1, 100);
        Api user = tenant.signIn("buyer-forged", "buyer-forged@purchase.test");
        UUID userId = UUID.fromString(user.get("/v2/users/me").text("id"));
        String intent = buy(user, token, 9, "forged-1")
                .json()
                .path("purchase")
                .path("paymentIntentId")
                .asString();
        String event = succeeded(intent, 900);
        long now = Instant.now().getEpochSecond();

        Api.Response forged = deliver(event, "t=" + now + ",v1=" + hmac("whsec_not_the_secret", now, event));
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.code()).isEqualTo("PAYMENT_SIGNATURE_INVALID");
        assertThat(forged.header("Content-Type")).startsWith("application/problem+json");
        assertThat(deliver(event, null).code()).isEqualTo("PAYMENT_SIGNATURE_INVALID");
        String tampered = event.replace("\"amount_received\":900", "\"amount_received\":901");
        assertThat(deliver(tampered, "t=" + now + ",v1=" + hmac(WEBHOOK_SECRET, now, event))
                        .code())
                .isEqualTo("PAYMENT_SIGNATURE_INVALID");
        long stale = now - 6 * 60;
        Api.Response old = deliver(event, "t=" + stale + ",v1=" + hmac(WEBHOOK_SECRET, stale, event));
        assertThat(old.status()).isEqualTo(400);
        assertThat(old.code()).isEqualTo("PAYMENT_SIGNATURE_INVALID");
        assertThat(tenant.balance(userId, token)).isZero();

        // Any of several v1 entries may match (Stripe rolling the endpoint secret).
        Api.Response rolled = deliver(
                event, "t=" + now + ",v1=" + hmac("whsec_old", now, event) + ",v1=" + hmac(WEBHOOK_SECRET, now, event));
        assertThat(rolled.status()).as(rolled.toString()).isEqualTo(200);
        assertThat(tenant.balance(userId, token)).isEqualTo(BigInteger.valueOf(9));

        Api.Response unknown = deliver(succeeded("pi_of_another_application", 900));
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(200);
        assertThat(unknown.text("result")).isEqualTo("ignored");
    }

    private static Map<String, Object> terms(UUID token, long price, long min, long max) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tokenId", token.toString());
        body.put("currency", "eur");
        body.put("unitPrice", price);
        body.put("minQuantity", min);
        body.put("maxQuantity", max);
        return body;
    }

    private static Api.Response onSale(TenantFixture tenant, UUID token, long price, long min, long max) {
        return tenant.admin().post("/v2/purchases/tokens", terms(token, price, min, max));
    }

    private static Api.Response buy(Api user, UUID token, long quantity, String key) {
        return user.with("Idempotency-Key", key)
                .post("/v2/purchases", Map.of("tokenId", token.toString(), "quantity", quantity));
    }

    private static String succeeded(String intent, long amount) {
        return event(
                "payment_intent.succeeded",
                Map.of(
                        "id",
                        intent,
                        "object",
                        "payment_intent",
                        "amount",
                        amount,
                        "amount_received",
                        amount,
                        "currency",
                        "eur",
                        "status",
                        "succeeded"));
    }

    private static String refunded(String intent, long amountRefunded) {
        return event(
                "charge.refunded",
                Map.of(
                        "id",
                        "ch_" + suffix(),
                        "object",
                        "charge",
                        "payment_intent",
                        intent,
                        "amount_refunded",
                        amountRefunded,
                        "refunded",
                        true));
    }

    private static String event(String type, Map<String, Object> object) {
        return Api.JSON.writeValueAsString(Map.of(
                "id",
                "evt_" + UUID.randomUUID().toString().replace("-", ""),
                "object",
                "event",
                "type",
                type,
                "created",
                Instant.now().getEpochSecond(),
                "data",
                Map.of("object", object)));
    }

    private Api.Response deliver(String event) {
        long now = Instant.now().getEpochSecond();
        return deliver(event, "t=" + now + ",v1=" + hmac(WEBHOOK_SECRET, now, event));
    }

    private Api.Response deliver(String event, String signature) {
        HttpRequest.Builder request = api().builder("/v2/purchases/webhooks/stripe")
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(event));
        if (signature != null) {
            request.header("Stripe-Signature", signature);
        }
        return api().send(request);
    }

    /** Stripe's scheme, written out here independently of the code under test. */
    private static String hmac(String secret, long timestamp, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            fields.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 7).toUpperCase();
    }
}
