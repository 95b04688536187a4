package io.pers.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class AuditIT extends ApiTest {

    private static final String SIGNING_SECRET = "shopify-client-secret-for-audit";

    @Autowired
    JdbcClient db;

    @Test
    void adminActionsAreRecordedWithWhoWhatWhenAndNoSecret() {
        TenantFixture tenant = newTenant();
        Api admin = tenant.admin();
        Api.Response key = admin.post("/v2/api-keys", Map.of("name", "partner"));
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        String keyId = key.json().path("apiKey").path("id").asString();
        Api.Response connection =
                admin.post("/v2/connectors", Map.of("connector", "shopify", "signingSecret", SIGNING_SECRET));
        assertThat(connection.status()).as(connection.toString()).isEqualTo(201);
        Api.Response webhook = admin.post("/v2/webhooks", Map.of("url", "http://127.0.0.1:9/hooks"));
        assertThat(webhook.status()).as(webhook.toString()).isEqualTo(201);
        assertThat(admin.delete("/v2/api-keys/" + keyId).status()).isLessThan(300);
        assertThat(admin.post("/v2/api-keys", Map.of("name", "")).status())
                .as("refused: changes nothing, so not recorded")
                .isEqualTo(400);
        admin.get("/v2/api-keys"); // reads are not recorded

        Api.Response log = admin.get("/v2/audit-log?size=50");
        assertThat(log.status()).as(log.toString()).isEqualTo(200);
        List<JsonNode> entries = items(log);
        assertThat(entries)
                .extracting(
                        e -> e.path("method").asString() + " " + e.path("path").asString())
                .containsExactly(
                        "DELETE /v2/api-keys/" + keyId,
                        "POST /v2/webhooks",
                        "POST /v2/connectors",
                        "POST /v2/api-keys");
        JsonNode created = entries.get(3);
        assertThat(created.path("actorRole").asString()).isEqualTo("ADMIN");
        assertThat(created.path("actorId").asString()).isNotEmpty();
        assertThat(created.path("tenantId").asString()).isEqualTo(tenant.id().toString());
        assertThat(created.path("status").asInt()).isEqualTo(201);
        assertThat(created.path("correlationId").asString()).isNotEmpty();
        assertThat(created.path("createdAt").asString()).isNotEmpty();
        assertThat(created.path("request").path("name").asString()).isEqualTo("partner");
        assertThat(created.path("response").path("apiKey").path("id").asString())
                .isEqualTo(keyId);
        assertThat(created.path("response").path("secret").asString()).isEqualTo(Redaction.REDACTED);
        JsonNode connector = entries.get(2);
        assertThat(connector.path("request").path("signingSecret").asString()).isEqualTo(Redaction.REDACTED);
        assertThat(connector.path("request").path("connector").asString()).isEqualTo("shopify");

        assertThat(log.raw().body())
                .doesNotContain(key.text("secret"))
                .doesNotContain(SIGNING_SECRET)
                .doesNotContain(webhook.text("secret"))
                .doesNotContain("whsec_");
        assertThat(storedText(tenant))
                .doesNotContain(key.text("secret"))
                .doesNotContain(SIGNING_SECRET)
                .doesNotContain(webhook.text("secret"));
    }

    @Test
    void filtersNarrowTheLogAndTenantsSeeOnlyTheirOwn() {
        TenantFixture tenant = newTenant();
        TenantFixture neighbour = newTenant();
        tenant.createApiKey("one");
        tenant.createApiKey("two");
        tenant.createUser("audited@guest.test");

        assertThat(total(tenant.admin().get("/v2/audit-log?path=/v2/api-keys"))).isEqualTo(2);
        assertThat(total(tenant.admin().get("/v2/audit-log?method=post&path=/v2/users")))
                .isEqualTo(1);
        assertThat(total(tenant.admin().get("/v2/audit-log?method=DELETE"))).isZero();
        assertThat(total(tenant.admin().get("/v2/audit-log?from=2100-01-01T00:00:00Z")))
                .isZero();
        assertThat(total(neighbour.admin().get("/v2/audit-log"))).isZero();
        assertThat(tenant.anonymous().get("/v2/audit-log").status()).isEqualTo(401);
        assertThat(tenant.admin().get("/v2/audit-log?sort=status,asc").code()).isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void platformActionsAreRecordedWithThePasswordRedacted() {
        newTenant(); // the platform admin creates it, with the tenant admin's password in the body
        Api.Response log = api().bearer(platformToken()).get("/v2/audit-log?path=/v2/tenants&size=200");
        assertThat(log.status()).as(log.toString()).isEqualTo(200);
        // The path filter is a prefix: tenants' own PATCH /v2/tenants/me match it too.
        List<JsonNode> entries = items(log).stream()
                .filter(e -> e.path("path").asString().equals("/v2/tenants"))
                .toList();
        assertThat(entries).isNotEmpty().allSatisfy(e -> {
            assertThat(e.path("actorRole").asString()).isEqualTo("PLATFORM");
            assertThat(e.path("request").path("adminPassword").asString()).isEqualTo(Redaction.REDACTED);
        });
        assertThat(log.raw().body()).doesNotContain("tenant-admin-password");
    }

    @Test
    void theLogIsAppendOnlyForTheApp() {
        TenantFixture tenant = newTenant();
        tenant.createApiKey("kept");
        TenantContext.runAs(tenant.id(), () -> {
            assertThatThrownBy(() -> db.sql("update audit_log set status = 0").update())
                    .hasStackTraceContaining("permission denied");
            assertThatThrownBy(() -> db.sql("delete from audit_log").update())
                    .hasStackTraceContaining("permission denied");
        });
        assertThat(total(tenant.admin().get("/v2/audit-log"))).isEqualTo(1);
    }

    /** Every stored column of the tenant's entries, as the database holds them. */
    private String storedText(TenantFixture tenant) {
        return TenantContext.callAs(
                tenant.id(),
                () -> String.join(
                        "\n",
                        db.sql("select audit_log::text from audit_log")
                                .query(String.class)
                                .list()));
    }

    private static List<JsonNode> items(Api.Response response) {
        return StreamSupport.stream(response.json().path("items").spliterator(), false)
                .toList();
    }

    private static long total(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().path("total").asLong();
    }
}
