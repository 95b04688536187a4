package io.pers.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Invariant 6: bad input gets problem+json with a stable code, and the ledger is unchanged. */
class BadInputIT extends ApiTest {

    private static final String UINT256_MAX =
            BigInteger.TWO.pow(256).subtract(BigInteger.ONE).toString();

    @Test
    void malformedOrInvalidTransactionsAreRefusedAndChangeNothing() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("BAD");
        UUID user = tenant.createUser("guest@bad.test");
        tenant.mint(token, user, 100);
        JsonNode before = ledgerState(tenant, token, user);

        refused(tenant.admin().post("/v2/transactions", "{\"type\": \"MINT\", "), 400, "MALFORMED_JSON");
        refused(tenant.admin().post("/v2/transactions", "[1,2]"), 400, "VALIDATION_FAILED");
        refused(tenant.admin().post("/v2/transactions", mint(token, user, "10", "extra", "x")), 400, "UNKNOWN_FIELD");
        refused(tenant.admin().post("/v2/transactions", mint(UUID.randomUUID(), user, "10")), 422, "TOKEN_INACTIVE");
        refused(tenant.admin().post("/v2/transactions", mint(token, UUID.randomUUID(), "10")), 404, "NOT_FOUND");
        refused(tenant.admin().post("/v2/transactions", mint(token, user, "0")), 400, "INVALID_AMOUNT");
        refused(tenant.admin().post("/v2/transactions", mint(token, user, "-5")), 400, "INVALID_AMOUNT");
        refused(tenant.admin().post("/v2/transactions", mint(token, user, "1.5")), 400, "VALIDATION_FAILED");
        refused(tenant.admin().post("/v2/transactions", mint(token, user, "12abc")), 400, "VALIDATION_FAILED");
        refused(
                tenant.admin()
                        .post(
                                "/v2/transactions",
                                mint(token, user, BigInteger.TWO.pow(256).toString())),
                400,
                "INVALID_AMOUNT");
        refused(
                tenant.admin()
                        .post("/v2/transactions", Map.of("type", "MINT", "tokenId", token.toString(), "amount", "1")),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin()
                        .post("/v2/transactions", Map.of("type", "SPLIT", "tokenId", token.toString(), "amount", "1")),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin()
                        .post(
                                "/v2/transactions",
                                "{\"type\":\"MINT\",\"tokenId\":\"" + token
                                        + "\",\"amount\":10.0,\"recipient\":{\"type\":\"USER\",\"id\":\"" + user
                                        + "\"}}"),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin()
                        .send(tenant.admin()
                                .builder("/v2/transactions")
                                .header("Content-Type", "text/plain")
                                .POST(HttpRequest.BodyPublishers.ofString("mint 10"))),
                415,
                "UNSUPPORTED_MEDIA_TYPE");

