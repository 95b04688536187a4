package io.pers.claim;

import static io.pers.claim.CampaignSetup.claim;
import static io.pers.claim.CampaignSetup.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObservabilityIT extends ApiTest {

    private static final String[] MINT_STEP = {"workflow=\"ClaimWorkflow\"", "activity=\"Mint\"", "outcome=\"success\""
    };

    @Test
    void prometheusExposesClaimAndWebhookOutcomesAfterTraffic() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        // Nothing listens on port 9: the delivery's first attempt fails and is retried.
        Api.Response webhook = setup.tenant.admin().post("/v2/webhooks", Map.of("url", "http://127.0.0.1:9/hooks"));
        assertThat(webhook.status()).as(webhook.toString()).isEqualTo(201);
        UUID campaign = setup.campaign(Map.of());
        Api user = setup.signIn("metrics-guest", "metrics@claims.test");
        double completedBefore = metric("pers_claims_total", "outcome=\"COMPLETED\"");
        double mintsBefore = metric("pers_workflow_step_seconds_count", MINT_STEP);

        Api.Response claimed = claim(user, on(campaign));
        assertThat(claimed.status()).as(claimed.toString()).isEqualTo(201);

        assertThat(metric("pers_claims_total", "outcome=\"COMPLETED\"")).isGreaterThan(completedBefore);
        // Every step of the claim's workflow is timed, local activities (the mint) and regular ones.
        assertThat(metric("pers_workflow_step_seconds_count", MINT_STEP)).isGreaterThan(mintsBefore);
        assertThat(metric("pers_workflow_step_seconds_sum", MINT_STEP)).isPositive();
        assertThat(metric("pers_workflow_step_seconds_bucket", "activity=\"Mint\"", "le=\"0.25\""))
                .as("a histogram, for percentiles per step")
                .isPositive();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> metric(
                                "pers_workflow_step_seconds_count",
                                "workflow=\"ClaimWorkflow\"",
                                "activity=\"NotifyCompleted\"",
                                "outcome=\"success\"")
                        >= 1);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> metric("pers_webhook_attempts_total", "outcome=\"RETRY\"") >= 1);
        assertThat(prometheus()).contains("http_server_requests_seconds_count");
    }

    @Test
    void eachComponentHasItsOwnHealthGroup() {
        for (String group : new String[] {"postgresql", "workflows", "trigger-log", "settlement"}) {
            Api.Response health = api().get("/actuator/health/" + group);
            assertThat(health.status()).as(group + ": " + health).isIn(200, 503);
            assertThat(health.json().path("status").asString()).as(group).isNotEmpty();
        }
        assertThat(api().get("/actuator/health/postgresql")
                        .json()
                        .path("status")
                        .asString())
                .isEqualTo("UP");
    }

    /**
     * Load balancers get the status alone; the components (the RPC URL, Temporal's address, the
     * brokers), metrics and Prometheus only a platform admin.
     */
    @Test
    void onlyAPlatformAdminSeesMoreThanTheHealthStatus() {
        Api.Response publicHealth = api().get("/actuator/health");
        assertThat(publicHealth.status()).isEqualTo(200);
        // The status, and the names of the probe groups; no component, no detail.
        assertThat(publicHealth.json().propertyNames()).containsOnly("status", "groups");
        assertThat(publicHealth.raw().body()).doesNotContain("components", "details", "127.0.0.1", "localhost");
        Api.Response publicGroup = api().get("/actuator/health/settlement");
        assertThat(publicGroup.json().propertyNames())
                .as(publicGroup.toString())
                .containsExactly("status");

        Api tenantAdmin = newTenant().admin();
        for (String path : new String[] {"/actuator/prometheus", "/actuator/metrics", "/actuator/info"}) {
            Api.Response anonymous = api().get(path);
            assertThat(anonymous.status()).as(path + ": " + anonymous).isEqualTo(401);
            assertThat(anonymous.code()).isEqualTo("AUTHENTICATION_REQUIRED");
            Api.Response admin = tenantAdmin.get(path);
            assertThat(admin.status()).as(path + ": " + admin).isEqualTo(403);
            assertThat(operator().get(path).status()).as(path).isEqualTo(200);
        }
        assertThat(operator()
                        .get("/actuator/health")
                        .json()
                        .path("components")
                        .path("chain")
                        .isMissingNode())
                .isFalse();
    }

    private String prometheus() {
        Api.Response response = operator().get("/actuator/prometheus");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.raw().body();
    }
}
