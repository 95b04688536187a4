package io.pers.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Token expiry through the API and the job, time-controlled: the job is run at chosen instants
 * (never slept for) relative to when the lots were earned, which the ledger stamps.
 */
class ExpiryIT extends ApiTest {

    @Autowired
    TokenExpiry expiry;

    @Autowired
    JdbcClient db;

    @Test
    void spendingTakesTheOldestLotsAndTheJobExpiresTheRestOnTimeOnceWithOneWarningPerLot() {
        TenantFixture t = newTenant();
        UUID token = token(t, "PTS", Map.of("type", "DAYS_AFTER_EARN", "days", 30));
        Api user = t.signIn("expiring-1", "expiring-1@expiry.test");
        UUID userId = UUID.fromString(user.get("/v2/users/me").text("id"));
        UUID friend = t.createUser("friend@expiry.test");

        UUID lotA = t.mint(token, userId, 100);
        UUID lotB = t.mint(token, userId, 50);
        Api.Response reversed = t.admin().post("/v2/transactions/" + t.mint(token, userId, 20) + "/reversal", Map.of());
        assertThat(reversed.status()).as("a reversed credit leaves no lot").isEqualTo(201);
        assertThat(t.transfer(token, userId, friend, 30).status()).isEqualTo(201);

        Instant a = earned(t, lotA).plus(Duration.ofDays(30));
        Instant b = earned(t, lotB).plus(Duration.ofDays(30));
        assertThat(b).isAfter(a);
        JsonNode expiring = user.get("/v2/balances/me/expiring").json();
        assertThat(expiring.valueStream()
                        .map(e -> e.path("amount").asString() + "@"
                                + Instant.parse(e.path("expiresAt").asString()))
                        .toList())
                .as("the 30 spent came out of the oldest lot")
                .containsExactly("70@" + a, "50@" + b);
        assertThat(expiring.get(0).path("symbol").asString()).startsWith("PTS");

        expiry.run(a.minus(Duration.ofDays(7)).minusSeconds(1));
        assertThat(warnings(t, lotA, lotB))
                .as("not yet within the 7-day notice")
                .isEmpty();
        expiry.run(a.minus(Duration.ofDays(7)));
        expiry.run(a.minus(Duration.ofDays(7)));
        assertThat(warnings(t, lotA, lotB)).containsExactly(lotA + ":70");
        expiry.run(a.minus(Duration.ofDays(1)));
        assertThat(warnings(t, lotA, lotB))
                .as("B's notice begins too; A's is not repeated")
                .containsExactly(lotA + ":70", lotB + ":50");
        assertThat(t.balance(userId, token)).isEqualTo(BigInteger.valueOf(120));

        expiry.run(a.minusNanos(1000));
        assertThat(t.balance(userId, token)).as("not a microsecond early").isEqualTo(BigInteger.valueOf(120));
        // Two instances tick at once: the lot is burned once.
        CompletableFuture.allOf(
                        CompletableFuture.runAsync(() -> expiry.run(a)),
                        CompletableFuture.runAsync(() -> expiry.run(a)))
                .join();
        expiry.run(a);
        assertThat(t.balance(userId, token)).isEqualTo(BigInteger.valueOf(50));
        assertThat(expiries(t)).containsExactly(lotA + ":70");
        assertThat(user.get("/v2/balances/me/expiring").json().size()).isEqualTo(1);

        expiry.run(b);
        assertThat(t.balance(userId, token)).isZero();
        assertThat(expiries(t)).containsExactlyInAnyOrder(lotA + ":70", lotB + ":50");
        assertThat(warnings(t, lotA, lotB)).hasSize(2);
        assertThat(t.balance(friend, token)).isEqualTo(BigInteger.valueOf(30));
        expiry.run(b.plus(Duration.ofDays(365)));
        assertThat(t.balance(friend, token))
                .as("what the friend received by transfer is a lot of its own, expired 30 days after")
                .isZero();
        assertThat(expiries(t)).hasSize(3);

        JsonNode entry = t.admin()
                .get("/v2/transactions?participantId=" + userId + "&type=BURN")
                .json()
                .path("items");
        assertThat(entry.valueStream().map(e -> e.path("reasonType").asString()))
                .containsOnly("EXPIRY");
        JsonNode supply = t.admin().get("/v2/tokens/" + token + "/supply").json();
        assertThat(supply.path("burned").asString())
                .as("70 + 50 + 30 expired, and the reversed 20")
                .isEqualTo("170");
        assertThat(supply.path("outstanding").asString()).isEqualTo("0");
        assertLedgerVerifies(t);
    }

    @Test
    void endOfMonthPoliciesExpireAtTheMonthsEndAndANewPolicyCountsHeldPointsAsEarnedWhenItStarts() {
        TenantFixture t = newTenant();
        UUID token = token(t, "MON", null);
        UUID userId = t.createUser("monthly@expiry.test");
        UUID before = t.mint(token, userId, 40);
        assertThat(t.admin()
                        .get("/v2/balances/users/" + userId + "/expiring")
                        .json()
                        .isEmpty())
                .as("no policy, nothing expires")
                .isTrue();

        Api.Response changed =
                t.admin().patch("/v2/tokens/" + token, Map.of("expiry", Map.of("type", "END_OF_MONTH", "months", 1)));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().path("expiry").path("months").asInt()).isEqualTo(1);
        UUID after = t.mint(token, userId, 60);
        Instant endOfNextMonth = earned(t, after)
                .atOffset(ZoneOffset.UTC)
                .toLocalDate()
                .withDayOfMonth(1)
                .plusMonths(2)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        assertThat(earned(t, before)).isBefore(earned(t, after));
        JsonNode expiring =
                t.admin().get("/v2/balances/users/" + userId + "/expiring").json();
        assertThat(expiring.size())
                .as("both lots end with next month: " + expiring)
                .isEqualTo(1);
        assertThat(expiring.get(0).path("amount").asString()).isEqualTo("100");
        assertThat(Instant.parse(expiring.get(0).path("expiresAt").asString())).isEqualTo(endOfNextMonth);

