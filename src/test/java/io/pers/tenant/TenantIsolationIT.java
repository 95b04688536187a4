package io.pers.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Invariant 4: one tenant's credentials, and one tenant's SQL, never reach another's rows. */
class TenantIsolationIT extends ApiTest {

    private static final List<String> TENANT_TABLES = List.of(
            "api_keys",
            "users",
            "business_types",
            "businesses",
            "business_members",
            "tokens",
            "wallets",
            "balances",
            "journal_entries",
            "postings",
            "ledger_seals",
            "admins",
            "refresh_tokens",
            "idempotency_keys");

    @Autowired
    JdbcClient db;

    @Test
    void anotherTenantsRowsAreNotFoundThroughTheApi() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        UUID tokenB = b.createToken("BPTS");
        UUID userB = b.createUser("guest@b.test");
        UUID mintB = b.mint(tokenB, userB, 10);
        UUID businessB = UUID.fromString(
                b.admin().post("/v2/businesses", Map.of("name", "B's cafe")).text("id"));
        Api systemA = a.anonymous().with("x-api-key", a.createApiKey("a-system"));

        for (Api callerA : List.of(a.admin(), systemA)) {
            assertNotFound(callerA.get("/v2/users/" + userB));
            assertNotFound(callerA.get("/v2/balances/users/" + userB));
            assertNotFound(callerA.get("/v2/transactions/" + mintB));
            assertNotFound(callerA.get("/v2/tokens/" + tokenB));
            assertNotFound(callerA.get("/v2/businesses/" + businessB));
            assertThat(callerA.get("/v2/transactions?participantId=" + userB)
                            .json()
                            .path("total")
                            .asLong())
                    .isZero();
        }
        assertNotFound(a.admin().patch("/v2/users/" + userB, Map.of("firstName", "Mallory")));
        assertNotFound(a.admin()
                .post(
                        "/v2/transactions",
                        Map.of(
                                "type",
                                "MINT",
                                "tokenId",
                                tokenB.toString(),
                                "amount",
                                "5",
                                "recipient",
                                Map.of("type", "USER", "id", userB.toString()))));
        assertThat(b.balance(userB, tokenB)).isEqualTo(java.math.BigInteger.TEN);
        assertThat(b.admin().get("/v2/users/" + userB).json().path("firstName").isNull())
                .isTrue();
    }

    @Test
    void theAppDatabaseRoleSeesAndWritesOnlyTheContextsTenant() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        UUID tokenB = b.createToken("RLS");
        b.mint(tokenB, b.createUser("guest@rls.test"), 10);
        b.createApiKey("b-system");
        b.admin()
                .with("Idempotency-Key", "k-" + UUID.randomUUID())
                .post("/v2/users", Map.of("email", "other@rls.test"));

        TenantContext.runAs(a.id(), () -> {
            assertThat(db.sql("select current_user").query(String.class).single())
                    .isEqualTo("pers_app");
            for (String table : TENANT_TABLES) {
                assertThat(db.sql("select count(*) from " + table + " where tenant_id = ?")
                                .param(b.id())
                                .query(Long.class)
                                .single())
                        .as("rows of B visible in " + table + " under A's context")
                        .isZero();
            }
            assertThat(db.sql("select count(*) from tenants").query(Long.class).single())
                    .isEqualTo(1);
            assertThatThrownBy(() -> db.sql("insert into users (id, tenant_id, email) values (?, ?, 'x@y.test')")
                            .params(UUID.randomUUID(), b.id())
                            .update())
                    .as("writing a row for another tenant")
                    .isInstanceOf(DataAccessException.class);
        });
        TenantContext.runAs(b.id(), () -> assertThat(db.sql("select count(*) from journal_entries")
                        .query(Long.class)
                        .single())
                .as("B still sees its own rows")
                .isEqualTo(1));
        assertThat(db.sql("select count(*) from users").query(Long.class).single())
                .as("outside any tenant nothing is visible")
                .isZero();
    }

    private static void assertNotFound(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo("NOT_FOUND");
    }
}
