package io.pers.claim;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.IdentityProvider;
import io.pers.support.TenantFixture;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds campaigns through the API, as marketing ops would, for the claim tests. */
public final class CampaignSetup {

    public final TenantFixture tenant;
    public final UUID token;

    public CampaignSetup(TenantFixture tenant) {
        this(
                tenant,
                tenant.createToken("C"
                        + UUID.randomUUID()
                                .toString()
                                .substring(0, 8)
                                .toUpperCase()
                                .replace("-", "")));
    }

    /** Campaigns of a token the test made itself (e.g. a REWARD token). */
    public CampaignSetup(TenantFixture tenant, UUID token) {
        this.tenant = tenant;
        this.token = token;
        assertThat(tenant.admin()
                        .patch("/v2/tenants/me", IdentityProvider.tenantSettings())
                        .status())
                .isEqualTo(200);
    }

    /** An active campaign minting {@code amount} per claim, with a trigger of the given rules. */
    public UUID campaign(long amount, Long budget, Map<String, Object> trigger, Map<String, Object> campaignFields) {
        Map<String, Object> triggerBody = new HashMap<>(Map.of("name", "trigger", "triggerType", "CLAIM_BY_USER"));
        triggerBody.putAll(trigger);
        UUID triggerId = id(tenant.admin().post("/v2/campaign-triggers", triggerBody));
        Map<String, Object> campaignBody =
                new HashMap<>(Map.of("name", "campaign", "isActive", true, "triggerId", triggerId.toString()));
        campaignBody.putAll(campaignFields);
        UUID campaign = id(tenant.admin().post("/v2/campaigns", campaignBody));
        Map<String, Object> unit = new HashMap<>(Map.of("tokenId", token.toString(), "amount", String.valueOf(amount)));
        if (budget != null) {
            unit.put("maxAmount", String.valueOf(budget));
        }
        Api.Response added = tenant.admin().post("/v2/campaigns/" + campaign + "/token-units", unit);
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        return campaign;
    }

    UUID campaign(Map<String, Object> trigger) {
        return campaign(10, null, trigger, Map.of());
    }

    void engage(UUID campaign, UUID business, Integer maxPerBusiness) {
        Map<String, Object> body =
                new HashMap<>(Map.of("businessIds", List.of(business.toString()), "shortDescription", "partner"));
        if (maxPerBusiness != null) {
            body.put("maxPerBusiness", maxPerBusiness);
        }
        Api.Response engaged = tenant.admin().post("/v2/campaigns/" + campaign + "/engagements", body);
        assertThat(engaged.status()).as(engaged.toString()).isBetween(200, 201);
    }

    UUID business(String name) {
        return id(tenant.admin().post("/v2/businesses", Map.of("name", name)));
    }

    /** A user signed in through the tenant's identity provider. */
    Api signIn(String subject, String email) {
        Api.Response token = tenant.anonymous()
                .post(
                        "/v2/auth/token",
                        Map.of("grantType", "EXTERNAL_JWT", "idToken", IdentityProvider.idToken(subject, email)));
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        return tenant.anonymous().bearer(token.text("accessToken"));
    }

    UUID userId(Api user) {
        return UUID.fromString(user.get("/v2/users/me").text("id"));
    }

    /** A member of a business, signed in as that business. */
    Api signInAsBusiness(UUID business, String subject) {
        Api asUser = signIn(subject, subject + "@staff.test");
        tenant.admin()
                .post(
                        "/v2/businesses/" + business + "/members",
                        Map.of("userId", userId(asUser).toString()));
        Api.Response token = tenant.anonymous()
                .post(
                        "/v2/auth/token",
                        Map.of(
                                "grantType",
                                "EXTERNAL_JWT",
                                "idToken",
                                IdentityProvider.idToken(subject, subject + "@staff.test"),
                                "role",
                                "BUSINESS",
                                "businessId",
                                business.toString()));
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        return tenant.anonymous().bearer(token.text("accessToken"));
    }

    static Api.Response claim(Api caller, Map<String, Object> body) {
        return caller.post("/v2/campaigns/claims", body);
    }

    static Map<String, Object> on(UUID campaign, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("campaignId", campaign.toString()));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    public static UUID id(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return UUID.fromString(response.text("id"));
    }
}
