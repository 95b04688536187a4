package io.pers.tenant;

import io.pers.api.PersException;
import io.pers.crypto.PasswordHasher;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Admin accounts: a tenant's admins, and platform admins (no tenant) who manage tenants. */
@Component
public class Admins {

    public record Admin(UUID id, UUID tenantId, String email, OffsetDateTime createdAt) {}

    /** Burns the same time on an unknown email as on a wrong password, so neither is revealed. */
    private static final String DUMMY_HASH = PasswordHasher.hash("timing-equaliser");

    private final JdbcClient db;

    Admins(JdbcClient db) {
        this.db = db;
    }

    /** Creates an admin of the current tenant scope (tenantId null: a platform admin). */
    public Admin create(UUID tenantId, String email, String password) {
        UUID id = UUID.randomUUID();
        db.sql("insert into admins (id, tenant_id, email, password_hash) values (?, ?, ?, ?)")
                .params(id, tenantId, email.toLowerCase(), PasswordHasher.hash(password))
                .update();
        return new Admin(id, tenantId, email.toLowerCase(), OffsetDateTime.now());
    }

    List<Admin> list(UUID tenantId) {
        return db.sql(
                        "select id, tenant_id, email, created_at from admins where tenant_id is not distinct from ? order by email")
                .param(tenantId)
                .query((rs, i) -> new Admin(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class)))
                .list();
    }

    public boolean platformAdminExists() {
        return db.sql("select 1 from admins where tenant_id is null limit 1")
                .query(Integer.class)
                .optional()
                .isPresent();
    }

    /** The admin id these credentials belong to, in the given tenant (null: platform). */
    public Optional<UUID> authenticate(UUID tenantId, String email, String password) {
        Optional<String[]> found = db.sql(
                        "select id, password_hash from admins where tenant_id is not distinct from ? and email = ?")
                .params(tenantId, email.toLowerCase())
                .query((rs, i) -> new String[] {rs.getString(1), rs.getString(2)})
                .optional();
        boolean ok = PasswordHasher.matches(password, found.map(f -> f[1]).orElse(DUMMY_HASH)) && found.isPresent();
        return ok ? found.map(f -> UUID.fromString(f[0])) : Optional.empty();
    }

    public Admin find(UUID id) {
        return db.sql("select id, tenant_id, email, created_at from admins where id = ?")
                .param(id)
                .query((rs, i) -> new Admin(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class)))
                .optional()
                .orElseThrow(() -> PersException.notFound("Admin"));
    }
}
