package io.pers.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.tenant.TenantContext;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Redeems through the API: the RedemptionWorkflow's outcomes, its compensations, and every rule. */
class RedemptionRedeemIT extends ApiTest {

    @Autowired
    JdbcClient db;

    @Test
    void aHundredConcurrentRedeemsOfASupplyOfTenCompleteExactlyTen() throws Exception {
        Catalogue c = new Catalogue(newTenant());
        UUID reward = c.token("REWARD");
        UUID redemption = c.redemption(10, reward, Map.of("totalSupply", 10));
        List<UUID> users = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            users.add(c.userWith("rush" + i + "@redeem.test", 1000));
        }

        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<JsonNode> outcomes;
        try {
            List<Future<JsonNode>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                futures.add(pool.submit(() -> c.decided(c.redeem("rush-" + n, redemption, users.get(n % 10)))));
            }
            outcomes = new ArrayList<>();
            for (Future<JsonNode> future : futures) {
                outcomes.add(future.get());
            }
        } finally {
            pool.shutdown();
        }

        Map<String, Long> byOutcome = outcomes.stream()
                .collect(Collectors.groupingBy(
                        r -> r.path("status").asString() + ":"
                                + r.path("failureCode").asString(""),
                        Collectors.counting()));
        assertThat(byOutcome).containsOnly(Map.entry("COMPLETED:", 10L), Map.entry("FAILED:OUT_OF_STOCK", 90L));
        assertThat(c.supply(redemption).path("available").asLong()).isZero();
        assertThat(c.tenant
                        .admin()
                        .get("/v2/redemption-redeems?redemptionId=" + redemption + "&status=COMPLETED")
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(10);
        Api.Response rewards = c.tenant.admin().get("/v2/tokens/" + reward + "/supply");
        assertThat(rewards.text("outstanding")).isEqualTo("10");
        Api.Response credits = c.tenant.admin().get("/v2/tokens/" + c.credit + "/supply");
        assertThat(credits.text("burned")).as("only the completed redeems paid").isEqualTo("100");
        BigInteger held =
                users.stream().map(u -> c.tenant.balance(u, c.credit)).reduce(BigInteger.ZERO, BigInteger::add);
        assertThat(held).isEqualTo(BigInteger.valueOf(10_000 - 100));
        c.assertLedgerVerifies();
    }

    @Test
    void anInsufficientBalanceFailsTheRedeemAndTakesNothing() {
        Catalogue c = new Catalogue(newTenant());
        UUID redemption = c.redemption(10, c.token("REWARD"), Map.of("totalSupply", 1));
        UUID poor = c.userWith("poor@redeem.test", 5);

        Api.Response refused = c.redeem("poor-1", redemption, poor);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("INSUFFICIENT_BALANCE");
        JsonNode redeem = c.decided(refused);
        assertThat(redeem.path("status").asString()).isEqualTo("FAILED");
        assertThat(redeem.path("failureReason").asString()).isNotEmpty();
        assertThat(redeem.path("transactions").isEmpty()).isTrue();
        assertThat(c.tenant.balance(poor, c.credit)).isEqualTo(BigInteger.valueOf(5));
        assertThat(c.supply(redemption).path("available").asLong())
                .as("supply released")
                .isEqualTo(1);
        assertThat(events(c, redeem)).containsExactly("redemption.failed");
    }

    /** The reward token is deactivated after the redemption was set up: the mint fails, the saga undoes the rest. */
    @Test
    void aMintThatFailsIsCompensatedCostRefundedAndSupplyReleased() {
        Catalogue c = new Catalogue(newTenant());
        UUID reward = c.token("REWARD");
        UUID redemption = c.redemption(30, reward, Map.of("totalSupply", 1));
        UUID user = c.userWith("unlucky@redeem.test", 100);
        assertThat(c.tenant
                        .admin()
                        .patch("/v2/tokens/" + reward, Map.of("active", false))
                        .status())
                .isEqualTo(200);

        Api.Response failed = c.redeem("unlucky-1", redemption, user);

        assertThat(failed.code()).as(failed.toString()).isEqualTo("TOKEN_INACTIVE");
        JsonNode redeem = c.decided(failed);
        assertThat(redeem.path("transactions")
                        .valueStream()
                        .map(t -> t.path("type").asString() + ":"
                                + t.path("status").asString()))
                .containsExactly("BURN:REVERSED", "REVERSAL:COMPLETED");
        assertThat(c.tenant.balance(user, c.credit)).isEqualTo(BigInteger.valueOf(100));
        assertThat(c.supply(redemption).path("available").asLong()).isEqualTo(1);
        assertThat(c.tenant.admin().get("/v2/tokens/" + c.credit + "/supply").text("outstanding"))
                .isEqualTo("100");
        assertThat(events(c, redeem)).containsExactly("redemption.failed");
        c.assertLedgerVerifies();

        assertThat(c.tenant
                        .admin()
                        .patch("/v2/tokens/" + reward, Map.of("active", true))
                        .status())
                .isEqualTo(200);
        Api.Response retried = c.redeem("unlucky-2", redemption, user);
        assertThat(retried.status())
                .as("the released unit is there for the next redeem")
                .isEqualTo(201);
        assertThat(events(c, c.decided(retried))).containsExactly("redemption.completed");
    }

    @Test
    void maxPerUserCountsEveryRedeemThatHoldsAUnit() {
        Catalogue c = new Catalogue(newTenant());
        UUID redemption = c.redemption(1, c.token("REWARD"), Map.of("maxPerUser", 2));
        UUID user = c.userWith("twice@redeem.test", 100);
        UUID other = c.userWith("other@redeem.test", 100);

        assertThat(c.redeem("max-1", redemption, user).status()).isEqualTo(201);
        assertThat(c.redeem("max-2", redemption, user).status()).isEqualTo(201);
        Api.Response third = c.redeem("max-3", redemption, user);

        assertThat(third.code()).as(third.toString()).isEqualTo("MAX_PER_USER");
        assertThat(c.tenant.balance(user, c.credit)).isEqualTo(BigInteger.valueOf(98));
        assertThat(c.redeem("max-4", redemption, other).status()).isEqualTo(201);
    }

    @Test
    void thePartnerBusinessReceivesTheCreditsWhenConfiguredAndOtherwiseTheyAreBurned() {
        Catalogue c = new Catalogue(newTenant());
        UUID reward = c.token("REWARD");
        UUID paying = c.redemption(40, reward, Map.of("businessReceivesCredits", true));
        UUID burning = c.redemption(25, reward, Map.of());
        UUID cafe = Catalogue.id(c.tenant.admin().post("/v2/businesses", Map.of("name", "Cafe")));
        UUID user = c.userWith("guest@redeem.test", 100);

        Api.Response paid = c.redeem("pay-1", paying, user, "businessId", cafe.toString());
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        assertThat(types(paid.json())).containsExactly("TRANSFER", "MINT");
        assertThat(c.businessBalance(cafe, c.credit)).isEqualTo(BigInteger.valueOf(40));

        Api.Response burned = c.redeem("burn-1", burning, user, "businessId", cafe.toString());
        assertThat(types(burned.json())).containsExactly("BURN", "MINT");
        assertThat(c.businessBalance(cafe, c.credit)).isEqualTo(BigInteger.valueOf(40));
        assertThat(c.tenant.balance(user, c.credit)).isEqualTo(BigInteger.valueOf(35));
        assertThat(c.tenant.balance(user, reward)).isEqualTo(BigInteger.TWO);
        assertThat(c.tenant.admin().get("/v2/tokens/" + c.credit + "/supply").text("burned"))
                .isEqualTo("25");
        assertThat(c.tenant
                        .admin()
                        .get("/v2/redemption-redeems?businessId=" + cafe)
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(2);
        c.assertLedgerVerifies();
    }

    @Test
    void theSameIdempotencyKeyMakesOneRedeemAndAnotherBodyUnderItIsRefused() {
        Catalogue c = new Catalogue(newTenant());
        UUID redemption = c.redemption(10, c.token("REWARD"), Map.of());
        UUID user = c.userWith("twice-sent@redeem.test", 100);

        Api.Response first = c.redeem("same-key", redemption, user);
        Api.Response again = c.redeem("same-key", redemption, user);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.text("id")).isEqualTo(first.text("id"));
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(c.tenant.balance(user, c.credit)).isEqualTo(BigInteger.valueOf(90));
        assertThat(c.tenant
                        .admin()
                        .get("/v2/redemption-redeems?userId=" + user)
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(1);
        Api.Response reused = c.redeem("same-key", redemption, user, "countryCode", "PT");
        assertThat(reused.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void countryAndStatusRulesRefuseWithTheirCodesAndTheUserSeesTheirHistory() {
        Catalogue c = new Catalogue(newTenant());
        UUID status = c.token("STATUS");
        UUID redemption = c.redemption(
                5,
                c.token("REWARD"),
                Map.of(
                        "countryCodeRestrictions",
                        List.of("NOT_ES"),
                        "minStatusTierId",
                        c.tier("GOLD", 1, 100, status).toString()));
        Api user = c.tenant.signIn("history-1", "history-1@redeem.test");
        UUID userId = UUID.fromString(user.get("/v2/users/me").text("id"));
        c.tenant.mint(c.credit, userId, 50);
        Map<String, Object> body = Map.of("redemptionId", redemption.toString(), "countryCode", "PT");

        assertThat(user.post("/v2/redemptions/redeems", body).code()).isEqualTo("STATUS_TOO_LOW");
        c.tenant.mint(status, userId, 100);
        assertThat(user.post(
                                "/v2/redemptions/redeems",
                                Map.of("redemptionId", redemption.toString(), "countryCode", "ES"))
                        .code())
                .isEqualTo("COUNTRY_RESTRICTED");
        assertThat(user.post("/v2/redemptions/redeems", Map.of("redemptionId", redemption.toString()))
                        .code())
                .as("with a restriction, an unknown country cannot comply")
                .isEqualTo("COUNTRY_RESTRICTED");
        Api.Response done = user.post("/v2/redemptions/redeems", body);
        assertThat(done.status()).as(done.toString()).isEqualTo(201);

        Api.Response history = user.get("/v2/redemptions/me/history?sort=createdAt,asc");
        assertThat(history.json().path("total").asLong()).isEqualTo(4);
        assertThat(history.json().path("items").findValuesAsString("failureCode"))
                .containsExactly("STATUS_TOO_LOW", "COUNTRY_RESTRICTED", "COUNTRY_RESTRICTED");
        assertThat(user.get("/v2/redemptions/me/history?status=COMPLETED")
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(1);
        assertThat(user.get("/v2/redemption-redeems").status()).isEqualTo(403);
        assertThat(c.tenant.balance(userId, c.credit)).isEqualTo(BigInteger.valueOf(45));

        Api.Response unknown = user.post(
                "/v2/redemptions/redeems",
                Map.of("redemptionId", UUID.randomUUID().toString()));
        assertThat(unknown.code()).isEqualTo("NOT_FOUND");
        assertThat(user.post(
                                "/v2/redemptions/redeems",
                                Map.of("redemptionId", redemption.toString(), "countryCode", "pt"))
                        .status())
                .isEqualTo(400);
        assertThat(user.get("/v2/redemptions/me/history").json().path("total").asLong())
                .as("bad input stores nothing")
                .isEqualTo(4);
    }

    @Test
    void theUsersTierDiscountIsTakenOffTheCostRoundedForTheProgramAndKeptOnTheRedeem() {
        Catalogue c = new Catalogue(newTenant());
        UUID status = c.token("STATUS");
        c.tier("GOLD", 1, 100, 2_500, status);
        UUID redemption = c.redemption(99, c.token("REWARD"), Map.of());
        UUID gold = c.userWith("gold@discount.test", 200);
        c.tenant.mint(status, gold, 100);
        UUID plain = c.userWith("plain@discount.test", 200);

        JsonNode discounted = c.decided(c.redeem("gold-1", redemption, gold));
        assertThat(discounted.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(discounted.path("costAmount").asString())
                .as("25% off 99 is 24.75, rounded down to 24 off")
                .isEqualTo("75");
        assertThat(discounted.path("listCostAmount").asString()).isEqualTo("99");
        assertThat(discounted.path("discountBps").asInt()).isEqualTo(2_500);
        assertThat(discounted.path("statusTierName").asString()).isEqualTo("GOLD");
        assertThat(c.tenant.balance(gold, c.credit)).isEqualTo(BigInteger.valueOf(125));

        JsonNode full = c.decided(c.redeem("plain-1", redemption, plain));
        assertThat(full.path("costAmount").asString()).isEqualTo("99");
        assertThat(full.path("discountBps").asInt()).isZero();
        assertThat(full.path("statusTierName").isMissingNode()).isTrue();
        assertThat(c.tenant.balance(plain, c.credit)).isEqualTo(BigInteger.valueOf(101));
        c.assertLedgerVerifies();
    }

    private static List<String> types(JsonNode redeem) {
        return redeem.path("transactions")
                .valueStream()
                .map(t -> t.path("type").asString())
                .toList();
    }

    private List<String> events(Catalogue c, JsonNode redeem) {
        return TenantContext.callAs(
                c.tenant.id(), () -> db.sql("select type from domain_events where subject_id = ? order by created_at")
                        .param(UUID.fromString(redeem.path("id").asString()))
                        .query(String.class)
                        .list());
    }
}
