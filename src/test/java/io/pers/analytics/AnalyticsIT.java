package io.pers.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.claim.CampaignSetup;
import io.pers.expiry.TokenExpiry;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Analytics over a small program run through the API: claims (one rejected), a transfer, redeems
 * (one failing), then exact figures. The data is made once; every test only reads it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsIT extends ApiTest {

    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    // Around today, so a run across midnight UTC still covers every row.
    private static final String RANGE = "?from=" + TODAY.minusDays(1) + "&to=" + TODAY.plusDays(1);

    @Autowired
    TokenExpiry expiry;

    private TenantFixture tenant;
    private UUID credit;
    private UUID reward;
    private UUID earn;
    private UUID welcome;
    private UUID qr;
    private UUID cafe;
    private UUID bar;
    private UUID redemption;
    private UUID ana;
    private UUID ben;

    @BeforeAll
    void program() {
        tenant = newTenant();
        CampaignSetup setup = new CampaignSetup(tenant);
        credit = setup.token;
        cafe = CampaignSetup.id(tenant.admin().post("/v2/businesses", Map.of("name", "Cafe")));
        bar = CampaignSetup.id(tenant.admin().post("/v2/businesses", Map.of("name", "Bar")));
        earn = setup.campaign(10, null, Map.of(), Map.of("name", "Earn"));
        welcome = setup.campaign(5, null, Map.of("maxPerUser", 1), Map.of("name", "Welcome"));
        Api.Response engaged = tenant.admin()
                .post(
                        "/v2/campaigns/" + earn + "/engagements",
                        Map.of("businessIds", List.of(cafe.toString()), "shortDescription", "partner"));
        assertThat(engaged.status()).as(engaged.toString()).isBetween(200, 201);
        qr = CampaignSetup.id(tenant.admin()
                .post(
                        "/v2/trigger-sources",
                        Map.of(
                                "type",
                                "QR_CODE",
                                "name",
                                "Cafe counter",
                                "businessId",
                                cafe.toString(),
                                "campaignId",
                                earn.toString())));
        ana = tenant.createUser("ana@analytics.test");
        ben = tenant.createUser("ben@analytics.test");
        UUID cy = tenant.createUser("cy@analytics.test");

        claim(Map.of(
                "campaignId", earn.toString(), "triggerSourceId", qr.toString(), "userIdentifier", ana.toString()));
        claim(Map.of(
                "campaignId", earn.toString(), "triggerSourceId", qr.toString(), "userIdentifier", ben.toString()));
        claim(Map.of("campaignId", welcome.toString(), "userIdentifier", ana.toString()));
        Api.Response again = tenant.admin()
                .post(
                        "/v2/campaigns/claims",
                        Map.of("campaignId", welcome.toString(), "userIdentifier", ana.toString()));
        assertThat(again.code()).as(again.toString()).isEqualTo("MAX_PER_USER");

        assertThat(tenant.transfer(credit, ana, ben, 5).status()).isEqualTo(201);

        reward = CampaignSetup.id(tenant.admin()
                .post("/v2/tokens", Map.of("type", "REWARD", "name", "Coffee", "symbol", "COF", "decimals", 0)));
        redemption = CampaignSetup.id(tenant.admin()
                .post(
                        "/v2/redemptions",
                        Map.of("name", "Free coffee", "costTokenId", credit.toString(), "costAmount", "8")));
        CampaignSetup.id(tenant.admin()
                .post(
                        "/v2/redemptions/" + redemption + "/tokens",
                        Map.of("tokenId", reward.toString(), "amount", "1")));
        assertThat(redeem(ben, cafe)).isEqualTo("COMPLETED"); // ben: 10 + 5 - 8
        assertThat(redeem(ana, bar)).isEqualTo("COMPLETED"); // ana: 10 + 5 - 5 - 8
        assertThat(redeem(cy, cafe)).isEqualTo("FAILED"); // cy has no credits
    }

    @Test
    void claimsPerCampaignAndStatus() {
        JsonNode rows = report("/v2/analytics/claims" + RANGE);
        Map<String, Long> byCampaign = stream(rows)
                .collect(Collectors.groupingBy(
                        r -> r.path("campaignName").asString() + ":"
                                + earned(r.path("status").asString()),
                        Collectors.summingLong(r -> r.path("claims").asLong())));
        assertThat(byCampaign)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("Earn:earned", 2L, "Welcome:earned", 1L, "Welcome:REJECTED", 1L));
        assertThat(stream(rows).map(r -> LocalDate.parse(r.path("day").asString())))
                .allSatisfy(day -> assertThat(day).isBetween(TODAY.minusDays(1), TODAY.plusDays(1)));
    }

    @Test
    void uniqueUsersCountEachClaimantOnce() {
        JsonNode users = report("/v2/analytics/users" + RANGE);
        assertThat(users.path("uniqueUsers").asLong()).isEqualTo(2);
        assertThat(stream(users.path("days")).mapToLong(d -> d.path("users").asLong()))
                .isNotEmpty()
                .allSatisfy(n -> assertThat(n).isBetween(1L, 2L));
    }

    @Test
    void engagementPerTriggerSourceAndCaller() {
        Map<String, String> bySource = stream(report("/v2/analytics/trigger-sources" + RANGE))
                .collect(Collectors.toMap(
                        r -> r.path("triggerSourceId").asString("api") + ":"
                                + r.path("callerRole").asString(),
                        r -> r.path("sourceType").asString("-") + " "
                                + r.path("claims").asLong() + "/"
                                + r.path("earned").asLong()));
        assertThat(bySource)
                .containsExactlyInAnyOrderEntriesOf(Map.of(qr + ":ADMIN", "QR_CODE 2/2", "api:ADMIN", "- 2/1"));
    }

    @Test
    void circulationFromTheJournal() {
        Map<String, String> byToken = stream(report("/v2/analytics/tokens" + RANGE))
                .collect(Collectors.toMap(
                        r -> r.path("tokenId").asString(),
                        r -> String.join(
                                " ",
                                r.path("minted").asString(),
                                r.path("burned").asString(),
                                r.path("transferred").asString(),
                                r.path("outstanding").asString(),
                                r.path("redeemed").asString(),
                                r.path("expired").asString())));
        // minted burned transferred outstanding redeemed expired; outstanding = what ana (2) and ben
        // (7) hold; the two redeems' cost (8 each) is what was burned; the rewards they minted are
        // not redeemed.
        assertThat(byToken)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(credit.toString(), "25 16 5 9 16 0", reward.toString(), "2 0 0 2 0 0"));
        assertThat(tenant.balance(ana, credit).add(tenant.balance(ben, credit))).hasToString("9");
    }

    @Test
    void issuedRedeemedAndExpiredPerTokenAndDay() {
        Map<String, String> byToken = stream(report("/v2/analytics/tokens/days" + RANGE))
                .collect(Collectors.groupingBy(
                        r -> r.path("tokenId").asString(),
                        Collectors.collectingAndThen(
                                Collectors.toList(),
                                days -> days.stream()
                                                .mapToLong(d -> d.path("issued").asLong())
                                                .sum()
                                        + " "
                                        + days.stream()
                                                .mapToLong(
                                                        d -> d.path("redeemed").asLong())
                                                .sum()
                                        + " "
                                        + days.stream()
                                                .mapToLong(
                                                        d -> d.path("expired").asLong())
                                                .sum())));
        assertThat(byToken)
                .containsExactlyInAnyOrderEntriesOf(Map.of(reward.toString(), "2 0 0", credit.toString(), "25 16 0"));
    }

    @Test
    void redeemsPerDayWithWhatTheyCost() {
        Map<String, String> byStatus = stream(report("/v2/analytics/redemptions/days" + RANGE))
                .collect(Collectors.groupingBy(
                        r -> r.path("status").asString() + " "
                                + r.path("costTokenId").asString(),
                        Collectors.collectingAndThen(
                                Collectors.toList(),
                                days -> days.stream()
                                                .mapToLong(
                                                        d -> d.path("redeems").asLong())
                                                .sum()
                                        + " "
                                        + days.stream()
                                                .mapToLong(d -> d.path("amount").asLong())
                                                .sum())));
        assertThat(byStatus)
                .containsExactlyInAnyOrderEntriesOf(Map.of("COMPLETED " + credit, "2 16", "FAILED " + credit, "1 8"));
    }

    @Test
    void aCampaignsClaimsByStatusItsPeopleAndWhatItIssued() {
        JsonNode earnFigures = report("/v2/analytics/campaigns/" + earn + RANGE);
        assertThat(earnFigures.path("claims").asLong()).isEqualTo(2);
        assertThat(earnFigures.path("people").asLong()).isEqualTo(2);
        assertThat(earnFigures.path("issued").get(0).path("tokenId").asString()).isEqualTo(credit.toString());
        assertThat(earnFigures.path("issued").get(0).path("amount").asString()).isEqualTo("20");

        JsonNode welcomeFigures = report("/v2/analytics/campaigns/" + welcome + RANGE);
        assertThat(welcomeFigures.path("claims").asLong()).isEqualTo(2);
        assertThat(welcomeFigures.path("people").asLong()).as("ana, once").isEqualTo(1);
        assertThat(stream(welcomeFigures.path("byStatus"))
                        .filter(r -> r.path("status").asString().equals("REJECTED"))
                        .mapToLong(r -> r.path("claims").asLong())
                        .sum())
                .isEqualTo(1);
        assertThat(welcomeFigures.path("issued").get(0).path("amount").asString())
                .isEqualTo("5");

        Api.Response unknown = tenant.admin().get("/v2/analytics/campaigns/" + UUID.randomUUID());
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        Api.Response ofAnother = newTenant().admin().get("/v2/analytics/campaigns/" + earn);
        assertThat(ofAnother.status()).as(ofAnother.toString()).isEqualTo(404);
    }

    @Test
    void expiredIsWhatTheExpiryJobBurned() {
        TenantFixture expiring = newTenant();
        Api.Response created = expiring.admin()
                .post(
                        "/v2/tokens",
                        Map.of(
                                "type", "CREDIT",
                                "name", "Expiring",
                                "symbol", "EXP",
                                "decimals", 0,
                                "expiry", Map.of("type", "DAYS_AFTER_EARN", "days", 30)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID token = UUID.fromString(created.text("id"));
        UUID user = expiring.createUser("dora@analytics.test");
        expiring.mint(token, user, 40);
        expiring.mint(token, user, 2);
        expiry.run(Instant.now().plus(Duration.ofDays(31)));

        JsonNode circulation = stream(report(expiring, "/v2/analytics/tokens" + RANGE))
                .filter(r -> r.path("tokenId").asString().equals(token.toString()))
                .findFirst()
                .orElseThrow();
        assertThat(circulation.path("minted").asString()).isEqualTo("42");
        assertThat(circulation.path("expired").asString()).isEqualTo("42");
        assertThat(circulation.path("burned").asString()).isEqualTo("42");
        assertThat(circulation.path("outstanding").asString()).isEqualTo("0");
        assertThat(stream(report(expiring, "/v2/analytics/tokens/days" + RANGE))
                        .mapToLong(d -> d.path("expired").asLong())
                        .sum())
                .isEqualTo(42);
    }

    @Test
    void aRangeBeforeTheProgramHasNoActivityAndNoLiability() {
        String past = "?from=2020-01-01&to=2020-01-31";
        assertThat(report("/v2/analytics/claims" + past)).isEmpty();
        assertThat(report("/v2/analytics/users" + past).path("uniqueUsers").asLong())
                .isZero();
        assertThat(stream(report("/v2/analytics/tokens" + past))
                        .map(r -> r.path("outstanding").asString()))
                .containsOnly("0");
        assertThat(report("/v2/analytics/redemptions" + past)).isEmpty();
        assertThat(report("/v2/analytics/tokens/days" + past)).isEmpty();
        assertThat(report("/v2/analytics/redemptions/days" + past)).isEmpty();
    }

    @Test
    void redeemsPerRedemptionAndStatus() {
        Set<String> rows = stream(report("/v2/analytics/redemptions" + RANGE))
                .map(r -> r.path("redemptionId").asString() + " "
                        + r.path("redemptionName").asString() + " "
                        + r.path("status").asString() + " " + r.path("redeems").asLong())
                .collect(Collectors.toSet());
        assertThat(rows)
                .containsExactlyInAnyOrder(
                        redemption + " Free coffee COMPLETED 2", redemption + " Free coffee FAILED 1");
    }

    @Test
    void topBusinessesByClaimsAndByRedeems() {
        assertThat(ranking("/v2/analytics/businesses" + RANGE)).containsExactly("Cafe 2 1", "Bar 0 1");
        assertThat(ranking("/v2/analytics/businesses" + RANGE + "&rankBy=REDEEMS"))
                .containsExactly("Bar 0 1", "Cafe 2 1");
        assertThat(ranking("/v2/analytics/businesses" + RANGE + "&limit=1")).containsExactly("Cafe 2 1");
        assertThat(tenant.admin().get("/v2/analytics/businesses?limit=0").code())
                .isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void badRangesAre400AndOnlyAdminsMayAsk() {
        Api admin = tenant.admin();
        Api.Response reversed = admin.get("/v2/analytics/claims?from=2026-02-01&to=2026-01-01");
        assertThat(reversed.status()).isEqualTo(400);
        assertThat(reversed.code()).isEqualTo("INVALID_DATE_RANGE");
        assertThat(reversed.header("content-type")).startsWith("application/problem+json");
        assertThat(admin.get("/v2/analytics/tokens?from=2024-01-01&to=2025-12-31")
                        .code())
                .isEqualTo("INVALID_DATE_RANGE");
        Api.Response notADate = admin.get("/v2/analytics/users?from=yesterday");
        assertThat(notADate.status()).isEqualTo(400);
        assertThat(notADate.code()).isEqualTo("VALIDATION_FAILED");
        Api user = tenant.signIn("analytics-user", "dee@analytics.test");
        assertThat(user.get("/v2/analytics/claims").status()).isEqualTo(403);
        assertThat(tenant.anonymous().get("/v2/analytics/claims").status()).isEqualTo(401);
    }

    @Test
    void anotherTenantSeesNoneOfIt() {
        Api other = newTenant().admin();
        for (String report : List.of(
                "claims",
                "trigger-sources",
                "tokens",
                "tokens/days",
                "redemptions",
                "redemptions/days",
                "businesses")) {
            Api.Response response = other.get("/v2/analytics/" + report + RANGE);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            assertThat(response.json().path("data")).as(report).isEmpty();
        }
        assertThat(other.get("/v2/analytics/users" + RANGE)
                        .json()
                        .path("data")
                        .path("uniqueUsers")
                        .asLong())
                .isZero();
    }

    private void claim(Map<String, Object> body) {
        Api.Response made = tenant.admin().post("/v2/campaigns/claims", body);
        assertThat(made.status()).as(made.toString()).isIn(201, 202);
        String id = made.text("id");
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> tenant.admin().get("/v2/campaigns/claims/" + id).text("status"),
                        s -> !s.equals("PENDING"));
    }

    private String redeem(UUID user, UUID business) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "redemptionId",
                redemption.toString(),
                "userIdentifier",
                user.toString(),
                "businessId",
                business.toString()));
        Api.Response made = tenant.admin().post("/v2/redemptions/redeems", body);
        String id = made.status() == 422 ? made.text("redeemId") : made.text("id");
        assertThat(id).as(made.toString()).isNotEmpty();
        return Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> tenant.admin().get("/v2/redemption-redeems/" + id).text("status"),
                        s -> !s.equals("PENDING"));
    }

    private JsonNode report(String path) {
        return report(tenant, path);
    }

    private static JsonNode report(TenantFixture of, String path) {
        Api.Response response = of.admin().get(path);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().path("data");
    }

    private List<String> ranking(String path) {
        return stream(report(path))
                .map(r -> r.path("businessName").asString() + " "
                        + r.path("claims").asLong() + " " + r.path("redeems").asLong())
                .toList();
    }

    private static String earned(String status) {
        return Set.of("PENDING_SETTLEMENT", "COMPLETED", "SETTLED").contains(status) ? "earned" : status;
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }
}
