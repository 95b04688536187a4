package io.pers.tier;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Status tiers through the API: the ladder, users' tiers following their balances, and the events. */
class TierIT extends ApiTest {

    @Autowired
    JdbcClient db;

    @Test
    void aUsersTierFollowsTheBalanceOfItsTokensUpAndDownWithHistoryAndEvents() {
        TenantFixture t = newTenant();
        UUID stay = t.createToken("STAY");
        UUID dine = t.createToken("DINE");
        UUID silver = tier(t, "SILVER", 1, 100, 250, stay);
        UUID gold = tier(t, "GOLD", 2, 500, 1000, stay, dine);
        Api user = t.signIn("guest-1", "guest-1@tier.test");
        UUID userId = UUID.fromString(user.get("/v2/users/me").text("id"));
        UUID friend = t.createUser("friend@tier.test");

        assertThat(user.get("/v2/users/me/status").json().path("tier").isNull())
                .as("no tier before any points")
                .isTrue();
        t.mint(stay, userId, 99);
        assertThat(tierOf(t, userId)).as("one short of SILVER").isNull();
        t.mint(stay, userId, 1);
        assertThat(tierOf(t, userId)).isEqualTo("SILVER");
        t.mint(dine, userId, 400);
        assertThat(tierOf(t, userId)).as("GOLD counts both tokens: 100 + 400").isEqualTo("GOLD");
        t.mint(t.createToken("OTHER"), userId, 10_000);
        assertThat(tierOf(t, userId))
                .as("a token no tier counts changes nothing")
                .isEqualTo("GOLD");
        assertThat(t.transfer(dine, userId, friend, 1).status()).isEqualTo(201);
        assertThat(tierOf(t, userId)).as("spending moves the user down").isEqualTo("SILVER");
        assertThat(tierOf(t, friend)).isNull();

        JsonNode mine = user.get("/v2/users/me/status").json();
        assertThat(mine.path("userId").asString()).isEqualTo(userId.toString());
        assertThat(mine.path("tier").path("id").asString()).isEqualTo(silver.toString());
        assertThat(mine.path("tier").path("discountBps").asInt()).isEqualTo(250);
        assertThat(mine.path("history")
                        .valueStream()
                        .map(h -> h.path("direction").asString() + ":"
                                + h.path("fromTier").asString("-") + ">"
                                + h.path("toTier").asString("-"))
                        .toList())
                .containsExactly("DOWNGRADED:GOLD>SILVER", "UPGRADED:SILVER>GOLD", "UPGRADED:->SILVER");
        assertThat(t.admin().get("/v2/users/" + userId + "/status").json()).isEqualTo(mine);

        List<String> events = TenantContext.callAs(
                t.id(),
                () -> db.sql("""
                                select type || ':' || coalesce(payload->'from'->>'name', '-') || '>'
                                       || coalesce(payload->'to'->>'name', '-')
                                  from domain_events where type like 'status.%' and payload->>'userId' = ?
                                 order by created_at""").param(userId.toString()).query(String.class).list());
        assertThat(events)
                .containsExactly(
                        "status.upgraded:->SILVER", "status.upgraded:SILVER>GOLD", "status.downgraded:GOLD>SILVER");
        assertThat(mine.path("history").get(1).path("toTierId").asString()).isEqualTo(gold.toString());
    }

    @Test
    void changingTheLadderRecomputesTheHoldersAndATierInUseCannotGo() {
        TenantFixture t = newTenant();
        UUID stay = t.createToken("STAY");
        UUID userId = t.createUser("ladder@tier.test");
        t.mint(stay, userId, 300);
        UUID silver = tier(t, "SILVER", 1, 100, 0, stay);
        assertThat(tierOf(t, userId))
                .as("a new tier places those who already qualify")
                .isEqualTo("SILVER");
        UUID gold = tier(t, "GOLD", 2, 1000, 500, stay);
        assertThat(tierOf(t, userId)).isEqualTo("SILVER");

        Api.Response lowered = t.admin().patch("/v2/status-tiers/" + gold, Map.of("threshold", "300"));
        assertThat(lowered.status()).as(lowered.toString()).isEqualTo(200);
        assertThat(tierOf(t, userId)).isEqualTo("GOLD");
        assertThat(t.admin()
                        .get("/v2/status-tiers")
                        .json()
                        .valueStream()
                        .map(tier -> tier.path("name").asString())
                        .toList())
                .containsExactly("SILVER", "GOLD");

        Api.Response redemption = t.admin()
                .post(
                        "/v2/redemptions",
                        Map.of(
                                "name",
                                "Lounge",
                                "costTokenId",
                                t.createToken("CASH").toString(),
                                "costAmount",
                                "1",
                                "minStatusTierId",
                                silver.toString()));
        assertThat(redemption.status()).as(redemption.toString()).isEqualTo(201);
        assertThat(t.admin().delete("/v2/status-tiers/" + silver).code()).isEqualTo("CONFLICT_IN_USE");
        assertThat(t.admin().delete("/v2/status-tiers/" + gold).status()).isEqualTo(204);
        assertThat(tierOf(t, userId))
                .as("the holders of a deleted tier fall to the next")
                .isEqualTo("SILVER");
        assertThat(t.admin()
                        .get("/v2/users/" + userId + "/status")
                        .json()
                        .path("history")
                        .get(0)
                        .path("direction")
                        .asString())
                .isEqualTo("DOWNGRADED");
    }