        assertThat(ledgerState(tenant, token, user)).isEqualTo(before);
    }

    @Test
    void aBalancePastUint256IsRefused() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("BIG");
        UUID user = tenant.createUser("whale@bad.test");
        assertThat(tenant.admin()
                        .post("/v2/transactions", mint(token, user, UINT256_MAX))
                        .status())
                .isEqualTo(201);
        JsonNode before = ledgerState(tenant, token, user);

        refused(tenant.admin().post("/v2/transactions", mint(token, user, "1")), 422, "BALANCE_OVERFLOW");

        assertThat(tenant.balance(user, token)).isEqualTo(new BigInteger(UINT256_MAX));
        assertThat(ledgerState(tenant, token, user)).isEqualTo(before);
    }

    @Test
    void bodiesOverOneMebibyteAreRefusedWhetherDeclaredOrStreamed() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("SIZ");
        UUID user = tenant.createUser("guest@size.test");
        JsonNode before = ledgerState(tenant, token, user);
        String padding = "x".repeat(1024 * 1024 + 10);
        String oversized = "{\"type\":\"MINT\",\"tokenId\":\"" + token + "\",\"amount\":\"1\",\"memo\":\"" + padding
                + "\",\"recipient\":{\"type\":\"USER\",\"id\":\"" + user + "\"}}";

        refused(tenant.admin().post("/v2/transactions", oversized), 413, "PAYLOAD_TOO_LARGE");
        refused(
                tenant.admin().with("Idempotency-Key", "big").post("/v2/transactions", oversized),
                413,
                "PAYLOAD_TOO_LARGE");
        refused(
                tenant.admin()
                        .send(tenant.admin()
                                .builder("/v2/transactions")
                                .header("Content-Type", "application/json")
                                .POST(chunked(oversized))),
                413,
                "PAYLOAD_TOO_LARGE");
        // The idempotency filter reads a keyed body before Spring MVC does, so the limit trips there.
        Api keyed = tenant.admin().with("Idempotency-Key", "big-chunked");
        refused(
                keyed.send(keyed.builder("/v2/transactions")
                        .header("Content-Type", "application/json")
                        .POST(chunked(oversized))),
                413,
                "PAYLOAD_TOO_LARGE");

        assertThat(ledgerState(tenant, token, user)).isEqualTo(before);
        assertThat(keyed.post("/v2/transactions", mint(token, user, "1")).status())
                .as("a refused request did not use up its key")
                .isEqualTo(201);
    }

    @Test
    void aTransferToTheSendersOwnWalletIsRefused() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("SLF");
        UUID user = tenant.createUser("narcissus@bad.test");
        tenant.mint(token, user, 50);
        JsonNode before = ledgerState(tenant, token, user);

        refused(tenant.transfer(token, user, user, 10), 400, "VALIDATION_FAILED");

        assertThat(tenant.balance(user, token)).isEqualTo(BigInteger.valueOf(50));
        assertThat(ledgerState(tenant, token, user)).isEqualTo(before);
    }

    @Test
    void unknownRoutesAndBadParametersAreProblemsToo() {
        TenantFixture tenant = newTenant();
        refused(tenant.admin().get("/v2/no-such-thing"), 404, "NOT_FOUND");
        refused(tenant.admin().get("/v2/users/not-a-uuid"), 400, "VALIDATION_FAILED");
        refused(tenant.admin().get("/v2/users?size=5000"), 400, "VALIDATION_FAILED");
        refused(tenant.admin().get("/v2/users?sort=password"), 400, "VALIDATION_FAILED");
        refused(tenant.admin().delete("/v2/tokens"), 405, "METHOD_NOT_ALLOWED");
        Api.Response response = tenant.admin().get("/v2/users/not-a-uuid");
        assertThat(response.json().path("correlationId").asString()).isEqualTo(response.header("X-Correlation-Id"));
        assertThat(response.json().path("category").asString()).isEqualTo("VALIDATION");
        assertThat(response.json().path("retryable").asBoolean()).isFalse();
    }

    private static void refused(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo(code);
        assertThat(response.header("X-Correlation-Id")).isNotBlank();
    }

    /** Everything a bad request could have changed: the journal, the balance and the supply. */
    private static JsonNode ledgerState(TenantFixture tenant, UUID token, UUID user) {
        return Api.JSON.valueToTree(Map.of(
                "transactions",
                        tenant.admin().get("/v2/transactions?size=200").json().path("items"),
                "balance", tenant.admin().get("/v2/balances/users/" + user).json(),
                "supply", tenant.admin().get("/v2/tokens/" + token + "/supply").json()));
    }

    private static Map<String, Object> mint(UUID token, UUID user, String amount, Object... extra) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of(
                "type",
                "MINT",
                "tokenId",
                token.toString(),
                "amount",
                amount,
                "recipient",
                Map.of("type", "USER", "id", user.toString())));
        for (int i = 0; i < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        return body;
    }

    /** A body without Content-Length, so only the streaming limit can stop it. */
    private static HttpRequest.BodyPublisher chunked(String body) {
        HttpRequest.BodyPublisher inner = HttpRequest.BodyPublishers.ofString(body);
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
                inner.subscribe(subscriber);
            }
        };
    }
}
