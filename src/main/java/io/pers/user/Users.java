package io.pers.user;

import io.pers.api.ErrorCode;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** End users of a tenant: known by id, email or the external id their identity provider gives. */
@Component
public class Users {

    public record User(
            UUID id,
            String email,
            String externalId,
            String firstName,
            String lastName,
            Map<String, Object> customData,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {}

    public record Profile(
            String email, String externalId, String firstName, String lastName, Map<String, Object> customData) {}

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcClient db;
    private final ObjectMapper json;

    Users(JdbcClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public User create(Profile profile) {
        UUID id = UUID.randomUUID();
        try {
            db.sql("""
                            insert into users (id, tenant_id, email, external_id, first_name, last_name, custom_data)
                            values (?, ?, ?, ?, ?, ?, ?::jsonb)""")
                    .params(
                            id,
                            TenantContext.requireTenantId(),
                            lower(profile.email()),
                            profile.externalId(),
                            profile.firstName(),
                            profile.lastName(),
                            json.writeValueAsString(profile.customData() == null ? Map.of() : profile.customData()))
                    .update();
        } catch (DuplicateKeyException e) {
            throw new PersException(ErrorCode.ALREADY_EXISTS, "A user with this email or externalId exists");
        }
        return find(id);
    }

    public User find(UUID id) {
        return db.sql("select * from users where id = ?")
                .param(id)
                .query(this::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("User"));
    }

    /** Finds a user by id, email or external id, as business and system callers identify users. */
    public Optional<User> findByIdentifier(String identifier) {
        UUID id = parseUuid(identifier);
        return db.sql("select * from users where id = ? or email = ? or external_id = ? limit 1")
                .params(id, lower(identifier), identifier)
                .query(this::map)
                .optional();
    }

    /** The user an identity provider vouches for, created on first sign-in. */
    public User provision(String externalId, String email) {
        db.sql("""
                        insert into users (id, tenant_id, email, external_id) values (?, ?, ?, ?)
                        on conflict (tenant_id, external_id) do nothing""")
                .params(UUID.randomUUID(), TenantContext.requireTenantId(), lower(email), externalId)
                .update();
        return db.sql("select * from users where external_id = ?")
                .param(externalId)
                .query(this::map)
                .single();
    }

    public Page<User> list(PageQuery page, String email) {
        String where = email == null ? "" : " where email = ?";
        List<Object> params = new ArrayList<>();
        if (email != null) {
            params.add(lower(email));
        }
        long total = db.sql("select count(*) from users" + where)
                .params(params)
                .query(Long.class)
                .single();
        params.add(page.size());
        params.add(page.offset());
        List<User> items = db.sql("select * from users" + where + page.orderBy() + " limit ? offset ?")
                .params(params)
                .query(this::map)
                .list();
        return new Page<>(items, page.page(), page.size(), total);
    }

    public User update(UUID id, Profile changes) {
        int updated;
        try {
            updated = db.sql("""
                            update users set email = coalesce(?, email), external_id = coalesce(?, external_id),
                                   first_name = coalesce(?, first_name), last_name = coalesce(?, last_name),
                                   custom_data = coalesce(?::jsonb, custom_data), updated_at = now()
                             where id = ?""")
                    .params(
                            lower(changes.email()),
                            changes.externalId(),
                            changes.firstName(),
                            changes.lastName(),
                            changes.customData() == null ? null : json.writeValueAsString(changes.customData()),
                            id)
                    .update();
        } catch (DuplicateKeyException e) {
            throw new PersException(ErrorCode.ALREADY_EXISTS, "A user with this email or externalId exists");
        }
        if (updated == 0) {
            throw PersException.notFound("User");
        }
        return find(id);
    }

    private User map(ResultSet rs, int row) throws SQLException {
        return new User(
                rs.getObject("id", UUID.class),
                rs.getString("email"),
                rs.getString("external_id"),
                rs.getString("first_name"),
                rs.getString("last_name"),
                json.readValue(rs.getString("custom_data"), MAP),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }

    private static String lower(String email) {
        return email == null ? null : email.toLowerCase();
    }

    private static UUID parseUuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
