package io.pers.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.TenantFixture;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/** Builds redemptions through the API, as a program's operators would, and redeems them. */
final class Catalogue {

    final TenantFixture tenant;
    final UUID credit;

    Catalogue(TenantFixture tenant) {
        this.tenant = tenant;
        this.credit = tenant.createToken(symbol("C"));
    }

    UUID token(String type) {
        return id(tenant.admin()
                .post(
                        "/v2/tokens",
                        Map.of(
                                "type",
                                type,
                                "name",
                                type + " token",
                                "symbol",
                                symbol(type.substring(0, 1)),
                                "decimals",
                                0)));
    }

    /** An active redemption costing {@code cost} credits and delivering one unit of {@code reward}. */
    UUID redemption(long cost, UUID reward, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(
                Map.of("name", "Free coffee", "costTokenId", credit.toString(), "costAmount", String.valueOf(cost)));
        body.putAll(fields);
        UUID redemption = id(tenant.admin().post("/v2/redemptions", body));
        id(tenant.admin()
                .post(
                        "/v2/redemptions/" + redemption + "/tokens",
                        Map.of("tokenId", reward.toString(), "amount", "1")));
        return redemption;
    }

    /** A status tier reached by holding {@code threshold} of {@code token}. */
    UUID tier(String name, int rank, long threshold, UUID token) {
        return tier(name, rank, threshold, 0, token);
    }

    /** A status tier that also takes {@code discountBps} off redeems' costs. */
    UUID tier(String name, int rank, long threshold, int discountBps, UUID token) {
        return id(tenant.admin()
                .post(
                        "/v2/status-tiers",
                        Map.of(
                                "name",
                                name,
                                "rank",
                                rank,
                                "threshold",
                                String.valueOf(threshold),
                                "discountBps",
                                discountBps,
                                "tokenIds",
                                List.of(token.toString()))));
    }

    UUID userWith(String email, long credits) {
        UUID user = tenant.createUser(email);
        if (credits > 0) {
            tenant.mint(credit, user, credits);
        }
        return user;
    }

    Api.Response redeem(String key, UUID redemption, UUID user, Object... more) {
        Map<String, Object> body =
                new HashMap<>(Map.of("redemptionId", redemption.toString(), "userIdentifier", user.toString()));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return tenant.admin().with("Idempotency-Key", key).post("/v2/redemptions/redeems", body);
    }

    /** The redeem once decided: a 202 is followed up until the workflow has decided. */
    JsonNode decided(Api.Response answer) {
        String id = answer.status() == 422 ? answer.text("redeemId") : answer.text("id");
        assertThat(id).as(answer.toString()).isNotEmpty();
        return Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> tenant.admin().get("/v2/redemption-redeems/" + id).json(),
                        r -> !r.path("status").asString().equals("PENDING"));
    }

    JsonNode supply(UUID redemption) {
        return tenant.admin()
                .get("/v2/redemptions/" + redemption + "/available-supply")
                .json();
    }

    BigInteger businessBalance(UUID business, UUID token) {
        JsonNode balances = tenant.admin()
                .get("/v2/balances/businesses/" + business + "?tokenId=" + token)
                .json();
        return balances.isEmpty()
                ? BigInteger.ZERO
                : new BigInteger(balances.get(0).path("amount").asString());
    }

    /** Invariant 2: hash chain intact, every entry balanced, balances equal to postings. */
    void assertLedgerVerifies() {
        Api.Response verification = tenant.admin().get("/v2/ledger/verification");
        assertThat(verification.json().path("valid").asBoolean())
                .as(verification.toString())
                .isTrue();
    }

    static UUID id(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return UUID.fromString(response.text("id"));
    }

    private static String symbol(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 7).toUpperCase();
    }
}
