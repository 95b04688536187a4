package io.pers.claim;

import static io.pers.claim.CampaignSetup.claim;
import static io.pers.claim.CampaignSetup.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Claims through the API: each caller kind, each eligibility rule, caps under concurrency, duplicates. */
class ClaimIT extends ApiTest {

    @Autowired
    WorkflowClient workflows;

    @Test
    void aUserClaimsAndIsAnsweredWithTheMintOnceDecided() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = setup.campaign(Map.of());
        Api user = setup.signIn("guest-1", "guest1@claims.test");

        Api.Response response = claim(user, on(campaign));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode claim = response.json();
        assertThat(claim.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(claim.path("callerRole").asString()).isEqualTo("USER");
        assertThat(claim.path("workflowId").asString()).startsWith("claim-");
        assertThat(claim.path("transactions")).hasSize(1);
        assertThat(claim.path("transactions").get(0).path("type").asString()).isEqualTo("MINT");
        assertThat(claim.path("transactions").get(0).path("reasonType").asString())
                .isEqualTo("CLAIM");
        assertThat(statuses(claim)).containsExactly("PENDING", "COMPLETED");
        assertThat(setup.tenant.balance(setup.userId(user), setup.token)).isEqualTo(BigInteger.TEN);
        assertThat(user.get("/v2/campaigns/claims/me").json().path("total").asLong())
                .isEqualTo(1);
        assertThat(user.get("/v2/campaigns/claims/" + claim.path("id").asString())
                        .status())
                .isEqualTo(200);
    }

    @Test
    void businessesSystemsAndAdminsClaimForANamedUser() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID shop = setup.business("Corner shop");
        UUID byBusiness = setup.campaign(Map.of("triggerType", "CLAIM_BY_BUSINESS"));
        setup.engage(byBusiness, shop, null);
        UUID bySystem = setup.campaign(Map.of("triggerType", "CLAIM_BY_SYSTEM"));
        UUID customer = setup.tenant.createUser("customer@claims.test");

        Api business = setup.signInAsBusiness(shop, "cashier-1");
        Api system = setup.tenant.anonymous().with("x-api-key", setup.tenant.createApiKey("epos"));
        Api.Response fromBusiness = claim(business, on(byBusiness, "userIdentifier", "customer@claims.test"));
        Api.Response fromSystem = claim(system, on(bySystem, "userIdentifier", customer.toString()));
        Api.Response fromAdmin = claim(setup.tenant.admin(), on(bySystem, "userIdentifier", "customer@claims.test"));

