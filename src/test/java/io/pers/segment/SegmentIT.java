package io.pers.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.claim.CampaignSetup;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Segments through the API: CEL over users, targeted campaigns, and segment sizes. */
class SegmentIT extends ApiTest {

    private static final String LISBON_GOLD = "user.customData.city == \"Lisbon\" && user.tier == \"GOLD\"";

    @Test
    void segmentsAreKeptAndABadExpressionIsRefusedWithItsPosition() {
        TenantFixture t = newTenant();
        Api admin = t.admin();

        Api.Response unparsable = admin.post("/v2/segments", Map.of("name", "broken", "expression", "user.tier == "));
        assertThat(unparsable.status()).isEqualTo(400);
        assertThat(unparsable.header("Content-Type")).startsWith("application/problem+json");
        assertThat(unparsable.code()).isEqualTo("INVALID_EXPRESSION");
        assertThat(unparsable.text("detail")).contains("expression: line 1, column");
        assertThat(admin.post("/v2/segments", Map.of("name", "not boolean", "expression", "\"GOLD\""))
                        .code())
                .isEqualTo("INVALID_EXPRESSION");
        assertThat(admin.post("/v2/segments", Map.of("name", "other variable", "expression", "claim.multiplier > 1"))
                        .code())
                .as("segments see the user alone")
                .isEqualTo("INVALID_EXPRESSION");
        assertThat(admin.get("/v2/segments").json().size())
                .as("bad input stores nothing")
                .isZero();

        UUID id = id(admin.post("/v2/segments", Map.of("name", "Lisbon gold", "expression", LISBON_GOLD)));
        assertThat(admin.post("/v2/segments", Map.of("name", "Lisbon gold", "expression", "true"))
                        .code())
                .isEqualTo("ALREADY_EXISTS");
        assertThat(admin.patch("/v2/segments/" + id, Map.of("expression", "user.tier =="))
                        .code())
                .isEqualTo("INVALID_EXPRESSION");
        Api.Response renamed = admin.patch("/v2/segments/" + id, Map.of("description", "our best in Lisbon"));
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.text("expression")).isEqualTo(LISBON_GOLD);
        assertThat(admin.get("/v2/segments/" + id).text("description")).isEqualTo("our best in Lisbon");
        assertThat(t.anonymous().get("/v2/segments").status()).isEqualTo(401);
        assertThat(admin.delete("/v2/segments/" + id).status()).isEqualTo(204);
        assertThat(admin.get("/v2/segments/" + id).code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aTargetedCampaignIsSeenAndClaimedOnlyBySegmentMembersAndSizesCount() {
        TenantFixture t = newTenant();
        CampaignSetup setup = new CampaignSetup(t);
        UUID status = t.createToken("STAY");
        id(t.admin()
                .post(
                        "/v2/status-tiers",
                        Map.of(
                                "name",
                                "GOLD",
                                "rank",
                                1,
                                "threshold",
                                "100",
                                "discountBps",
                                500,
                                "tokenIds",
                                List.of(status.toString()))));
        UUID segment = id(t.admin().post("/v2/segments", Map.of("name", "Lisbon gold", "expression", LISBON_GOLD)));
        Api member = t.signIn("seg-1", "seg-1@segment.test");
        Api.Response moved = member.patch("/v2/users/me", Map.of("customData", Map.of("city", "Lisbon")));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        UUID notGold = id(t.admin()
                .post("/v2/users", Map.of("email", "seg-2@segment.test", "customData", Map.of("city", "Lisbon"))));
        Api porto = t.signIn("seg-3", "seg-3@segment.test");
        t.mint(status, userId(member), 100);
        t.mint(status, userId(porto), 100);

        assertThat(t.admin()
                        .post(
                                "/v2/campaigns",
                                Map.of(
                                        "name",
                                        "x",
                                        "segmentIds",
                                        List.of(UUID.randomUUID().toString())))
                        .code())
                .isEqualTo("NOT_FOUND");
        UUID everyone = setup.campaign(10, null, Map.of(), Map.of());
        UUID targeted = setup.campaign(10, null, Map.of(), Map.of("segmentIds", List.of(segment.toString())));
        assertThat(t.admin()
                        .get("/v2/campaigns/" + targeted)
                        .json()
                        .path("segmentIds")
                        .get(0)
                        .asString())
                .isEqualTo(segment.toString());

        assertThat(listed(member)).containsExactlyInAnyOrder(everyone.toString(), targeted.toString());
        assertThat(listed(porto)).containsExactly(everyone.toString());
        assertThat(listed(t.anonymous())).containsExactly(everyone.toString());
        assertThat(listed(t.admin())).hasSize(2);
        assertThat(porto.get("/v2/campaigns/" + targeted).code()).isEqualTo("NOT_FOUND");
        assertThat(member.get("/v2/campaigns/" + targeted).status()).isEqualTo(200);

        Api.Response claimed = member.post("/v2/campaigns/claims", Map.of("campaignId", targeted.toString()));
        assertThat(claimed.status()).as(claimed.toString()).isEqualTo(201);
        Api.Response refused = porto.post("/v2/campaigns/claims", Map.of("campaignId", targeted.toString()));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.code()).isEqualTo("NOT_IN_SEGMENT");
        assertThat(t.admin()
                        .post(
                                "/v2/campaigns/claims",
                                Map.of("campaignId", targeted.toString(), "userIdentifier", notGold.toString()))
                        .code())
                .as("a staff claim for a user outside the segment is refused too")
                .isEqualTo("NOT_IN_SEGMENT");
        assertThat(porto.post("/v2/campaigns/claims", Map.of("campaignId", everyone.toString()))
                        .status())
                .isEqualTo(201);

        Api.Response size = t.admin().get("/v2/segments/" + segment + "/size");
        assertThat(size.json().path("size").asLong()).as(size.toString()).isEqualTo(1);
        assertThat(size.json().path("evaluatedUsers").asLong()).isEqualTo(3);
        t.mint(status, notGold, 150);
        assertThat(t.admin()
                        .get("/v2/segments/" + segment + "/size")
                        .json()
                        .path("size")
                        .asLong())
                .as("membership follows the tier")
                .isEqualTo(2);
        UUID active = id(
                t.admin().post("/v2/segments", Map.of("name", "claimers", "expression", "user.activity.claims >= 1")));
        assertThat(t.admin()
                        .get("/v2/segments/" + active + "/size")
                        .json()
                        .path("size")
                        .asLong())
                .isEqualTo(2);
        UUID nobody =
                id(t.admin().post("/v2/segments", Map.of("name", "nobody", "expression", "user.tier == \"PLATINUM\"")));

        Api.Response analytics = t.admin().get("/v2/analytics/segments");
        assertThat(analytics.status()).as(analytics.toString()).isEqualTo(200);
        assertThat(analytics.json().path("evaluatedUsers").asLong()).isEqualTo(3);
        assertThat(analytics
                        .json()
                        .path("segments")
                        .valueStream()
                        .map(s -> s.path("segmentId").asString() + ":"
                                + s.path("name").asString() + ":"
                                + s.path("size").asLong())
                        .toList())
                .as("every segment with the size its own endpoint reports, largest first")
                .containsExactly(segment + ":Lisbon gold:2", active + ":claimers:2", nobody + ":nobody:0");
        assertThat(t.signIn("seg-4", "seg-4@segment.test")
                        .get("/v2/analytics/segments")
                        .status())
                .isEqualTo(403);

        assertThat(t.admin().delete("/v2/segments/" + segment).code()).isEqualTo("CONFLICT_IN_USE");
        Api.Response untargeted = t.admin().patch("/v2/campaigns/" + targeted, Map.of("segmentIds", List.of()));
        assertThat(untargeted.status()).as(untargeted.toString()).isEqualTo(200);
        assertThat(listed(porto)).hasSize(2);
        assertThat(t.admin().delete("/v2/segments/" + segment).status()).isEqualTo(204);
    }

    private static UUID userId(Api user) {
        return UUID.fromString(user.get("/v2/users/me").text("id"));
    }

    private static List<String> listed(Api caller) {
        Api.Response page = caller.get("/v2/campaigns");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        return page.json()
                .path("items")
                .valueStream()
                .map(c -> c.path("id").asString())
                .toList();
    }

    private static UUID id(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return UUID.fromString(response.text("id"));
    }
}