        expiry.run(endOfNextMonth.minusSeconds(1));
        assertThat(t.balance(userId, token)).isEqualTo(BigInteger.valueOf(100));
        expiry.run(endOfNextMonth);
        assertThat(t.balance(userId, token)).isZero();
        assertThat(expiries(t)).containsExactlyInAnyOrder(before + ":40", after + ":60");

        Api.Response removed = t.admin().patch("/v2/tokens/" + token, Map.of("expiry", Map.of("type", "NONE")));
        assertThat(removed.json().path("expiry").isNull())
                .as(removed.toString())
                .isTrue();
        assertLedgerVerifies(t);
    }

    @Test
    void badExpiryPoliciesAreProblemsWithAStableCodeAndChangeNothing() {
        TenantFixture t = newTenant();
        UUID token = token(t, "BAD", Map.of("type", "DAYS_AFTER_EARN", "days", 365));
        List<Map<String, Object>> bad = List.of(
                Map.of("type", "DAYS_AFTER_EARN"),
                Map.of("type", "DAYS_AFTER_EARN", "days", 0),
                Map.of("type", "DAYS_AFTER_EARN", "days", 36_501),
                Map.of("type", "DAYS_AFTER_EARN", "days", 30, "months", 1),
                Map.of("type", "END_OF_MONTH"),
                Map.of("type", "END_OF_MONTH", "months", -1),
                Map.of("type", "NONE", "days", 3),
                Map.of("days", 3));
        for (Map<String, Object> policy : bad) {
            Api.Response refused = t.admin().patch("/v2/tokens/" + token, Map.of("expiry", policy));
            assertThat(refused.status()).as(policy.toString()).isEqualTo(400);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.code()).as(policy.toString()).isEqualTo("INVALID_EXPIRY_POLICY");
            Api.Response created = t.admin()
                    .post(
                            "/v2/tokens",
                            Map.of("type", "CREDIT", "name", "X", "symbol", "NEW", "decimals", 0, "expiry", policy));
            assertThat(created.code()).as(policy.toString()).isEqualTo("INVALID_EXPIRY_POLICY");
        }
        Api.Response unknownType =
                t.admin().patch("/v2/tokens/" + token, Map.of("expiry", Map.of("type", "SOMETIMES", "days", 3)));
        assertThat(unknownType.status()).isEqualTo(400);
        assertThat(t.admin()
                        .get("/v2/tokens/" + token)
                        .json()
                        .path("expiry")
                        .path("days")
                        .asInt())
                .isEqualTo(365);
        assertThat(t.admin().get("/v2/tokens").json().size())
                .as("no token was made")
                .isEqualTo(1);
    }

    private static UUID token(TenantFixture t, String prefix, Map<String, Object> expiry) {
        String symbol = prefix + UUID.randomUUID().toString().substring(0, 5).toUpperCase();
        Map<String, Object> body =
                new HashMap<>(Map.of("type", "CREDIT", "name", symbol, "symbol", symbol, "decimals", 0));
        if (expiry != null) {
            body.put("expiry", expiry);
        }
        Api.Response created = t.admin().post("/v2/tokens", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return UUID.fromString(created.text("id"));
    }

    /** When the ledger stamped the entry. */
    private static Instant earned(TenantFixture t, UUID entry) {
        return OffsetDateTime.parse(t.admin().get("/v2/transactions/" + entry).text("createdAt"))
                .toInstant()
                .truncatedTo(ChronoUnit.MICROS);
    }

    /** The tenant's EXPIRY entries, as lot:amount. */
    private List<String> expiries(TenantFixture t) {
        return TenantContext.callAs(
                t.id(), () -> db.sql("""
                                select e.reason_ref || ':' || p.amount from journal_entries e
                                  join postings p on p.entry_id = e.id and p.amount > 0
                                 where e.reason_type = 'EXPIRY' and e.kind = 'BURN'""").query(String.class).list());
    }

    /** The tokens.expiring events of these lots, as lot:amount. */
    private List<String> warnings(TenantFixture t, UUID... lots) {
        return TenantContext.callAs(
                t.id(), () -> db.sql("""
                                select payload->>'lotId' || ':' || (payload->>'amount') from domain_events
                                 where type = 'tokens.expiring' and subject_id = any(?) order by created_at""").param(lots).query(String.class).list());
    }

    private static void assertLedgerVerifies(TenantFixture t) {
        Api.Response verification = t.admin().get("/v2/ledger/verification", Duration.ofMinutes(2));
        assertThat(verification.json().path("valid").asBoolean())
                .as(verification.toString())
                .isTrue();
        assertThat(BigInteger.valueOf(
                        verification.json().path("unbalancedEntries").asLong()))
                .isZero();
    }
}