        assertThat(fromBusiness.status()).as(fromBusiness.toString()).isEqualTo(201);
        assertThat(fromBusiness.text("callerRole")).isEqualTo("BUSINESS");
        assertThat(fromBusiness.text("businessId")).isEqualTo(shop.toString());
        assertThat(fromSystem.status()).as(fromSystem.toString()).isEqualTo(201);
        assertThat(fromSystem.text("callerRole")).isEqualTo("SYSTEM");
        assertThat(fromAdmin.status()).as(fromAdmin.toString()).isEqualTo(201);
        assertThat(setup.tenant.balance(customer, setup.token)).isEqualTo(BigInteger.valueOf(30));
        assertThat(business.get("/v2/campaigns/claims/me").json().path("total").asLong())
                .isEqualTo(1);
        assertThat(claim(setup.tenant.admin(), on(bySystem)).code())
                .as("a system claim names its user")
                .isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void everyEligibilityRuleRejectsWithItsOwnCodeAndMintsNothing() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        Api user = setup.signIn("rules-1", "rules1@claims.test");
        UUID userId = setup.userId(user);
        String tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).toString();
        UUID unengaged = setup.business("Not a partner");

        rejected(claim(user, on(setup.campaign(10, null, Map.of(), Map.of("isActive", false)))), "CAMPAIGN_INACTIVE");
        rejected(claim(user, on(setup.campaign(10, null, Map.of(), Map.of("startDate", tomorrow)))), "OUTSIDE_WINDOW");
        rejected(claim(user, on(setup.campaign(Map.of("triggerType", "CLAIM_BY_SYSTEM")))), "CALLER_NOT_ALLOWED");
        UUID notInSpain = setup.campaign(10, null, Map.of(), Map.of("countryCodeRestrictions", List.of("NOT_ES")));
        rejected(claim(user, on(notInSpain, "countryCode", "ES")), "COUNTRY_RESTRICTED");
        UUID lisbon = setup.campaign(
                Map.of("maxGeoDistanceInMeters", 500, "location", Map.of("latitude", 38.7223, "longitude", -9.1393)));
        rejected(claim(user, on(lisbon, "latitude", 41.1579, "longitude", -8.6291)), "TOO_FAR");
        rejected(
                claim(user, on(setup.campaign(Map.of("requiredUserInfo", List.of("firstName"))))), "MISSING_USER_INFO");
        UUID bigSpenders = setup.campaign(Map.of("conditions", List.of("data.orderTotal >= 50")));
        rejected(claim(user, on(bigSpenders, "conditionsData", Map.of("orderTotal", 20))), "CONDITION_FALSE");
        rejected(claim(user, on(setup.campaign(Map.of()), "businessId", unengaged.toString())), "BUSINESS_NOT_ENGAGED");
        UUID once = setup.campaign(Map.of("maxPerUser", 1));
        assertThat(claim(user, on(once)).status()).isEqualTo(201);
        rejected(claim(user, on(once)), "MAX_PER_USER");
        UUID daily = setup.campaign(Map.of("maxPerDay", 1));
        assertThat(claim(user, on(daily)).status()).isEqualTo(201);
        rejected(claim(user, on(daily)), "MAX_PER_DAY");
        UUID hourly = setup.campaign(Map.of("minCooldownSeconds", 3600));
        assertThat(claim(user, on(hourly)).status()).isEqualTo(201);
        rejected(claim(user, on(hourly)), "COOLDOWN");
        UUID partnerCapped = setup.campaign(Map.of());
        UUID partner = setup.business("Capped partner");
        setup.engage(partnerCapped, partner, 1);
        assertThat(claim(user, on(partnerCapped, "businessId", partner.toString()))
                        .status())
                .isEqualTo(201);
        rejected(claim(user, on(partnerCapped, "businessId", partner.toString())), "BUSINESS_CAP");
        UUID small = setup.campaign(10, 15L, Map.of(), Map.of());
        assertThat(claim(user, on(small)).status()).isEqualTo(201);
        rejected(claim(user, on(small)), "BUDGET_EXHAUSTED");

        // Conditions and info that do hold let the claim through.
        assertThat(claim(user, on(bigSpenders, "conditionsData", Map.of("orderTotal", 75)))
                        .status())
                .isEqualTo(201);
        assertThat(claim(user, on(notInSpain, "countryCode", "PT")).status()).isEqualTo(201);
        assertThat(claim(user, on(lisbon, "latitude", 38.7230, "longitude", -9.1400))
                        .status())
                .isEqualTo(201);
        assertThat(setup.tenant.balance(userId, setup.token))
                .as("only the eight accepted claims minted")
                .isEqualTo(BigInteger.valueOf(80));
    }

    @Test
    void aMultiplierAboveTheTriggersMaximumIsRefused() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = setup.campaign(Map.of("maxMultiplier", 3));
        Api user = setup.signIn("multi-1", "multi1@claims.test");

        Api.Response tripled = claim(user, on(campaign, "multiplier", 3));
        Api.Response tooMuch = claim(user, on(campaign, "multiplier", 4));

        assertThat(tripled.status()).as(tripled.toString()).isEqualTo(201);
        assertThat(tripled.json().path("transactions").get(0).path("amount").asString())
                .isEqualTo("30");
        assertThat(tooMuch.status()).isEqualTo(400);
        assertThat(tooMuch.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(tooMuch.text("detail"))
                .as("names the limit and how to raise it")
                .startsWith(
                        "multiplier 4 is above the trigger's maxMultiplier 3: raise it with PATCH /v2/campaign-triggers/")
                .endsWith(" {\"maxMultiplier\": 4} (at most 1000)");
    }

    @Test
    void fiftyConcurrentClaimsAgainstMaxPerUserThreeMintExactlyThree() throws Exception {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = setup.campaign(Map.of("maxPerUser", 3));
        Api user = setup.signIn("rush-1", "rush1@claims.test");

        Map<Integer, Long> outcomes = concurrently(50, i -> claim(user, on(campaign)));

        assertThat(outcomes).containsEntry(201, 3L).containsEntry(422, 47L);
        assertThat(setup.tenant.balance(setup.userId(user), setup.token)).isEqualTo(BigInteger.valueOf(30));
    }

    @Test
    void aBudgetOfOneHundredWithTwoHundredConcurrentClaimsMintsExactlyOneHundred() throws Exception {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = setup.campaign(1, 100L, Map.of("triggerType", "CLAIM_BY_SYSTEM"), Map.of());
        Api system = setup.tenant.anonymous().with("x-api-key", setup.tenant.createApiKey("pos"));
        List<UUID> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(setup.tenant.createUser("budget" + i + "@claims.test"));
        }

        Map<Integer, Long> outcomes = concurrently(
                200,
                i -> claim(
                        system, on(campaign, "userIdentifier", users.get(i % 20).toString())));

        assertThat(outcomes).containsEntry(201, 100L).containsEntry(422, 100L);
        Api.Response supply = setup.tenant.admin().get("/v2/tokens/" + setup.token + "/supply");
        assertThat(supply.text("minted")).isEqualTo("100");
        Api.Response rejected =
                setup.tenant.admin().get("/v2/campaigns/claims?campaignId=" + campaign + "&status=REJECTED&size=200");
        assertThat(rejected.json().path("items").findValuesAsString("rejectionCode"))
                .containsOnly("BUDGET_EXHAUSTED");
    }

    @Test
    void aTriggerSourceNamesTheCampaignAndTheBusinessAndCountsItsEngagements() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = setup.campaign(Map.of());
        UUID cafe = setup.business("Cafe with a QR code");
        setup.engage(campaign, cafe, null);
        UUID qr = CampaignSetup.id(setup.tenant
                .admin()
                .post(
                        "/v2/trigger-sources",
                        Map.of(
                                "type",
                                "QR_CODE",
                                "name",
                                "Table 4",
                                "businessId",
                                cafe.toString(),
                                "campaignId",
                                campaign.toString())));
        Api first = setup.signIn("qr-1", "qr1@claims.test");
        Api second = setup.signIn("qr-2", "qr2@claims.test");

        Api.Response scanned = claim(first, Map.of("triggerSourceId", qr.toString()));
        assertThat(scanned.status()).as(scanned.toString()).isEqualTo(201);
        assertThat(scanned.text("campaignId")).isEqualTo(campaign.toString());
        assertThat(scanned.text("businessId")).as("the source's business").isEqualTo(cafe.toString());
        assertThat(claim(second, Map.of("triggerSourceId", qr.toString())).status())
                .isEqualTo(201);
        assertThat(claim(first, Map.of("triggerSourceId", qr.toString())).status())
                .isEqualTo(201);
        Api.Response otherCampaign = claim(
                first,
                Map.of(
                        "triggerSourceId",
                        qr.toString(),
                        "campaignId",
                        setup.campaign(Map.of()).toString()));
        assertThat(otherCampaign.status()).as("a source and another campaign").isEqualTo(400);

        JsonNode analytics =
                setup.tenant.admin().get("/v2/trigger-sources/" + qr).json().path("analytics");
        assertThat(analytics.path("totalEngagements").asLong()).isEqualTo(3);
        assertThat(analytics.path("uniqueUsers").asLong()).isEqualTo(2);
        assertThat(analytics.path("lastEngagedAt").isNull()).isFalse();

        assertThat(setup.tenant
                        .admin()
                        .patch("/v2/trigger-sources/" + qr, Map.of("active", false))
                        .status())
                .isEqualTo(200);
        assertThat(claim(second, Map.of("triggerSourceId", qr.toString())).status())
                .as("an inactive source")
                .isEqualTo(404);
    }

    @Test
    void aPartnersDailyCapStopsItsClaimsForTheDay() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = setup.campaign(Map.of());
        UUID partner = setup.business("Daily partner");
        Api.Response engaged = setup.tenant
                .admin()
                .post(
                        "/v2/campaigns/" + campaign + "/engagements",
                        Map.of(
                                "businessIds",
                                List.of(partner.toString()),
                                "shortDescription",
                                "two a day",
                                "maxPerDay",
                                2));
        assertThat(engaged.status()).as(engaged.toString()).isBetween(200, 201);
        Api user = setup.signIn("daily-partner", "dailypartner@claims.test");
        Api other = setup.signIn("daily-partner-2", "dailypartner2@claims.test");

        assertThat(claim(user, on(campaign, "businessId", partner.toString())).status())
                .isEqualTo(201);
        assertThat(claim(other, on(campaign, "businessId", partner.toString())).status())
                .isEqualTo(201);
        rejected(claim(user, on(campaign, "businessId", partner.toString())), "BUSINESS_CAP");
        assertThat(claim(user, on(campaign)).status())
                .as("the campaign itself has no cap")
                .isEqualTo(201);
    }

    /** Operators find claims in Temporal by tenant, campaign and status. */
    @Test
    void aClaimsWorkflowCarriesItsTenantCampaignAndStatus() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = setup.campaign(Map.of());
        Api.Response decided = claim(setup.signIn("sa-1", "sa1@claims.test"), on(campaign));
        assertThat(decided.status()).isEqualTo(201);

        Map<String, String> attributes = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> searchAttributes(decided.text("workflowId")), a -> "COMPLETED"
                        .equals(a.get("PersClaimStatus")));
        assertThat(attributes)
                .containsEntry("PersTenantId", setup.tenant.id().toString())
                .containsEntry("PersCampaignId", campaign.toString());
    }

    private Map<String, String> searchAttributes(String workflowId) {
        var described = workflows
                .getWorkflowServiceStubs()
                .blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(workflows.getOptions().getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .build());
        Map<String, String> values = new HashMap<>();
        described
                .getWorkflowExecutionInfo()
                .getSearchAttributes()
                .getIndexedFieldsMap()
                .forEach((name, payload) -> values.put(
                        name, DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class)));
        return values;
    }

    @Test
    void theSameIdempotencyKeyMakesOneClaimAndAnswersWithTheFirstResult() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = setup.campaign(Map.of());
        Api user = setup.signIn("dup-1", "dup1@claims.test").with("Idempotency-Key", "scan-" + UUID.randomUUID());

        Api.Response first = claim(user, on(campaign));
        Api.Response second = claim(user, on(campaign));
        Api.Response reused = claim(user, on(campaign, "multiplier", 1, "countryCode", "PT"));
        Api.Response reusedElsewhere = claim(user, on(setup.campaign(Map.of())));

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.text("id")).isEqualTo(first.text("id"));
        assertThat(second.json().path("transactions")).isEqualTo(first.json().path("transactions"));
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(reusedElsewhere.status())
                .as("the same key for another campaign")
                .isEqualTo(422);
        assertThat(reusedElsewhere.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(setup.tenant.balance(setup.userId(user), setup.token)).isEqualTo(BigInteger.TEN);
    }

    @Test
    void aRejectedClaimRepliesWithTheSameRejectionToItsRetries() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = setup.campaign(10, null, Map.of(), Map.of("isActive", false));
        Api user = setup.signIn("dup-2", "dup2@claims.test").with("Idempotency-Key", "scan-" + UUID.randomUUID());

        Api.Response first = claim(user, on(campaign));
        Api.Response retry = claim(user, on(campaign));

        rejected(first, "CAMPAIGN_INACTIVE");
        rejected(retry, "CAMPAIGN_INACTIVE");
        assertThat(retry.text("claimId")).isEqualTo(first.text("claimId"));
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    }

    @Test
    void anotherTenantsCampaignAndClaimsAreNotFound() {
        CampaignSetup a = new CampaignSetup(newTenant());
        CampaignSetup b = new CampaignSetup(newTenant());
        UUID campaignB = b.campaign(Map.of());
        Api userB = b.signIn("b-1", "b1@claims.test");
        String claimB = claim(userB, on(campaignB)).text("id");
        Api userA = a.signIn("a-1", "a1@claims.test");

        assertThat(claim(userA, on(campaignB)).status()).isEqualTo(404);
        assertThat(a.tenant.admin().get("/v2/campaigns/claims/" + claimB).status())
                .isEqualTo(404);
        assertThat(userA.get("/v2/campaigns/claims/" + claimB).status()).isEqualTo(404);
    }

    private static void rejected(Api.Response response, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo(code);
        assertThat(response.text("claimId")).isNotBlank();
    }

    private static List<String> statuses(JsonNode claim) {
        return claim.path("history").findValuesAsString("status");
    }

    private static Map<Integer, Long> concurrently(int count, Function<Integer, Api.Response> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, 50));
        try {
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> call.apply(n)));
            }
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> future : futures) {
                responses.add(future.get());
            }
            return responses.stream().collect(Collectors.groupingBy(Api.Response::status, Collectors.counting()));
        } finally {
            pool.shutdown();
        }
    }
}