    @Test
    void badTiersAreProblemsWithStableCodesAndStoreNothing() {
        TenantFixture t = newTenant();
        UUID stay = t.createToken("STAY");
        UUID cents = id(t.admin()
                .post("/v2/tokens", Map.of("type", "CREDIT", "name", "Cents", "symbol", "CENT", "decimals", 2)));
        tier(t, "SILVER", 1, 100, 0, stay);
        Map<String, Map<String, Object>> bad = Map.of(
                "INVALID_AMOUNT", body("GOLD", 2, "0", 0, stay),
                "VALIDATION_FAILED", body("GOLD", 2, "10", 10_001, stay),
                "ALREADY_EXISTS", body("GOLD", 1, "10", 0, stay),
                "NOT_FOUND", body("GOLD", 2, "10", 0, UUID.randomUUID()),
                "UNKNOWN_FIELD",
                        Map.of(
                                "name",
                                "GOLD",
                                "rank",
                                2,
                                "threshold",
                                "10",
                                "discountBps",
                                0,
                                "tokenIds",
                                List.of(stay.toString()),
                                "color",
                                "gold"));
        bad.forEach((code, body) -> {
            Api.Response refused = t.admin().post("/v2/status-tiers", body);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.code()).as(body.toString()).isEqualTo(code);
        });
        Map<String, Object> mixedScales = body("GOLD", 2, "10", 0, stay);
        mixedScales.put("tokenIds", List.of(stay.toString(), cents.toString()));
        assertThat(t.admin().post("/v2/status-tiers", mixedScales).code()).isEqualTo("VALIDATION_FAILED");
        Map<String, Object> noTokens = body("GOLD", 2, "10", 0, stay);
        noTokens.put("tokenIds", List.of());
        assertThat(t.admin().post("/v2/status-tiers", noTokens).status()).isEqualTo(400);
        assertThat(t.admin().get("/v2/status-tiers").json().size()).isEqualTo(1);

        Api user = t.signIn("guest-2", "guest-2@tier.test");
        assertThat(user.post("/v2/status-tiers", body("GOLD", 2, "10", 0, stay)).status())
                .isEqualTo(403);
        assertThat(user.get("/v2/status-tiers").json().size())
                .as("users may read the ladder")
                .isEqualTo(1);
        assertThat(user.get("/v2/users/" + UUID.randomUUID() + "/status").status())
                .isEqualTo(403);
        assertThat(t.admin().get("/v2/users/" + UUID.randomUUID() + "/status").code())
                .isEqualTo("NOT_FOUND");
    }

    private static UUID tier(TenantFixture t, String name, int rank, long threshold, int discountBps, UUID... tokens) {
        Map<String, Object> body = body(name, rank, String.valueOf(threshold), discountBps, tokens);
        return id(t.admin().post("/v2/status-tiers", body));
    }

    private static Map<String, Object> body(String name, int rank, String threshold, int discountBps, UUID... tokens) {
        return new HashMap<>(Map.of(
                "name",
                name,
                "rank",
                rank,
                "threshold",
                threshold,
                "discountBps",
                discountBps,
                "tokenIds",
                Arrays.stream(tokens).map(UUID::toString).toList()));
    }

    private static String tierOf(TenantFixture t, UUID user) {
        JsonNode tier = t.admin().get("/v2/users/" + user + "/status").json().path("tier");
        return tier.isNull() ? null : tier.path("name").asString();
    }

    private static UUID id(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return UUID.fromString(response.text("id"));
    }
}
