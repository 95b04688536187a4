package io.pers.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import java.math.BigInteger;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Conversions between tokens at versioned rates, through the API. */
class ConversionIT extends ApiTest {

    @Test
    void aConversionUsesTheRateInForceAndRecordsItsVersion() {
        TenantFixture tenant = newTenant();
        UUID points = tenant.createToken("P" + suffix());
        UUID miles = tenant.createToken("M" + suffix());
        Api user = tenant.signIn("convert-1", "convert-1@convert.test");
        UUID userId = UUID.fromString(user.get("/v2/users/me").text("id"));
        tenant.mint(points, userId, 1000);

        Api.Response v1 = publish(tenant, points, miles, "1", "10");
        assertThat(v1.status()).as(v1.toString()).isEqualTo(201);
        assertThat(v1.json().path("version").asInt()).isEqualTo(1);
        Api.Response first = convert(user, points, miles, "105", null);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.text("amountOut")).as("floor(105 / 10)").isEqualTo("10");
        assertThat(first.json().path("rateVersion").asInt()).isEqualTo(1);

        Api.Response v2 = publish(tenant, points, miles, "1", "5");
        assertThat(v2.json().path("version").asInt()).isEqualTo(2);
        Api.Response quotedOld = convert(user, points, miles, "100", 1);
        assertThat(quotedOld.code()).as(quotedOld.toString()).isEqualTo("RATE_SUPERSEDED");
        Api.Response second = convert(user, points, miles, "100", 2);
        assertThat(second.text("amountOut")).isEqualTo("20");
        assertThat(second.json().path("rateVersion").asInt()).isEqualTo(2);

        assertThat(tenant.balance(userId, points)).isEqualTo(BigInteger.valueOf(1000 - 105 - 100));
        assertThat(tenant.balance(userId, miles)).isEqualTo(BigInteger.valueOf(30));
        Api.Response burn = tenant.admin().get("/v2/transactions/" + first.text("burnTransactionId"));
        assertThat(burn.text("type")).isEqualTo("BURN");
        assertThat(burn.text("reasonType")).isEqualTo("CONVERSION");
        assertThat(burn.text("reference")).isEqualTo(first.text("id"));
        assertThat(tenant.admin()
                        .get("/v2/transactions/" + first.text("mintTransactionId"))
                        .text("amount"))
                .isEqualTo("10");

        Api.Response inForce = tenant.anonymous().get("/v2/conversions/rates?fromTokenId=" + points);
        assertThat(inForce.json().size()).isEqualTo(1);
        assertThat(inForce.json().get(0).path("denominator").asString()).isEqualTo("5");
        Api.Response history = tenant.admin().get("/v2/conversions/rates?history=true");
        assertThat(history.json().findValuesAsString("denominator")).containsExactly("5", "10");
        assertThat(user.get("/v2/conversions").json().path("items").findValuesAsString("rateVersion"))
                .containsExactlyInAnyOrder("1", "2");
        assertThat(tenant.admin().get("/v2/conversions").json().path("total").asLong())
                .isEqualTo(2);
        assertThat(tenant.admin()
                        .get("/v2/ledger/verification")
                        .json()
                        .path("valid")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void aRefusedConversionChangesNothing() {
        TenantFixture tenant = newTenant();
        UUID points = tenant.createToken("P" + suffix());
        UUID miles = tenant.createToken("M" + suffix());
        Api user = tenant.signIn("convert-2", "convert-2@convert.test");
        UUID userId = UUID.fromString(user.get("/v2/users/me").text("id"));
        tenant.mint(points, userId, 50);

        assertThat(convert(user, points, miles, "10", null).code())
                .as("no rate yet")
                .isEqualTo("NOT_FOUND");
        assertThat(publish(tenant, points, miles, "0", "1").code()).isEqualTo("INVALID_AMOUNT");
        assertThat(publish(tenant, points, points, "1", "1").code()).isEqualTo("VALIDATION_FAILED");
        assertThat(user.post(
                                "/v2/conversions/rates",
                                Map.of(
                                        "fromTokenId",
                                        points.toString(),
                                        "toTokenId",
                                        miles.toString(),
                                        "numerator",
                                        "1",
                                        "denominator",
                                        "1"))
                        .status())
                .isEqualTo(403);
        assertThat(tenant.admin()
                        .get("/v2/conversions/rates?history=true")
                        .json()
                        .isEmpty())
                .isTrue();

        publish(tenant, points, miles, "2", "1");
        assertThat(convert(user, points, miles, "60", null).code()).isEqualTo("INSUFFICIENT_BALANCE");
        assertThat(convert(user, points, miles, "-1", null).code()).isEqualTo("INVALID_AMOUNT");
        assertThat(user.post(
                                "/v2/conversions",
                                Map.of(
                                        "fromTokenId",
                                        points.toString(),
                                        "toTokenId",
                                        miles.toString(),
                                        "amount",
                                        "1",
                                        "extra",
                                        true))
                        .code())
                .isEqualTo("UNKNOWN_FIELD");
        assertThat(tenant.admin()
                        .patch("/v2/tokens/" + miles, Map.of("active", false))
                        .status())
                .isEqualTo(200);
        assertThat(convert(user, points, miles, "10", null).code())
                .as("the burn is rolled back with the refused mint")
                .isEqualTo("TOKEN_INACTIVE");

        assertThat(tenant.balance(userId, points)).isEqualTo(BigInteger.valueOf(50));
        assertThat(tenant.balance(userId, miles)).isZero();
        assertThat(user.get("/v2/conversions").json().path("total").asLong()).isZero();
    }

    @Test
    void theSameIdempotencyKeyConvertsOnce() {
        TenantFixture tenant = newTenant();
        UUID points = tenant.createToken("P" + suffix());
        UUID miles = tenant.createToken("M" + suffix());
        Api user = tenant.signIn("convert-3", "convert-3@convert.test");
        UUID userId = UUID.fromString(user.get("/v2/users/me").text("id"));
        tenant.mint(points, userId, 100);
        publish(tenant, points, miles, "3", "1");

        Api keyed = user.with("Idempotency-Key", "convert-once");
        Api.Response first = convert(keyed, points, miles, "10", null);
        Api.Response again = convert(keyed, points, miles, "10", null);

        assertThat(again.text("id")).isEqualTo(first.text("id"));
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(tenant.balance(userId, points)).isEqualTo(BigInteger.valueOf(90));
        assertThat(tenant.balance(userId, miles)).isEqualTo(BigInteger.valueOf(30));
    }

    private static Api.Response publish(
            TenantFixture tenant, UUID from, UUID to, String numerator, String denominator) {
        return tenant.admin()
                .post(
                        "/v2/conversions/rates",
                        Map.of(
                                "fromTokenId",
                                from.toString(),
                                "toTokenId",
                                to.toString(),
                                "numerator",
                                numerator,
                                "denominator",
                                denominator));
    }

    private static Api.Response convert(Api caller, UUID from, UUID to, String amount, Integer version) {
        Map<String, Object> body = new java.util.HashMap<>(
                Map.of("fromTokenId", from.toString(), "toTokenId", to.toString(), "amount", amount));
        if (version != null) {
            body.put("rateVersion", version);
        }
        return caller.post("/v2/conversions", body);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 7).toUpperCase();
    }
}
