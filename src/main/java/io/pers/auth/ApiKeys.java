package io.pers.auth;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.crypto.Secrets;
import io.pers.tenant.TenantContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tenant API keys for server-to-server callers (role SYSTEM). The secret is shown once at
 * creation and stored only as its SHA-256; listings show a shortened form.
 */
@Component
class ApiKeys {

    static final String PREFIX = "sk_";
    private static final int SECRET_CHARS = 40;

    record Created(ApiKey key, String secret) {}

    record ApiKey(
            UUID id,
            String name,
            String preview,
            OffsetDateTime createdAt,
            OffsetDateTime expiresAt,
            OffsetDateTime lastUsedAt,
            boolean revoked) {}

    private record Resolved(UUID id, UUID tenantId, Instant expiresAt, Instant revokedAt) {}

    private final JdbcClient db;

    ApiKeys(JdbcClient db) {
        this.db = db;
    }

    Created create(String name, OffsetDateTime expiresAt) {
        String body = Secrets.randomBase62(SECRET_CHARS);
        String secret = PREFIX + body;
        UUID id = UUID.randomUUID();
        db.sql("""
                        insert into api_keys (id, tenant_id, name, key_hash, key_preview, expires_at)
                        values (?, ?, ?, ?, ?, ?)""")
                .params(
                        id,
                        TenantContext.requireTenantId(),
                        name,
                        Secrets.sha256(secret),
                        PREFIX + body.substring(0, 4) + "…" + body.substring(SECRET_CHARS - 4),
                        expiresAt)
                .update();
        return new Created(find(id), secret);
    }

    List<ApiKey> list() {
        return db.sql("select * from api_keys order by created_at desc")
                .query(this::map)
                .list();
    }

    ApiKey find(UUID id) {
        return db.sql("select * from api_keys where id = ?")
                .param(id)
                .query(this::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("API key"));
    }

    void revoke(UUID id) {
        if (db.sql("update api_keys set revoked_at = coalesce(revoked_at, now()) where id = ?")
                        .param(id)
                        .update()
                == 0) {
            throw PersException.notFound("API key");
        }
    }

    /** The SYSTEM principal of a presented secret; any unknown, expired or revoked key is refused alike. */
    Principal authenticate(String secret) {
        Resolved key = db.sql("select * from resolve_api_key(?)")
                .param(Secrets.sha256(secret))
                .query((rs, i) -> new Resolved(
                        rs.getObject("id", UUID.class),
                        rs.getObject("tenant_id", UUID.class),
                        instant(rs.getTimestamp("expires_at")),
                        instant(rs.getTimestamp("revoked_at"))))
                .optional()
                .filter(k -> k.revokedAt() == null
                        && (k.expiresAt() == null || k.expiresAt().isAfter(Instant.now())))
                .orElseThrow(() -> new PersException(ErrorCode.INVALID_API_KEY));
        TenantContext.runAs(key.tenantId(), () -> touch(key.id()));
        return new Principal(Role.SYSTEM, key.tenantId(), key.id(), null, key.id());
    }

    /** A SYSTEM token stays valid only while its key does: revocation takes effect at once. */
    void requireUsable(UUID keyId) {
        boolean usable =
                db.sql("""
                        select 1 from api_keys where id = ? and revoked_at is null
                           and (expires_at is null or expires_at > now())""").param(keyId).query(Integer.class).optional().isPresent();
        if (!usable) {
            throw new PersException(ErrorCode.INVALID_API_KEY);
        }
        touch(keyId);
    }

    /** Records use at minute granularity: a write per request would cost more than it tells. */
    private void touch(UUID keyId) {
        db.sql("""
                        update api_keys set last_used_at = now()
                         where id = ? and (last_used_at is null or last_used_at < now() - interval '1 minute')""").param(keyId).update();
    }

    private ApiKey map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new ApiKey(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("key_preview"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("expires_at", OffsetDateTime.class),
                rs.getObject("last_used_at", OffsetDateTime.class),
                rs.getTimestamp("revoked_at") != null);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
