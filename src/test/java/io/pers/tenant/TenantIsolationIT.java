package io.pers.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** Invariant 4: one tenant's credentials, and one tenant's SQL, never reach another's rows. */
class TenantIsolationIT extends ApiTest {

    /** Tables B must have rows in after the setup below, so "A sees none of them" is not vacuous. */
    private static final List<String> POPULATED_BY_B = List.of(
            "admins",
            "api_keys",
            "refresh_tokens",
            "idempotency_keys",
            "users",
            "business_types",
            "businesses",
            "business_members",
            "tokens",
            "wallets",
            "balances",
            "journal_entries",
            "postings");

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
    void everyTableWithTenantRowsHasRowLevelSecurityEnabledAndForced() {
        List<String> tables = tenantTables();
        assertThat(tables)
                .as("read from the catalog")
                .containsAll(POPULATED_BY_B)
                .contains("claims", "campaigns");
        for (String table : tables) {
            Map<String, Object> flags = db.sql("""
                            select c.relrowsecurity, c.relforcerowsecurity from pg_class c
                             where c.oid = ('public.' || quote_ident(?))::regclass""").param(table).query().singleRow();
            assertThat(flags.get("relrowsecurity"))
                    .as(table + " has row-level security")
                    .isEqualTo(true);
            assertThat(flags.get("relforcerowsecurity"))
                    .as(table + " forces row-level security on its owner too")
                    .isEqualTo(true);
        }
    }

    @Test
    void theAppDatabaseRoleSeesAndWritesOnlyTheContextsTenant() {
        TenantFixture a = newTenant();
        TenantFixture b = populated(newTenant());
        List<String> tables = tenantTables();

        TenantContext.runAs(a.id(), () -> {
            assertThat(db.sql("select current_user").query(String.class).single())
                    .isEqualTo("pers_app");
            for (String table : tables) {
                assertThat(rowsOf(db, table, b.id()))
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
        TenantContext.runAs(b.id(), () -> {
            for (String table : POPULATED_BY_B) {
                assertThat(rowsOf(db, table, b.id()))
                        .as("B still sees its own rows in " + table)
                        .isPositive();
            }
        });
        assertThat(db.sql("select count(*) from users").query(Long.class).single())
                .as("outside any tenant nothing is visible")
                .isZero();
    }

    @Test
    void theOwnerRoleIsBoundByTheTenantPoliciesToo() throws SQLException {
        TenantFixture a = newTenant();
        TenantFixture b = populated(newTenant());
        List<String> tables = tenantTables();
        String url = db.sql("select 'jdbc:postgresql://127.0.0.1:' || inet_server_port() || '/' || current_database()")
                .query(String.class)
                .single();
        try (Connection owner = DriverManager.getConnection(url, "pers_owner", "")) {
            JdbcClient asOwner = JdbcClient.create(new SingleConnectionDataSource(owner, true));
            for (String table : tables) {
                assertThat(rowsOf(asOwner, table, b.id()))
                        .as("the owner without a tenant context sees no rows of " + table)
                        .isZero();
            }
            asOwner.sql("select set_config('pers.tenant_id', ?, false)")
                    .param(a.id().toString())
                    .query()
                    .singleRow();
            for (String table : tables) {
                assertThat(rowsOf(asOwner, table, b.id()))
                        .as("rows of B visible to the owner in " + table + " under A's context")
                        .isZero();
            }
            assertThat(asOwner.sql("select count(*) from users")
                            .query(Long.class)
                            .single())
                    .as("the owner sees A's rows only")
                    .isZero();
        }
        // The cross-tenant look-ups by secret still work, as they run inside SECURITY DEFINER functions.
        assertThat(b.anonymous()
                        .with("x-api-key", b.createApiKey("still-works"))
                        .get("/v2/users")
                        .status())
                .isEqualTo(200);
    }

    /** Every table in schema public with a tenant_id column, as the catalog says now. */
    private List<String> tenantTables() {
        return db.sql("""
                        select c.relname from pg_class c
                          join pg_namespace n on n.oid = c.relnamespace
                          join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
                         where n.nspname = 'public' and c.relkind in ('r', 'p')
                         order by c.relname""").query(String.class).list();
    }

    private static long rowsOf(JdbcClient client, String table, UUID tenant) {
        return client.sql("select count(*) from " + table + " where tenant_id = ?")
                .param(tenant)
                .query(Long.class)
                .single();
    }

    /** A tenant with a row in each table of {@link #POPULATED_BY_B}. */
    private static TenantFixture populated(TenantFixture tenant) {
        UUID token = tenant.createToken("RLS");
        UUID user = tenant.createUser("guest@rls.test");
        tenant.mint(token, user, 10);
        String type = tenant.admin()
                .post("/v2/businesses/types", Map.of("name", "Bar"))
                .text("id");
        String business = tenant.admin()
                .post("/v2/businesses", Map.of("name", "Bar B", "businessTypeId", type))
                .text("id");
        assertThat(tenant.admin()
                        .post("/v2/businesses/" + business + "/members", Map.of("userId", user.toString()))
                        .status())
                .isEqualTo(204);
        tenant.createApiKey("b-system");
        assertThat(tenant.admin()
                        .with("Idempotency-Key", "k-" + UUID.randomUUID())
                        .post("/v2/users", Map.of("email", "other@rls.test"))
                        .status())
                .isEqualTo(201);
        return tenant;
    }

    private static void assertNotFound(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.code()).isEqualTo("NOT_FOUND");
    }
}
