package io.pers.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Low limits only for this test's own keys (overrides), so the other tests sharing the context never meet them. */
class RateLimitIT extends ApiTest {

    @Autowired
    RateLimitProperties limits;

    @Test
    void oneApiKeyPastItsBurstGets429WithRetryAfterWhileAnotherKeyIsUnaffected() {
        TenantFixture tenant = newTenant();
        Api.Response first = tenant.admin().post("/v2/api-keys", Map.of("name", "limited"));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        limits.getOverrides()
                .put(first.json().path("apiKey").path("id").asString(), new RateLimitProperties.Limit(3, 0.01));
        Api limited = api().with("x-api-key", first.text("secret"));
        Api other = api().with("x-api-key", tenant.createApiKey("unlimited"));

        for (int i = 0; i < 3; i++) {
            assertThat(limited.get("/v2/campaigns").status()).isEqualTo(200);
        }
        Api.Response refused = limited.get("/v2/campaigns");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.code()).isEqualTo("RATE_LIMITED");
        assertThat(refused.json().path("retryable").asBoolean()).isTrue();
        // One token per 100 s at 0.01/s: the wait is most of that.
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(60L, 100L);
        assertThat(limited.post("/v2/api-keys", Map.of("name", "x")).status())
                .as("the limit holds for every endpoint")
                .isEqualTo(429);

        for (int i = 0; i < 10; i++) {
            assertThat(other.get("/v2/campaigns").status()).isEqualTo(200);
        }
    }

    @Test
    void publicCallsArePerProjectKeyAndDoNotLockOutTheTenantsAdmins() {
        TenantFixture tenant = newTenant();
        TenantFixture neighbour = newTenant();
        limits.getOverrides().put(tenant.projectKey(), new RateLimitProperties.Limit(2, 0.01));

        assertThat(tenant.anonymous().get("/v2/campaigns").status()).isEqualTo(200);
        assertThat(tenant.anonymous().get("/v2/campaigns").status()).isEqualTo(200);
        Api.Response refused = tenant.anonymous().get("/v2/campaigns");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.code()).isEqualTo("RATE_LIMITED");
        assertThat(refused.header("Retry-After")).isNotNull();

        assertThat(tenant.admin().get("/v2/campaigns").status()).isEqualTo(200);
        assertThat(neighbour.anonymous().get("/v2/campaigns").status()).isEqualTo(200);
    }
}
