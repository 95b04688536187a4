package io.pers.tenant;

import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.crypto.Secrets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Tenants and their project keys ({@code pk_test_…} and {@code pk_live_…}, public identifiers). */
@Component
public class Tenants {

    public record IdentityProvider(String jwksUrl, String issuer, String audience) {}

    public record Tenant(
            UUID id,
            String name,
            String projectKeyTest,
            String projectKeyLive,
            IdentityProvider identityProvider,
            boolean localTargets,
            OffsetDateTime createdAt) {}

    /** The tenant a project key belongs to, and whether it is the live key. */
    public record ProjectKey(UUID tenantId, boolean live) {}

    private static final Duration PROJECT_KEY_TTL = Duration.ofMinutes(1);
    private static final int PROJECT_KEYS_REMEMBERED = 10_000;

    private final JdbcClient db;
    private final Map<String, Remembered> projectKeys = new ConcurrentHashMap<>();

    Tenants(JdbcClient db) {
        this.db = db;
    }

    Tenant create(String name, IdentityProvider idp) {
        UUID id = UUID.randomUUID();
        db.sql("""
                        insert into tenants (id, name, project_key_test, project_key_live,
                                             idp_jwks_url, idp_issuer, idp_audience)
                        values (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        id,
                        name,
                        "pk_test_" + Secrets.randomBase62(24),
                        "pk_live_" + Secrets.randomBase62(24),
                        idp == null ? null : idp.jwksUrl(),
                        idp == null ? null : idp.issuer(),
                        idp == null ? null : idp.audience())
                .update();
        return find(id);
    }

    public Tenant find(UUID id) {
        return db.sql("select * from tenants where id = ?")
                .param(id)
                .query(Tenants::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("Tenant"));
    }

    Page<Tenant> list(PageQuery page) {
        return new Page<>(
                db.sql("select * from tenants" + page.orderBy() + " limit ? offset ?")
                        .params(page.size(), page.offset())
                        .query(Tenants::map)
                        .list(),
                page.page(),
                page.size(),
                db.sql("select count(*) from tenants").query(Long.class).single());
    }

    Tenant update(UUID id, String name, IdentityProvider idp, Boolean localTargets) {
        db.sql("""
                        update tenants set name = coalesce(?, name),
                               local_targets = coalesce(?, local_targets),
                               idp_jwks_url = coalesce(?, idp_jwks_url),
                               idp_issuer = coalesce(?, idp_issuer),
                               idp_audience = coalesce(?, idp_audience)
                         where id = ?""")
                .params(
                        name,
                        localTargets,
                        idp == null ? null : idp.jwksUrl(),
                        idp == null ? null : idp.issuer(),
                        idp == null ? null : idp.audience(),
                        id)
                .update();
        return find(id);
    }

    /** Looks a project key up across tenants (the tenant is what it tells us). */
    /**
     * The tenant a project key names. Every request of a tenant's apps carries one, so known keys
     * are remembered for a minute (a key is never reassigned to another tenant; unknown keys are
     * not remembered, so a new tenant's key works at once).
     */
    public Optional<ProjectKey> resolveProjectKey(String key) {
        Remembered remembered = projectKeys.get(key);
        if (remembered != null && remembered.until().isAfter(Instant.now())) {
            return Optional.of(remembered.projectKey());
        }
        Optional<ProjectKey> resolved = db.sql("select tenant_id, live from resolve_project_key(?)")
                .param(key)
                .query((rs, i) -> new ProjectKey(rs.getObject(1, UUID.class), rs.getBoolean(2)))
                .optional();
        resolved.ifPresent(found -> {
            if (projectKeys.size() >= PROJECT_KEYS_REMEMBERED) {
                projectKeys.clear();
            }
            projectKeys.put(key, new Remembered(found, Instant.now().plus(PROJECT_KEY_TTL)));
        });
        return resolved;
    }

    private record Remembered(ProjectKey projectKey, Instant until) {}

    private static Tenant map(ResultSet rs, int row) throws SQLException {
        String jwks = rs.getString("idp_jwks_url");
        return new Tenant(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("project_key_test"),
                rs.getString("project_key_live"),
                jwks == null
                        ? null
                        : new IdentityProvider(jwks, rs.getString("idp_issuer"), rs.getString("idp_audience")),
                rs.getBoolean("local_targets"),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
