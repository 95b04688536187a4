package io.pers.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

class SecurityHeadersIT extends ApiTest {

    @Test
    void everyResponseCarriesTheSecurityHeadersRefusalsToo() {
        TenantFixture tenant = newTenant();
        assertSecurityHeaders(tenant.anonymous().get("/v2/campaigns"), 200);
        assertSecurityHeaders(api().get("/v2/campaigns"), 401);
        assertSecurityHeaders(api().get("/swagger-ui/index.html"), 200);
    }

    @Test
    void aPreflightFromTheConfiguredOriginIsAllowedAndFromAnotherRefused() {
        Api.Response allowed = preflight(ALLOWED_ORIGIN);
        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        assertThat(allowed.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(allowed.header("Access-Control-Allow-Headers")).containsIgnoringCase("x-project-key");

        Api.Response refused = preflight("https://evil.example");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.code()).isEqualTo("ORIGIN_NOT_ALLOWED");
    }

    @Test
    void aCrossOriginCallFromTheConfiguredOriginCanReadTheCorrelationId() {
        TenantFixture tenant = newTenant();
        Api.Response response =
                tenant.anonymous().with("Origin", ALLOWED_ORIGIN).get("/v2/campaigns");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        assertThat(response.header("Access-Control-Expose-Headers")).contains("X-Correlation-Id");

        Api.Response other =
                tenant.anonymous().with("Origin", "https://evil.example").get("/v2/campaigns");
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.code()).isEqualTo("ORIGIN_NOT_ALLOWED");
    }

    private Api.Response preflight(String origin) {
        return api().send(api().builder("/v2/campaigns")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-project-key"));
    }

    private static void assertSecurityHeaders(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(response.header("Content-Security-Policy"))
                .contains("default-src 'self'")
                .contains("frame-ancestors 'none'");
        assertThat(response.header("Strict-Transport-Security"))
                .as("HSTS only over https")
                .isNull();
    }
}
