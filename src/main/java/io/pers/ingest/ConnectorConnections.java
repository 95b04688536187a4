package io.pers.ingest;

import io.pers.api.PersException;
import io.pers.crypto.SecretBox;
import io.pers.tenant.TenantContext;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The connector_connections table. Signing secrets are stored sealed and leave it only to verify;
 * a polled connection has none, and shows how its polling goes instead (ingest_polling).
 */
@Component
class ConnectorConnections {

    /** A connection as the API shows it: never its secret or credential. */
    record Connection(
            UUID id, String connector, String description, boolean active, OffsetDateTime createdAt, Polling polling) {}

    /** A polled connection's source and health: null for a connection that receives webhooks. */
    record Polling(
            String baseUrl,
            String accountId,
            String status,
            OffsetDateTime watermark,
            Integer nextPage,
            OffsetDateTime lastPolledAt,
            OffsetDateTime lastSuccessAt,
            String lastError,
            OffsetDateTime lastErrorAt) {}

    /** What the ingest endpoint learns from a connection id, before any signature is checked. */
    record Resolved(UUID id, UUID tenantId, String connector, byte[] secret, boolean active) {}

    private final JdbcClient db;
    private final SecretBox box;

    ConnectorConnections(JdbcClient db, SecretBox box) {
        this.db = db;
        this.box = box;
    }

    /** A new connection; {@code secret} is null for a polled one. */
    Connection create(UUID id, String connector, String description, String secret) {
        db.sql("""
                        insert into connector_connections (id, tenant_id, connector, description, secret_enc)
                        values (?, ?, ?, ?, ?)""")
                .params(
                        id,
                        TenantContext.requireTenantId(),
                        connector,
                        description,
                        secret == null ? null : box.seal(secret.getBytes(StandardCharsets.UTF_8)))
                .update();
        return find(id);
    }

    /** Changes the fields given (null: unchanged); the secret is sealed like at creation. */
    Connection update(UUID id, Boolean active, String description, String secret) {
        int updated = db.sql("""
                        update connector_connections
                           set active = coalesce(?, active), description = coalesce(?, description),
                               secret_enc = coalesce(?, secret_enc)
                         where id = ?""")
                .params(
                        active,
                        description,
                        secret == null ? null : box.seal(secret.getBytes(StandardCharsets.UTF_8)),
                        id)
                .update();
        if (updated == 0) {
            throw PersException.notFound("Connection");
        }
        return find(id);
    }

    Connection find(UUID id) {
        return db.sql(LIST + " where c.id = ?")
                .param(id)
                .query(this::connection)
                .optional()
                .orElseThrow(() -> PersException.notFound("Connection"));
    }

    List<Connection> list() {
        return db.sql(LIST + " order by c.created_at desc, c.id")
                .query(this::connection)
                .list();
    }

    private static final String LIST = """
            select c.id, c.connector, c.description, c.active, c.created_at, p.connection_id is not null as polled,
                   p.base_url, p.account_id, p.status, p.watermark, p.next_page, p.last_polled_at,
                   p.last_success_at, p.last_error, p.last_error_at
              from connector_connections c left join ingest_polling p on p.connection_id = c.id""";

    private Connection connection(ResultSet rs, int n) throws SQLException {
        Polling polling = rs.getBoolean("polled")
                ? new Polling(
                        rs.getString("base_url"),
                        rs.getString("account_id"),
                        rs.getString("status"),
                        rs.getObject("watermark", OffsetDateTime.class),
                        (Integer) rs.getObject("next_page"),
                        rs.getObject("last_polled_at", OffsetDateTime.class),
                        rs.getObject("last_success_at", OffsetDateTime.class),
                        rs.getString("last_error"),
                        rs.getObject("last_error_at", OffsetDateTime.class))
                : null;
        return new Connection(
                rs.getObject("id", UUID.class),
                rs.getString("connector"),
                rs.getString("description"),
                rs.getBoolean("active"),
                rs.getObject("created_at", OffsetDateTime.class),
                polling);
    }

    /** Across tenants (the caller is not known yet): a security-definer look-up by id alone. */
    Optional<Resolved> resolve(UUID id) {
        return db.sql("select tenant_id, connector, secret_enc, active from resolve_connector_connection(?)")
                .param(id)
                .query((rs, n) -> new Resolved(
                        id,
                        rs.getObject("tenant_id", UUID.class),
                        rs.getString("connector"),
                        rs.getBytes("secret_enc") == null ? null : box.open(rs.getBytes("secret_enc")),
                        rs.getBoolean("active")))
                .optional();
    }
}
