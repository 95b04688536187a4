package io.pers.auth;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.crypto.Secrets;
import io.pers.tenant.TenantContext;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Single-use refresh tokens, stored as SHA-256. Each use rotates the token within its family;
 * presenting an already-used token means it leaked, so the whole family is revoked (RFC 9700 §4.14).
 */
@Component
class RefreshTokens {

    private static final String PREFIX = "rt_";

    private record Stored(
            UUID id, UUID familyId, Principal principal, Instant expiresAt, boolean used, boolean revoked) {}

    private final JdbcClient db;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Duration ttl;

    RefreshTokens(
            JdbcClient db,
            TransactionTemplate tx,
            ObjectMapper json,
            @Value("${pers.auth.refresh-token-ttl}") Duration ttl) {
        this.db = db;
        this.tx = tx;
        this.json = json;
        this.ttl = ttl;
    }

    String issue(Principal principal) {
        return inScope(principal.tenantId(), () -> store(principal, UUID.randomUUID()));
    }

    /** Exchanges a refresh token for the principal it was issued to, and its successor. */
    Rotation rotate(String token) {
        byte[] hash = Secrets.sha256(token);
        UUID tenant = db.sql("select resolve_refresh_token(?)")
                .param(hash)
                .query(UUID.class)
                .optional()
                .orElse(null);
        return inScope(tenant, () -> {
            Rotation rotation = tx.execute(status -> {
                Stored stored = find(hash).orElseThrow(() -> new PersException(ErrorCode.INVALID_REFRESH_TOKEN));
                if (stored.used()) {
                    db.sql("update refresh_tokens set revoked_at = now() where family_id = ? and revoked_at is null")
                            .param(stored.familyId())
                            .update();
                    return null;
                }
                if (stored.revoked() || stored.expiresAt().isBefore(Instant.now())) {
                    throw new PersException(ErrorCode.INVALID_REFRESH_TOKEN);
                }
                db.sql("update refresh_tokens set used_at = now() where id = ?")
                        .param(stored.id())
                        .update();
                return new Rotation(stored.principal(), store(stored.principal(), stored.familyId()));
            });
            if (rotation == null) {
                throw new PersException(
                        ErrorCode.INVALID_REFRESH_TOKEN, "Refresh token was already used; its family is revoked");
            }
            return rotation;
        });
    }

    record Rotation(Principal principal, String refreshToken) {}

    private String store(Principal principal, UUID familyId) {
        String token = PREFIX + Secrets.randomBase62(48);
        db.sql("""
                        insert into refresh_tokens (id, tenant_id, token_hash, family_id, claims, expires_at)
                        values (?, ?, ?, ?, ?::jsonb, ?)""")
                .params(
                        UUID.randomUUID(),
                        principal.tenantId(),
                        Secrets.sha256(token),
                        familyId,
                        json.writeValueAsString(principal),
                        Timestamp.from(Instant.now().plus(ttl)))
                .update();
        return token;
    }

    private Optional<Stored> find(byte[] hash) {
        return db.sql("select * from refresh_tokens where token_hash = ? for update")
                .param(hash)
                .query((rs, i) -> new Stored(
                        rs.getObject("id", UUID.class),
                        rs.getObject("family_id", UUID.class),
                        json.readValue(rs.getString("claims"), Principal.class),
                        rs.getTimestamp("expires_at").toInstant(),
                        rs.getTimestamp("used_at") != null,
                        rs.getTimestamp("revoked_at") != null))
                .optional();
    }

    private static <T> T inScope(UUID tenant, Supplier<T> work) {
        return tenant == null ? TenantContext.callAsPlatform(work) : TenantContext.callAs(tenant, work);
    }
}
