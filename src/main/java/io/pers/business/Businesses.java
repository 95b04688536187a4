package io.pers.business;

import io.pers.api.ErrorCode;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Partner businesses (shops, venues, hotels) of a tenant, their types and their member users. */
@Component
public class Businesses {

    public record BusinessType(UUID id, String name) {}

    public record Business(
            UUID id,
            String name,
            UUID businessTypeId,
            String email,
            String description,
            boolean active,
            OffsetDateTime createdAt) {}

    public record Details(String name, UUID businessTypeId, String email, String description, Boolean active) {}

    private final JdbcClient db;

    Businesses(JdbcClient db) {
        this.db = db;
    }

    BusinessType createType(String name) {
        UUID id = UUID.randomUUID();
        try {
            db.sql("insert into business_types (id, tenant_id, name) values (?, ?, ?)")
                    .params(id, TenantContext.requireTenantId(), name)
                    .update();
        } catch (DuplicateKeyException e) {
            throw new PersException(ErrorCode.ALREADY_EXISTS, "A business type with this name exists");
        }
        return new BusinessType(id, name);
    }

    List<BusinessType> types() {
        return db.sql("select id, name from business_types order by name")
                .query((rs, i) -> new BusinessType(rs.getObject(1, UUID.class), rs.getString(2)))
                .list();
    }

    Business create(Details details) {
        UUID id = UUID.randomUUID();
        try {
            db.sql("""
                            insert into businesses (id, tenant_id, name, business_type_id, email, description, active)
                            values (?, ?, ?, ?, ?, ?, coalesce(?, true))""")
                    .params(
                            id,
                            TenantContext.requireTenantId(),
                            details.name(),
                            details.businessTypeId(),
                            details.email(),
                            details.description(),
                            details.active())
                    .update();
        } catch (DataIntegrityViolationException e) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "businessTypeId is unknown");
        }
        return find(id);
    }

    public Business find(UUID id) {
        return db.sql("select * from businesses where id = ?")
                .param(id)
                .query(Businesses::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("Business"));
    }

    Page<Business> list(PageQuery page, Boolean active) {
        String where = " where (?::boolean is null or active = ?)";
        return new Page<>(
                db.sql("select * from businesses" + where + page.orderBy() + " limit ? offset ?")
                        .params(active, active, page.size(), page.offset())
                        .query(Businesses::map)
                        .list(),
                page.page(),
                page.size(),
                db.sql("select count(*) from businesses" + where)
                        .params(active, active)
                        .query(Long.class)
                        .single());
    }

    Business update(UUID id, Details changes) {
        int updated;
        try {
            updated = db.sql("""
                            update businesses set name = coalesce(?, name), business_type_id = coalesce(?, business_type_id),
                                   email = coalesce(?, email), description = coalesce(?, description),
                                   active = coalesce(?, active)
                             where id = ?""")
                    .params(
                            changes.name(),
                            changes.businessTypeId(),
                            changes.email(),
                            changes.description(),
                            changes.active(),
                            id)
                    .update();
        } catch (DataIntegrityViolationException e) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "businessTypeId is unknown");
        }
        if (updated == 0) {
            throw PersException.notFound("Business");
        }
        return find(id);
    }

    void addMember(UUID businessId, UUID userId) {
        find(businessId);
        try {
            db.sql("""
                            insert into business_members (tenant_id, business_id, user_id) values (?, ?, ?)
                            on conflict do nothing""")
                    .params(TenantContext.requireTenantId(), businessId, userId)
                    .update();
        } catch (DataIntegrityViolationException e) {
            throw PersException.notFound("User");
        }
    }

    void removeMember(UUID businessId, UUID userId) {
        if (db.sql("delete from business_members where business_id = ? and user_id = ?")
                        .params(businessId, userId)
                        .update()
                == 0) {
            throw PersException.notFound("Membership");
        }
    }

    List<UUID> members(UUID businessId) {
        return db.sql("select user_id from business_members where business_id = ? order by user_id")
                .param(businessId)
                .query(UUID.class)
                .list();
    }

    /** The active businesses a user may act for. */
    public List<UUID> membershipsOf(UUID userId) {
        return db.sql("""
                        select m.business_id from business_members m join businesses b on b.id = m.business_id
                         where m.user_id = ? and b.active order by m.business_id""").param(userId).query(UUID.class).list();
    }

    private static Business map(ResultSet rs, int row) throws SQLException {
        return new Business(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getObject("business_type_id", UUID.class),
                rs.getString("email"),
                rs.getString("description"),
                rs.getBoolean("active"),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
