package io.pers.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.IdentityProvider;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Campaigns, their triggers, token units, sources and partner engagements, through the API. */
class CampaignIT extends ApiTest {

    @Autowired
    JdbcClient db;

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final BigInteger UINT256_MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    @Test
    void anAdminCreatesUpdatesAndReadsACampaign() {
        TenantFixture tenant = newTenant();
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Summer stamps");
        body.put("description", "A stamp per coffee");
        body.put("startDate", NOW.toString());
        body.put("endDate", NOW.plus(30, ChronoUnit.DAYS).toString());
        body.put("imageUrl", "https://cdn.pers.test/summer.png");
        body.put("externalUrl", "http://pers.test/summer?utm=app");
        body.put("isTestnet", true);
        body.put("countryCodeRestrictions", List.of("NOT_ES", "FR"));
        body.put("tags", List.of("Summer", "coffee", "summer"));

        Api.Response created = tenant.admin().post("/v2/campaigns", body);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode campaign = created.json();
        assertThat(campaign.path("name").asString()).isEqualTo("Summer stamps");
        assertThat(instant(campaign.path("startDate"))).isEqualTo(NOW);
        assertThat(instant(campaign.path("endDate"))).isEqualTo(NOW.plus(30, ChronoUnit.DAYS));
        assertThat(campaign.path("isActive").asBoolean())
                .as("inactive until switched on")
                .isFalse();
        assertThat(campaign.path("isTestnet").asBoolean()).isTrue();
        assertThat(strings(campaign.path("countryCodeRestrictions"))).containsExactly("NOT_ES", "FR");
        assertThat(strings(campaign.path("tags"))).containsExactly("summer", "coffee");
        assertThat(campaign.path("tokenUnits").isArray()).isTrue();
        assertThat(campaign.path("engagements").isEmpty()).isTrue();
        String id = campaign.path("id").asString();

        Api.Response updated = tenant.admin()
                .patch("/v2/campaigns/" + id, Map.of("description", "Two stamps a coffee", "isActive", true));

        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.text("description")).isEqualTo("Two stamps a coffee");
        assertThat(updated.json().path("isActive").asBoolean()).isTrue();
        assertThat(updated.text("name")).as("fields left out keep their value").isEqualTo("Summer stamps");
        assertThat(updated.text("imageUrl")).isEqualTo("https://cdn.pers.test/summer.png");
        assertThat(tenant.admin().get("/v2/campaigns/" + id).json()).isEqualTo(updated.json());
    }

    @Test
    void badCampaignsAreRefusedAndNothingIsStored() {
        TenantFixture tenant = newTenant();
        String id = campaign(tenant, Map.of("name", "Kept", "startDate", NOW.toString()));
        JsonNode before = tenant.admin().get("/v2/campaigns/" + id).json();
        String yesterday = NOW.minus(1, ChronoUnit.DAYS).toString();

        refused(tenant.admin().post("/v2/campaigns", Map.of("description", "no name")), 400, "VALIDATION_FAILED");
        refused(
                tenant.admin()
                        .post(
                                "/v2/campaigns",
                                Map.of("name", "Backwards", "startDate", NOW.toString(), "endDate", yesterday)),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin().post("/v2/campaigns", Map.of("name", "Bad link", "externalUrl", "ftp://pers.test/x")),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin().post("/v2/campaigns", Map.of("name", "Bad image", "imageUrl", "not a url")),
                400,
                "VALIDATION_FAILED");
        for (String rule : List.of("es", "NOT_ESP", "NOTES", "EU1")) {
            refused(
                    tenant.admin()
                            .post(
                                    "/v2/campaigns",
                                    Map.of("name", "Bad country", "countryCodeRestrictions", List.of(rule))),
                    400,
                    "VALIDATION_FAILED");
        }
        refused(
                tenant.admin().post("/v2/campaigns", Map.of("name", "Bad tag", "tags", List.of("two words"))),
                400,
                "VALIDATION_FAILED");
        refused(tenant.admin().post("/v2/campaigns", Map.of("name", "Extra", "colour", "red")), 400, "UNKNOWN_FIELD");
        refused(
                tenant.admin()
                        .post(
                                "/v2/campaigns",
                                Map.of(
                                        "name",
                                        "No trigger",
                                        "triggerId",
                                        UUID.randomUUID().toString())),
                404,
                "NOT_FOUND");
        refused(tenant.admin().patch("/v2/campaigns/" + id, Map.of("endDate", yesterday)), 400, "VALIDATION_FAILED");
        refused(tenant.admin().patch("/v2/campaigns/" + UUID.randomUUID(), Map.of("name", "Ghost")), 404, "NOT_FOUND");

        assertThat(total(tenant.admin(), "")).isEqualTo(1);
        assertThat(tenant.admin().get("/v2/campaigns/" + id).json()).isEqualTo(before);
    }

    @Test
    void listsFilterByActiveTagAndBusinessAndArePagedAndSorted() {
        TenantFixture tenant = newTenant();
        String beach = campaign(
                tenant, Map.of("name", "Beach", "isActive", true, "tags", List.of("summer"), "startDate", at(3)));
        String ski = campaign(tenant, Map.of("name", "Ski", "tags", List.of("winter"), "startDate", at(1)));
        String cafe = campaign(tenant, Map.of("name", "Cafe", "isActive", true, "startDate", at(2)));
        UUID business = business(tenant, "Corner cafe");
        engage(tenant, cafe, Map.of("businessIds", List.of(business.toString())));

        assertThat(ids(tenant.admin(), "?active=true")).containsExactlyInAnyOrder(beach, cafe);
        assertThat(ids(tenant.admin(), "?active=false")).containsExactly(ski);
        assertThat(ids(tenant.admin(), "?tag=summer")).containsExactly(beach);
        assertThat(ids(tenant.admin(), "?tag=SUMMER"))
                .as("tags are matched in lower case")
                .containsExactly(beach);
        assertThat(ids(tenant.admin(), "?businessId=" + business)).containsExactly(cafe);
        assertThat(ids(tenant.admin(), "?businessId=" + UUID.randomUUID())).isEmpty();
        assertThat(ids(tenant.admin(), "?sort=name,asc")).containsExactly(beach, cafe, ski);
        assertThat(ids(tenant.admin(), "?sort=startDate,desc")).containsExactly(beach, cafe, ski);
        assertThat(ids(tenant.admin(), "?sort=createdAt,asc")).containsExactly(beach, ski, cafe);

        JsonNode first =
                tenant.admin().get("/v2/campaigns?sort=name,asc&size=2&page=0").json();
        JsonNode second =
                tenant.admin().get("/v2/campaigns?sort=name,asc&size=2&page=1").json();
        assertThat(first.path("total").asLong()).isEqualTo(3);
        assertThat(first.path("size").asInt()).isEqualTo(2);
        assertThat(ids(first)).containsExactly(beach, cafe);
        assertThat(second.path("page").asInt()).isEqualTo(1);
        assertThat(ids(second)).containsExactly(ski);

        refused(tenant.admin().get("/v2/campaigns?sort=description"), 400, "VALIDATION_FAILED");
        refused(tenant.admin().get("/v2/campaigns?size=0"), 400, "VALIDATION_FAILED");
        refused(tenant.admin().get("/v2/campaigns?businessId=not-a-uuid"), 400, "VALIDATION_FAILED");
    }

    @Test
    void callersWithoutAdminRightsSeeOnlyActiveCampaignsThatHaveNotEnded() {
        TenantFixture tenant = newTenant();
        String running = campaign(tenant, Map.of("name", "Running", "isActive", true, "endDate", at(10)));
        String open = campaign(tenant, Map.of("name", "Open-ended", "isActive", true));
        String ended = campaign(
                tenant,
                Map.of(
                        "name",
                        "Ended",
                        "isActive",
                        true,
                        "startDate",
                        NOW.minus(10, ChronoUnit.DAYS).toString(),
                        "endDate",
                        NOW.minus(1, ChronoUnit.DAYS).toString()));
        String inactive = campaign(tenant, Map.of("name", "Draft"));
        Api system = tenant.anonymous().with("x-api-key", tenant.createApiKey("campaign-reader"));
        Api user = signIn(tenant, "sub-visibility", "visitor@campaign.test");

        for (Api limited : List.of(tenant.anonymous(), user)) {
            assertThat(ids(limited, "")).containsExactlyInAnyOrder(running, open);
            assertThat(ids(limited, "?active=false")).isEmpty();
            assertThat(limited.get("/v2/campaigns/" + running).status()).isEqualTo(200);
            refused(limited.get("/v2/campaigns/" + inactive), 404, "NOT_FOUND");
            refused(limited.get("/v2/campaigns/" + ended), 404, "NOT_FOUND");
            refused(limited.get("/v2/campaigns/" + inactive + "/engagements"), 404, "NOT_FOUND");
        }
        for (Api operator : List.of(tenant.admin(), system)) {
            assertThat(ids(operator, "")).containsExactlyInAnyOrder(running, open, ended, inactive);
            assertThat(operator.get("/v2/campaigns/" + inactive).status()).isEqualTo(200);
            assertThat(operator.get("/v2/campaigns/" + ended).status()).isEqualTo(200);
        }
        refused(new Api("http://localhost:" + port).get("/v2/campaigns"), 401, "AUTHENTICATION_REQUIRED");
    }

    @Test
    void togglesFlipActiveAndTestnet() {
        TenantFixture tenant = newTenant();
        String id = campaign(tenant, Map.of("name", "Toggled"));

        Api.Response on = tenant.admin().post("/v2/campaigns/" + id + "/toggle-active", Map.of());
        assertThat(on.status()).as(on.toString()).isEqualTo(200);
        assertThat(on.json().path("isActive").asBoolean()).isTrue();
        assertThat(tenant.anonymous().get("/v2/campaigns/" + id).status()).isEqualTo(200);
        assertThat(tenant.admin()
                        .post("/v2/campaigns/" + id + "/toggle-active", Map.of())
                        .json()
                        .path("isActive")
                        .asBoolean())
                .isFalse();
        assertThat(tenant.anonymous().get("/v2/campaigns/" + id).status()).isEqualTo(404);

        Api.Response testnet = tenant.admin().post("/v2/campaigns/" + id + "/toggle-testnet", Map.of());
        assertThat(testnet.json().path("isTestnet").asBoolean()).isTrue();
        assertThat(testnet.json().path("isActive").asBoolean()).isFalse();

        refused(
                tenant.admin().post("/v2/campaigns/" + UUID.randomUUID() + "/toggle-active", Map.of()),
                404,
                "NOT_FOUND");
        refused(
                tenant.anonymous()
                        .with("x-api-key", tenant.createApiKey("no-toggles"))
                        .post("/v2/campaigns/" + id + "/toggle-testnet", Map.of()),
                403,
                "FORBIDDEN");
        assertThat(tenant.admin()
                        .get("/v2/campaigns/" + id)
                        .json()
                        .path("isTestnet")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void tagsAreAddedOnceRemovedAndListedUniquely() {
        TenantFixture tenant = newTenant();
        String first = campaign(tenant, Map.of("name", "First", "tags", List.of("coffee")));
        String second = campaign(tenant, Map.of("name", "Second", "tags", List.of("coffee", "tea")));

        Api.Response added = tenant.admin()
                .post("/v2/campaigns/" + first + "/tags", Map.of("tags", List.of("Summer", "coffee", "summer")));
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(strings(added.json().path("tags"))).containsExactlyInAnyOrder("coffee", "summer");
        assertThat(strings(tenant.admin().get("/v2/campaigns/tags").json())).containsExactly("coffee", "summer", "tea");

        Api.Response removed = tenant.admin().delete("/v2/campaigns/" + second + "/tags/TEA");
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(strings(removed.json().path("tags"))).containsExactly("coffee");
        assertThat(strings(tenant.admin().get("/v2/campaigns/tags").json())).containsExactly("coffee", "summer");
        refused(tenant.admin().delete("/v2/campaigns/" + second + "/tags/tea"), 404, "NOT_FOUND");

        refused(
                tenant.admin().post("/v2/campaigns/" + first + "/tags", Map.of("tags", List.of("ok", "not ok!"))),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin().post("/v2/campaigns/" + first + "/tags", Map.of("tags", List.of("x".repeat(41)))),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin().post("/v2/campaigns/" + first + "/tags", Map.of("tags", List.of())),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin().post("/v2/campaigns/" + UUID.randomUUID() + "/tags", Map.of("tags", List.of("x"))),
                404,
                "NOT_FOUND");
        refused(tenant.anonymous().get("/v2/campaigns/tags"), 401, "AUTHENTICATION_REQUIRED");
        assertThat(strings(tenant.admin().get("/v2/campaigns/tags").json())).containsExactly("coffee", "summer");
        Api system = tenant.anonymous().with("x-api-key", tenant.createApiKey("tag-reader"));
        assertThat(system.get("/v2/campaigns/tags").status()).isEqualTo(200);
    }

    @Test
    void aCampaignWithItsTriggerAndTokenUnitIsSavedInOneCallOrNotAtAll() {
        TenantFixture tenant = newTenant();
        UUID points = tenant.createToken("ONE");
        long triggersBefore = count(tenant.admin(), "/v2/campaign-triggers");
        long campaignsBefore = count(tenant.admin(), "/v2/campaigns");

        // Each part refused as its own endpoint refuses it; the problem names the member, and
        // nothing is made: no trigger, no campaign.
        Api.Response badTrigger = tenant.admin()
                .post(
                        "/v2/campaigns",
                        Map.of(
                                "name", "Atomic",
                                "trigger", Map.of("triggerType", "CLAIM_BY_SYSTEM", "maxMultiplier", 5000),
                                "tokenUnits", List.of(unit(points, "2", null))));
        refused(badTrigger, 400, "VALIDATION_FAILED");
        assertThat(badTrigger.json().path("field").asString()).isEqualTo("trigger.maxMultiplier");
        assertThat(badTrigger.json().path("errors").get(0).path("field").asString())
                .isEqualTo("trigger.maxMultiplier");
        Api.Response badUnit = tenant.admin()
                .post(
                        "/v2/campaigns",
                        Map.of(
                                "name", "Atomic",
                                "trigger", Map.of("triggerType", "CLAIM_BY_SYSTEM", "maxMultiplier", 10),
                                "tokenUnits", List.of(unit(points, "0", null))));
        refused(badUnit, 400, "INVALID_AMOUNT");
        Api.Response badExpression = tenant.admin()
                .post(
                        "/v2/campaigns",
                        Map.of(
                                "name", "Atomic",
                                "trigger", Map.of("triggerType", "CLAIM_BY_USER", "conditions", List.of("1 +")),
                                "tokenUnits", List.of(unit(points, "2", null))));
        refused(badExpression, 400, "INVALID_EXPRESSION");
        Api.Response untyped =
                tenant.admin().post("/v2/campaigns", Map.of("name", "Atomic", "trigger", Map.of("maxPerUser", 2)));
        refused(untyped, 400, "VALIDATION_FAILED");
        assertThat(untyped.json().path("field").asString()).isEqualTo("trigger.triggerType");
        assertThat(count(tenant.admin(), "/v2/campaign-triggers")).isEqualTo(triggersBefore);
        assertThat(count(tenant.admin(), "/v2/campaigns")).isEqualTo(campaignsBefore);

        Api.Response made = tenant.admin()
                .post(
                        "/v2/campaigns",
                        Map.of(
                                "name", "Atomic",
                                "trigger", Map.of("triggerType", "CLAIM_BY_SYSTEM", "maxMultiplier", 10),
                                "tokenUnits", List.of(unit(points, "2", "100"))));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        String id = made.text("id");
        JsonNode trigger = tenant.admin()
                .get("/v2/campaign-triggers/" + made.text("triggerId"))
                .json();
        assertThat(trigger.path("name").asString())
                .as("named after the campaign")
                .isEqualTo("Atomic");
        assertThat(trigger.path("maxMultiplier").asInt()).isEqualTo(10);
        assertThat(made.json().path("tokenUnits").get(0).path("maxAmount").asString())
                .isEqualTo("100");

        // An edit that fails in its last part changes none of the others.
        UUID stars = tenant.createToken("TWO");
        Api.Response failing = tenant.admin()
                .patch(
                        "/v2/campaigns/" + id,
                        Map.of(
                                "name", "Renamed",
                                "trigger", Map.of("maxPerUser", 3),
                                "tokenUnits", List.of(unit(stars, "1", null), unit(points, "1", null))));
        refused(failing, 409, "ALREADY_EXISTS");
        JsonNode unchanged = tenant.admin().get("/v2/campaigns/" + id).json();
        assertThat(unchanged.path("name").asString()).isEqualTo("Atomic");
        assertThat(unchanged.path("tokenUnits")).hasSize(1);
        assertThat(tenant.admin()
                        .get("/v2/campaign-triggers/" + made.text("triggerId"))
                        .json()
                        .path("maxPerUser")
                        .isNull())
                .isTrue();

        Api.Response edited = tenant.admin()
                .patch(
                        "/v2/campaigns/" + id,
                        Map.of(
                                "name", "Renamed",
                                "trigger", Map.of("maxPerUser", 3),
                                "tokenUnits", List.of(unit(stars, "1", null))));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.text("triggerId")).as("the same trigger, changed").isEqualTo(made.text("triggerId"));
        assertThat(edited.json().path("tokenUnits")).hasSize(2);
        assertThat(tenant.admin()
                        .get("/v2/campaign-triggers/" + made.text("triggerId"))
                        .json()
                        .path("maxPerUser")
                        .asInt())
                .isEqualTo(3);
        refused(
                tenant.admin()
                        .patch(
                                "/v2/campaigns/" + id,
                                Map.of("triggerId", made.text("triggerId"), "trigger", Map.of("maxPerUser", 1))),
                400,
                "VALIDATION_FAILED");
    }

    @Test
    void tokenUnitsSayWhatAClaimMintsAndTheBudgetLeft() {
        TenantFixture tenant = newTenant();
        String id = campaign(tenant, Map.of("name", "Minting"));
        UUID points = tenant.createToken("PTS");
        UUID stars = tenant.createToken("STAR");
        String units = "/v2/campaigns/" + id + "/token-units";

        Api.Response added = tenant.admin().post(units, unit(points, "100", "1000"));

        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        assertThat(added.text("tokenId")).isEqualTo(points.toString());
        assertThat(added.json().path("amount").isString())
                .as("amounts are strings")
                .isTrue();
        assertThat(added.text("amount")).isEqualTo("100");
        assertThat(added.text("maxAmount")).isEqualTo("1000");
        assertThat(added.text("usedAmount")).isEqualTo("0");
        assertThat(added.text("remaining")).isEqualTo("1000");
        String max = UINT256_MAX.toString();
        Api.Response unlimited = tenant.admin().post(units, Map.of("tokenId", stars.toString(), "amount", max));
        assertThat(unlimited.status()).as(unlimited.toString()).isEqualTo(201);
        assertThat(unlimited.text("amount")).isEqualTo(max);
        assertThat(unlimited.json().path("remaining").isNull()).isTrue();
        JsonNode campaign = tenant.admin().get("/v2/campaigns/" + id).json();
        assertThat(campaign.path("tokenUnits").size()).isEqualTo(2);

        refused(tenant.admin().post(units, unit(points, "5", null)), 409, "ALREADY_EXISTS");
        UUID other = tenant.createToken("OTH");
        refused(tenant.admin().post(units, unit(other, "0", null)), 400, "INVALID_AMOUNT");
        refused(tenant.admin().post(units, unit(other, "-3", null)), 400, "INVALID_AMOUNT");
        refused(
                tenant.admin()
                        .post(units, unit(other, UINT256_MAX.add(BigInteger.ONE).toString(), null)),
                400,
                "INVALID_AMOUNT");
        refused(tenant.admin().post(units, unit(other, "10", "0")), 400, "INVALID_AMOUNT");
        refused(tenant.admin().post(units, unit(other, "ten", null)), 400, "VALIDATION_FAILED");
        refused(tenant.admin().post(units, unit(UUID.randomUUID(), "10", null)), 404, "NOT_FOUND");
        refused(
                tenant.admin().post("/v2/campaigns/" + UUID.randomUUID() + "/token-units", unit(other, "10", null)),
                404,
                "NOT_FOUND");
        assertThat(tenant.admin().get("/v2/campaigns/" + id).json().path("tokenUnits"))
                .isEqualTo(campaign.path("tokenUnits"));

        String unitId = added.text("id");
        assertThat(tenant.admin().delete(units + "/" + unitId).status()).isEqualTo(204);
        refused(tenant.admin().delete(units + "/" + unitId), 404, "NOT_FOUND");
        JsonNode left = tenant.admin().get("/v2/campaigns/" + id).json().path("tokenUnits");
        assertThat(left.size()).isEqualTo(1);
        assertThat(left.get(0).path("tokenId").asString()).isEqualTo(stars.toString());
    }

    @Test
    void triggersAreValidatedWhenSavedAndAssignedToCampaigns() {
        TenantFixture tenant = newTenant();
        Map<String, Object> body = new HashMap<>();
        body.put("name", "At the till");
        body.put("triggerType", "CLAIM_BY_BUSINESS");
        body.put("maxPerUser", 5);
        body.put("maxPerDay", 1);
        body.put("minCooldownSeconds", 3600);
        body.put("maxGeoDistanceInMeters", 200);
        body.put("location", Map.of("latitude", 38.7223, "longitude", -9.1393));
        body.put("requiredUserInfo", List.of("email", "firstName"));
        body.put("conditions", List.of("data.orderTotal >= 10", "user.email.endsWith('@pers.test')"));

        Api.Response created = tenant.admin().post("/v2/campaign-triggers", body);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode trigger = created.json();
        assertThat(trigger.path("triggerType").asString()).isEqualTo("CLAIM_BY_BUSINESS");
        assertThat(trigger.path("maxMultiplier").asInt()).as("default").isEqualTo(1);
        assertThat(trigger.path("location").path("latitude").asDouble()).isEqualTo(38.7223);
        assertThat(trigger.path("maxGeoDistanceInMeters").asInt()).isEqualTo(200);
        assertThat(strings(trigger.path("requiredUserInfo"))).containsExactly("email", "firstName");
        assertThat(trigger.path("conditions").size()).isEqualTo(2);
        String id = trigger.path("id").asString();
        assertThat(tenant.admin().get("/v2/campaign-triggers/" + id).json()).isEqualTo(trigger);

        Api.Response updated = tenant.admin()
                .patch("/v2/campaign-triggers/" + id, Map.of("maxMultiplier", 3, "maxGeoDistanceInMeters", 50));
        assertThat(updated.status())
                .as("the stored location still holds: " + updated)
                .isEqualTo(200);
        assertThat(updated.json().path("maxMultiplier").asInt()).isEqualTo(3);
        assertThat(updated.json().path("maxGeoDistanceInMeters").asInt()).isEqualTo(50);
        assertThat(updated.json().path("conditions")).isEqualTo(trigger.path("conditions"));

        Api.Response incomplete = tenant.admin()
                .post(
                        "/v2/campaign-triggers",
                        Map.of("name", "Bad", "triggerType", "CLAIM_BY_USER", "conditions", List.of("user.email ==")));
        refused(incomplete, 400, "INVALID_EXPRESSION");
        assertThat(incomplete.text("detail")).contains("conditions[0]").contains("line 1, column");
        Api.Response notBoolean = tenant.admin()
                .post(
                        "/v2/campaign-triggers",
                        Map.of("name", "Bad", "triggerType", "CLAIM_BY_USER", "conditions", List.of("true", "1 + 1")));
        refused(notBoolean, 400, "INVALID_EXPRESSION");
        assertThat(notBoolean.text("detail")).contains("conditions[1]").contains("line 1, column");
        refused(
                tenant.admin().patch("/v2/campaign-triggers/" + id, Map.of("conditions", List.of("user.email =="))),
                400,
                "INVALID_EXPRESSION");
        refused(
                tenant.admin()
                        .post(
                                "/v2/campaign-triggers",
                                Map.of("name", "Far", "triggerType", "CLAIM_BY_USER", "maxGeoDistanceInMeters", 100)),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin()
                        .post(
                                "/v2/campaign-triggers",
                                Map.of(
                                        "name",
                                        "Where",
                                        "triggerType",
                                        "CLAIM_BY_USER",
                                        "maxGeoDistanceInMeters",
                                        100,
                                        "location",
                                        Map.of("latitude", 91, "longitude", 0))),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin()
                        .post(
                                "/v2/campaign-triggers",
                                Map.of(
                                        "name",
                                        "Phone",
                                        "triggerType",
                                        "CLAIM_BY_USER",
                                        "requiredUserInfo",
                                        List.of("phone"))),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin()
                        .post(
                                "/v2/campaign-triggers",
                                Map.of("name", "Zero", "triggerType", "CLAIM_BY_USER", "maxMultiplier", 0)),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin().post("/v2/campaign-triggers", Map.of("name", "Who", "triggerType", "CLAIM_BY_ANYONE")),
                400,
                "VALIDATION_FAILED");
        refused(tenant.admin().post("/v2/campaign-triggers", Map.of("name", "No type")), 400, "VALIDATION_FAILED");
        assertThat(tenant.admin()
                        .get("/v2/campaign-triggers")
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(1);
        assertThat(tenant.admin().get("/v2/campaign-triggers/" + id).json()).isEqualTo(updated.json());

        String byPatch = campaign(tenant, Map.of("name", "By patch"));
        Api.Response patched = tenant.admin().patch("/v2/campaigns/" + byPatch, Map.of("triggerId", id));
        assertThat(patched.text("triggerId")).isEqualTo(id);
        String byPost = campaign(tenant, Map.of("name", "By post"));
        Api.Response assigned = tenant.admin().post("/v2/campaign-triggers/" + id + "/campaigns/" + byPost, Map.of());
        assertThat(assigned.status()).as(assigned.toString()).isEqualTo(200);
        assertThat(assigned.text("triggerId")).isEqualTo(id);
        refused(
                tenant.admin().post("/v2/campaign-triggers/" + UUID.randomUUID() + "/campaigns/" + byPost, Map.of()),
                404,
                "NOT_FOUND");
        refused(
                tenant.admin().post("/v2/campaign-triggers/" + id + "/campaigns/" + UUID.randomUUID(), Map.of()),
                404,
                "NOT_FOUND");

        Api system = tenant.anonymous().with("x-api-key", tenant.createApiKey("trigger-reader"));
        assertThat(system.get("/v2/campaign-triggers/" + id).status()).isEqualTo(200);
        assertThat(system.get("/v2/campaign-triggers").json().path("total").asLong())
                .isEqualTo(1);
        refused(system.post("/v2/campaign-triggers", body), 403, "FORBIDDEN");
        refused(tenant.anonymous().get("/v2/campaign-triggers"), 401, "AUTHENTICATION_REQUIRED");
    }

    @Test
    void triggerSourcesAreManagedAndCountTheirClaims() {
        TenantFixture tenant = newTenant();
        String campaign = campaign(tenant, Map.of("name", "Scanned"));
        UUID till = business(tenant, "Till");
        UUID bar = business(tenant, "Bar");
        Map<String, Object> body = new HashMap<>();
        body.put("type", "QR_CODE");
        body.put("name", "Counter QR");
        body.put("businessId", till.toString());
        body.put("campaignId", campaign);
        body.put("metadata", Map.of("placement", "counter", "size", 3));

        Api.Response created = tenant.admin().post("/v2/trigger-sources", body);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode source = created.json();
        assertThat(source.path("type").asString()).isEqualTo("QR_CODE");
        assertThat(source.path("active").asBoolean()).isTrue();
        assertThat(source.path("metadata").path("placement").asString()).isEqualTo("counter");
        assertThat(source.path("analytics").path("totalEngagements").asLong()).isZero();
        assertThat(source.path("analytics").path("uniqueUsers").asLong()).isZero();
        assertThat(source.path("analytics").path("lastEngagedAt").isNull()).isTrue();
        String id = source.path("id").asString();
        String other = tenant.admin()
                .post("/v2/trigger-sources", Map.of("type", "NFC", "businessId", bar.toString()))
                .text("id");

        Api.Response updated =
                tenant.admin().patch("/v2/trigger-sources/" + id, Map.of("name", "Door QR", "active", false));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.text("name")).isEqualTo("Door QR");
        assertThat(updated.json().path("active").asBoolean()).isFalse();
        assertThat(updated.json().path("metadata")).isEqualTo(source.path("metadata"));
        assertThat(tenant.admin().get("/v2/trigger-sources/" + id).json()).isEqualTo(updated.json());
        assertThat(ids(tenant.admin()
                        .get("/v2/trigger-sources?sort=createdAt,asc")
                        .json()))
                .containsExactly(id, other);
        assertThat(ids(tenant.admin()
                        .get("/v2/trigger-sources?businessId=" + bar)
                        .json()))
                .containsExactly(other);
        assertThat(ids(tenant.admin()
                        .get("/v2/trigger-sources?campaignId=" + campaign)
                        .json()))
                .containsExactly(id);

        Map<String, Object> tooMuch = new HashMap<>();
        IntStream.range(0, 51).forEach(i -> tooMuch.put("k" + i, i));
        refused(
                tenant.admin().post("/v2/trigger-sources", Map.of("type", "NFC", "metadata", tooMuch)),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin().post("/v2/trigger-sources", Map.of("type", "NFC", "metadata", List.of(1))),
                400,
                "VALIDATION_FAILED");
        refused(tenant.admin().post("/v2/trigger-sources", Map.of("type", "BARCODE")), 400, "VALIDATION_FAILED");
        refused(tenant.admin().post("/v2/trigger-sources", Map.of("name", "typeless")), 400, "VALIDATION_FAILED");
        refused(
                tenant.admin()
                        .post(
                                "/v2/trigger-sources",
                                Map.of(
                                        "type",
                                        "NFC",
                                        "businessId",
                                        UUID.randomUUID().toString())),
                404,
                "NOT_FOUND");
        refused(
                tenant.admin()
                        .post(
                                "/v2/trigger-sources",
                                Map.of(
                                        "type",
                                        "NFC",
                                        "campaignId",
                                        UUID.randomUUID().toString())),
                404,
                "NOT_FOUND");
        refused(
                tenant.admin().patch("/v2/trigger-sources/" + id, Map.of("metadata", tooMuch)),
                400,
                "VALIDATION_FAILED");
        assertThat(tenant.admin()
                        .get("/v2/trigger-sources")
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(2);
        assertThat(tenant.admin().get("/v2/trigger-sources/" + id).json()).isEqualTo(updated.json());

        Api atTheTill = signInAsBusiness(tenant, till, "till-staff");
        assertThat(atTheTill.get("/v2/trigger-sources/" + id).status()).isEqualTo(200);
        refused(atTheTill.get("/v2/trigger-sources/" + other), 404, "NOT_FOUND");
        assertThat(ids(atTheTill.get("/v2/trigger-sources?businessId=" + bar).json()))
                .containsExactly(id);
        refused(atTheTill.patch("/v2/trigger-sources/" + id, Map.of("active", true)), 403, "FORBIDDEN");
        refused(tenant.anonymous().get("/v2/trigger-sources/" + id), 401, "AUTHENTICATION_REQUIRED");
    }

    @Test
    void sourceAnalyticsCountTheClaimsThatMinted() {
        TenantFixture tenant = newTenant();
        String campaign = campaign(tenant, Map.of("name", "Counted", "isActive", true));
        String source = tenant.admin()
                .post("/v2/trigger-sources", Map.of("type", "QR_CODE", "campaignId", campaign))
                .text("id");
        UUID alice = tenant.createUser("alice@analytics.test");
        UUID bob = tenant.createUser("bob@analytics.test");
        Instant last = NOW.minus(1, ChronoUnit.HOURS);
        // Claims are the claim capability's to make; written here as rows so only the counting is under test.
        TenantContext.runAs(tenant.id(), () -> {
            claim(
                    UUID.fromString(campaign),
                    UUID.fromString(source),
                    alice,
                    "COMPLETED",
                    NOW.minus(3, ChronoUnit.HOURS));
            claim(UUID.fromString(campaign), UUID.fromString(source), alice, "SETTLED", NOW.minus(2, ChronoUnit.HOURS));
            claim(UUID.fromString(campaign), UUID.fromString(source), bob, "PENDING_SETTLEMENT", last);
            claim(UUID.fromString(campaign), UUID.fromString(source), bob, "REJECTED", NOW);
            claim(UUID.fromString(campaign), null, bob, "COMPLETED", NOW);
        });

        JsonNode analytics =
                tenant.admin().get("/v2/trigger-sources/" + source).json().path("analytics");

        assertThat(analytics.path("totalEngagements").asLong()).isEqualTo(3);
        assertThat(analytics.path("uniqueUsers").asLong()).isEqualTo(2);
        assertThat(instant(analytics.path("lastEngagedAt"))).isEqualTo(last);
        assertThat(tenant.admin()
                        .get("/v2/trigger-sources")
                        .json()
                        .path("items")
                        .get(0)
                        .path("analytics"))
                .isEqualTo(analytics);
    }

    @Test
    void engagementsAreUpsertedPerBusiness() {
        TenantFixture tenant = newTenant();
        String id = campaign(tenant, Map.of("name", "Partners", "isActive", true));
        UUID cafe = business(tenant, "Cafe");
        UUID bakery = business(tenant, "Bakery");
        String engagements = "/v2/campaigns/" + id + "/engagements";

        Api.Response engaged = tenant.admin()
                .post(
                        engagements,
                        Map.of(
                                "businessIds",
                                List.of(cafe.toString(), bakery.toString(), cafe.toString()),
                                "shortDescription",
                                "Stamp at the counter",
                                "maxPerBusiness",
                                100,
                                "maxPerDay",
                                10,
                                "externalUrl",
                                "https://pers.test/partners"));

        assertThat(engaged.status()).as(engaged.toString()).isEqualTo(200);
        assertThat(engaged.json().size()).isEqualTo(2);
        Api.Response again =
                tenant.admin().post(engagements, Map.of("businessIds", List.of(cafe.toString()), "maxPerBusiness", 5));
        assertThat(again.json().size()).isEqualTo(2);
        JsonNode cafeTerms = engagement(tenant.admin().get(engagements).json(), cafe);
        assertThat(cafeTerms.path("maxPerBusiness").asInt()).isEqualTo(5);
        assertThat(cafeTerms.path("shortDescription").isNull())
                .as("an upsert replaces the terms")
                .isTrue();
        assertThat(engagement(tenant.admin().get(engagements).json(), bakery)
                        .path("maxPerDay")
                        .asInt())
                .isEqualTo(10);
        assertThat(tenant.admin()
                        .get("/v2/campaigns/" + id)
                        .json()
                        .path("engagements")
                        .size())
                .isEqualTo(2);
        assertThat(tenant.anonymous().get(engagements).json().size())
                .as("public, like the campaign")
                .isEqualTo(2);

        JsonNode before = tenant.admin().get(engagements).json();
        UUID newcomer = business(tenant, "Newcomer");
        refused(
                tenant.admin()
                        .post(
                                engagements,
                                Map.of(
                                        "businessIds",
                                        List.of(
                                                newcomer.toString(),
                                                UUID.randomUUID().toString()))),
                404,
                "NOT_FOUND");
        refused(tenant.admin().post(engagements, Map.of("businessIds", List.of())), 400, "VALIDATION_FAILED");
        refused(
                tenant.admin().post(engagements, Map.of("businessIds", List.of(cafe.toString()), "maxPerDay", 0)),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin()
                        .post(
                                engagements,
                                Map.of("businessIds", List.of(cafe.toString()), "externalUrl", "javascript:alert(1)")),
                400,
                "VALIDATION_FAILED");
        refused(
                tenant.admin()
                        .post(
                                "/v2/campaigns/" + UUID.randomUUID() + "/engagements",
                                Map.of("businessIds", List.of(cafe.toString()))),
                404,
                "NOT_FOUND");
        assertThat(tenant.admin().get(engagements).json()).isEqualTo(before);

        assertThat(tenant.admin().delete(engagements + "/" + bakery).status()).isEqualTo(204);
        refused(tenant.admin().delete(engagements + "/" + bakery), 404, "NOT_FOUND");
        assertThat(tenant.admin().get(engagements).json().size()).isEqualTo(1);
        assertThat(ids(tenant.admin(), "?businessId=" + bakery)).isEmpty();
        assertThat(ids(tenant.admin(), "?businessId=" + cafe)).containsExactly(id);
    }

    @Test
    void anotherTenantCannotSeeNorUseThisTenantsCampaigns() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        String trigger = a.admin()
                .post("/v2/campaign-triggers", Map.of("name", "A's", "triggerType", "CLAIM_BY_USER"))
                .text("id");
        String campaignA = campaign(a, Map.of("name", "A's campaign", "isActive", true, "triggerId", trigger));
        UUID businessA = business(a, "A's shop");
        UUID tokenA = a.createToken("APTS");
        String sourceA =
                a.admin().post("/v2/trigger-sources", Map.of("type", "NFC")).text("id");
        String campaignB = campaign(b, Map.of("name", "B's campaign"));

        refused(b.admin().get("/v2/campaigns/" + campaignA), 404, "NOT_FOUND");
        refused(b.anonymous().get("/v2/campaigns/" + campaignA), 404, "NOT_FOUND");
        refused(b.admin().patch("/v2/campaigns/" + campaignA, Map.of("name", "Taken")), 404, "NOT_FOUND");
        refused(b.admin().post("/v2/campaigns/" + campaignA + "/toggle-active", Map.of()), 404, "NOT_FOUND");
        refused(b.admin().get("/v2/campaign-triggers/" + trigger), 404, "NOT_FOUND");
        refused(b.admin().get("/v2/trigger-sources/" + sourceA), 404, "NOT_FOUND");
        assertThat(ids(b.admin(), "")).containsExactly(campaignB);
        assertThat(strings(b.admin().get("/v2/campaigns/tags").json())).isEmpty();

        // Foreign keys do not see row security: ids of another tenant must be refused before they are stored.
        refused(b.admin().patch("/v2/campaigns/" + campaignB, Map.of("triggerId", trigger)), 404, "NOT_FOUND");
        refused(
                b.admin()
                        .post(
                                "/v2/campaigns/" + campaignB + "/engagements",
                                Map.of("businessIds", List.of(businessA.toString()))),
                404,
                "NOT_FOUND");
        refused(
                b.admin().post("/v2/campaigns/" + campaignB + "/token-units", unit(tokenA, "1", null)),
                404,
                "NOT_FOUND");
        refused(
                b.admin().post("/v2/trigger-sources", Map.of("type", "NFC", "campaignId", campaignA)),
                404,
                "NOT_FOUND");
        JsonNode campaignBNow = b.admin().get("/v2/campaigns/" + campaignB).json();
        assertThat(campaignBNow.path("triggerId").isNull()).isTrue();
        assertThat(campaignBNow.path("engagements").isEmpty()).isTrue();
        assertThat(campaignBNow.path("tokenUnits").isEmpty()).isTrue();
        assertThat(a.admin().get("/v2/campaigns/" + campaignA).text("name")).isEqualTo("A's campaign");
    }

    @Test
    void onlyAdminsChangeCampaigns() {
        TenantFixture tenant = newTenant();
        Map<String, Object> body = Map.of("name", "Sneaky", "isActive", true);
        Api system = tenant.anonymous().with("x-api-key", tenant.createApiKey("writer"));
        Api user = signIn(tenant, "sub-writer", "writer@campaign.test");

        refused(tenant.anonymous().post("/v2/campaigns", body), 401, "AUTHENTICATION_REQUIRED");
        refused(user.post("/v2/campaigns", body), 403, "FORBIDDEN");
        refused(system.post("/v2/campaigns", body), 403, "FORBIDDEN");
        refused(
                tenant.anonymous().post("/v2/campaign-triggers", Map.of("name", "t", "triggerType", "CLAIM_BY_USER")),
                401,
                "AUTHENTICATION_REQUIRED");
        refused(tenant.anonymous().post("/v2/trigger-sources", Map.of("type", "NFC")), 401, "AUTHENTICATION_REQUIRED");

        assertThat(total(tenant.admin(), "")).isZero();
        assertThat(tenant.admin()
                        .get("/v2/campaign-triggers")
                        .json()
                        .path("total")
                        .asLong())
                .isZero();
        assertThat(tenant.admin()
                        .get("/v2/trigger-sources")
                        .json()
                        .path("total")
                        .asLong())
                .isZero();
    }

    // --- helpers

    private void claim(UUID campaign, UUID source, UUID user, String status, Instant decidedAt) {
        db.sql("""
                        insert into claims (id, tenant_id, workflow_id, campaign_id, trigger_source_id, user_id,
                                            caller_role, caller_id, request_hash, status, decided_at)
                        values (?, ?, ?, ?, ?, ?, 'USER', ?, '\\x00', ?, ?)""")
                .params(
                        UUID.randomUUID(),
                        TenantContext.requireTenantId(),
                        "claim-" + UUID.randomUUID(),
                        campaign,
                        source,
                        user,
                        user.toString(),
                        status,
                        OffsetDateTime.ofInstant(decidedAt, ZoneOffset.UTC))
                .update();
    }

    private static String campaign(TenantFixture tenant, Map<String, Object> body) {
        Api.Response created = tenant.admin().post("/v2/campaigns", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.text("id");
    }

    private static UUID business(TenantFixture tenant, String name) {
        Api.Response created = tenant.admin().post("/v2/businesses", Map.of("name", name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return UUID.fromString(created.text("id"));
    }

    private static void engage(TenantFixture tenant, String campaign, Map<String, Object> body) {
        Api.Response engaged = tenant.admin().post("/v2/campaigns/" + campaign + "/engagements", body);
        assertThat(engaged.status()).as(engaged.toString()).isEqualTo(200);
    }

    private static Map<String, Object> unit(UUID token, String amount, String maxAmount) {
        Map<String, Object> body = new HashMap<>(Map.of("tokenId", token.toString(), "amount", amount));
        if (maxAmount != null) {
            body.put("maxAmount", maxAmount);
        }
        return body;
    }

    /** A user signed in through the tenant's identity provider. */
    private static Api signIn(TenantFixture tenant, String subject, String email) {
        assertThat(tenant.admin()
                        .patch("/v2/tenants/me", IdentityProvider.tenantSettings())
                        .status())
                .isEqualTo(200);
        Api.Response token = tenant.anonymous()
                .post(
                        "/v2/auth/token",
                        Map.of("grantType", "EXTERNAL_JWT", "idToken", IdentityProvider.idToken(subject, email)));
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        return tenant.anonymous().bearer(token.text("accessToken"));
    }

    /** A member of a business, signed in as that business. */
    private static Api signInAsBusiness(TenantFixture tenant, UUID business, String subject) {
        String email = subject + "@staff.test";
        Api asUser = signIn(tenant, subject, email);
        String userId = asUser.get("/v2/users/me").text("id");
        assertThat(tenant.admin()
                        .post("/v2/businesses/" + business + "/members", Map.of("userId", userId))
                        .status())
                .isEqualTo(204);
        Api.Response token = tenant.anonymous()
                .post(
                        "/v2/auth/token",
                        Map.of(
                                "grantType",
                                "EXTERNAL_JWT",
                                "idToken",
                                IdentityProvider.idToken(subject, email),
                                "role",
                                "BUSINESS",
                                "businessId",
                                business.toString()));
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        return tenant.anonymous().bearer(token.text("accessToken"));
    }

    private static void refused(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.code()).as(response.toString()).isEqualTo(code);
    }

    private static String at(int daysFromNow) {
        return NOW.plus(daysFromNow, ChronoUnit.DAYS).toString();
    }

    private static Instant instant(JsonNode node) {
        return OffsetDateTime.parse(node.asString()).toInstant();
    }

    private static long count(Api caller, String path) {
        Api.Response page = caller.get(path);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        return page.json().path("total").asLong();
    }

    private static long total(Api caller, String query) {
        return caller.get("/v2/campaigns" + query).json().path("total").asLong();
    }

    private static List<String> ids(Api caller, String query) {
        Api.Response page = caller.get("/v2/campaigns" + query);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        return ids(page.json());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }

    private static JsonNode engagement(JsonNode engagements, UUID business) {
        for (JsonNode engagement : engagements) {
            if (engagement.path("businessId").asString().equals(business.toString())) {
                return engagement;
            }
        }
        throw new AssertionError("No engagement of " + business + " in " + engagements);
    }
}
