package io.pers.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SSRF guard on every URL a tenant sets, through the API. The shared test context opens
 * loopback and private targets (WireMock receivers), so these use the blocks refused always:
 * documentation, benchmarking, reserved, NAT64 and 6to4 (of metadata), IPv4-mapped metadata.
 */
class OutboundGuardIT extends ApiTest {

    static final List<String> REFUSED_HOSTS = List.of(
            "192.0.2.10",
            "198.51.100.7",
            "203.0.113.200",
            "198.18.0.1",
            "240.0.0.1",
            "[64:ff9b::a9fe:a9fe]",
            "[2002:a9fe:a9fe::1]",
            "[::ffff:169.254.169.254]",
            "[2001:db8::1]");

    @Test
    void aWebhookToAnySpecialPurposeAddressIsRefusedAndNothingIsStored() {
        TenantFixture tenant = newTenant();
        for (String host : REFUSED_HOSTS) {
            Api.Response refused = tenant.admin().post("/v2/webhooks", Map.of("url", "http://" + host + "/hook"));
            assertThat(refused.status()).as(host + ": " + refused).isEqualTo(400);
            assertThat(refused.code()).as(host).isEqualTo("WEBHOOK_TARGET_REFUSED");
        }
        assertThat(tenant.admin().get("/v2/webhooks").json().path("items")).isEmpty();
    }

    @Test
    void aPolledBookingSystemsBaseUrlGoesThroughTheGuard() {
        TenantFixture tenant = newTenant();
        for (String host : REFUSED_HOSTS) {
            Api.Response refused = tenant.admin()
                    .post(
                            "/v2/connectors",
                            Map.of(
                                    "connector", "cloudbeds",
                                    "baseUrl", "http://" + host + "/api/v1.2",
                                    "accountId", "1",
                                    "credential", "cbat_key"));
            assertThat(refused.status()).as(host + ": " + refused).isEqualTo(400);
            // IPv6 literals are not in the base URL's plain shape: refused by shape before the guard.
            assertThat(refused.code())
                    .as(host)
                    .isEqualTo(host.startsWith("[") ? "VALIDATION_FAILED" : "OUTBOUND_TARGET_REFUSED");
        }
        assertThat(tenant.admin().get("/v2/connectors").json()).isEmpty();
    }

    @Test
    void anIdentityProvidersJwksUrlGoesThroughTheGuard() {
        TenantFixture tenant = newTenant();
        for (String host : REFUSED_HOSTS) {
            Api.Response refused = tenant.admin()
                    .patch(
                            "/v2/tenants/me",
                            Map.of(
                                    "identityProvider",
                                    Map.of("jwksUrl", "https://" + host + "/jwks.json", "issuer", "https://idp")));
            assertThat(refused.status()).as(host + ": " + refused).isEqualTo(400);
            assertThat(refused.code()).as(host).isEqualTo("OUTBOUND_TARGET_REFUSED");
        }
        assertThat(tenant.admin()
                        .get("/v2/tenants/me")
                        .json()
                        .path("identityProvider")
                        .isNull())
                .isTrue();
    }

    @Test
    void localTargetsAreSwitchedOnOnlyWithTheTestProjectKey() {
        TenantFixture tenant = newTenant();
        String liveKey = tenant.admin().get("/v2/tenants/me").text("projectKeyLive");

        Api.Response live =
                tenant.admin().with("x-project-key", liveKey).patch("/v2/tenants/me", Map.of("localTargets", true));
        assertThat(live.status()).as(live.toString()).isEqualTo(403);
        assertThat(live.code()).isEqualTo("LOCAL_TARGETS_NOT_ALLOWED");
        assertThat(tenant.admin()
                        .get("/v2/tenants/me")
                        .json()
                        .path("localTargets")
                        .asBoolean())
                .isFalse();

        Api.Response test = tenant.admin().patch("/v2/tenants/me", Map.of("localTargets", true));
        assertThat(test.status()).as(test.toString()).isEqualTo(200);
        assertThat(test.json().path("localTargets").asBoolean()).isTrue();
        // Opening local targets never opens the blocks refused always.
        Api.Response refused = tenant.admin().post("/v2/webhooks", Map.of("url", "http://198.18.0.1/hook"));
        assertThat(refused.code()).isEqualTo("WEBHOOK_TARGET_REFUSED");

        Api.Response off =
                tenant.admin().with("x-project-key", liveKey).patch("/v2/tenants/me", Map.of("localTargets", false));
        assertThat(off.status()).as("switching it off needs no test key").isEqualTo(200);
        assertThat(off.json().path("localTargets").asBoolean()).isFalse();
    }
}
