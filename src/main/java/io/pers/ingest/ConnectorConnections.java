package io.pers.ingest;

import io.pers.crypto.SecretBox;
import io.pers.tenant.TenantContext;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The connector_connections table. Signing secrets are stored sealed and leave it only to verify. */
@Component
class ConnectorConnections {

    /** A connection as the API shows it: never its secret. */
    record Connection(UUID id, String connector, String description, boolean active, OffsetDateTime createdAt) {}

    /** What the ingest endpoint learns from a connection id, before any signature is checked. */
    record Resolved(UUID id, UUID tenantId, String connector, byte[] secret, boolean active) {}

    private final JdbcClient db;
    private final SecretBox box;

    ConnectorConnections(JdbcClient db, SecretBox box) {
        this.db = db;
        this.box = box;
    }

    Connection create(UUID id, String connector, String description, String secret) {
        db.sql("""
                        insert into connector_connections (id, tenant_id, connector, description, secret_enc)
                        values (?, ?, ?, ?, ?)""")
                .params(
                        id,
                        TenantContext.requireTenantId(),
                        connector,
                        description,
                        box.seal(secret.getBytes(StandardCharsets.UTF_8)))
                .update();
        return list().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    List<Connection> list() {
        return db.sql("select id, connector, description, active, created_at from connector_connections"
                        + " order by created_at desc, id")
                .query((rs, n) -> new Connection(
                        rs.getObject("id", UUID.class),
                        rs.getString("connector"),
                        rs.getString("description"),
                        rs.getBoolean("active"),
                        rs.getObject("created_at", OffsetDateTime.class)))
                .list();
    }

    /** Across tenants (the caller is not known yet): a security-definer look-up by id alone. */
    Optional<Resolved> resolve(UUID id) {
        return db.sql("select tenant_id, connector, secret_enc, active from resolve_connector_connection(?)")
                .param(id)
                .query((rs, n) -> new Resolved(
                        id,
                        rs.getObject("tenant_id", UUID.class),
                        rs.getString("connector"),
                        box.open(rs.getBytes("secret_enc")),
                        rs.getBoolean("active")))
                .optional();
    }
}
