package io.pers.redemption;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PagedQuery;
import io.pers.api.PersException;
import io.pers.tenant.TenantContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The redemption_redeems table: the record of every redeem's status, whatever happens to the workflow engine. */
@Component
class Redeems {

    enum Status {
        PENDING,
        COMPLETED,
        FAILED
    }

    /** Which part of a redeem a ledger entry is. */
    enum EntryRole {
        COST,
        REWARD,
        REFUND
    }

    record Redeem(
            UUID id,
            String workflowId,
            UUID redemptionId,
            UUID userId,
            UUID businessId,
            String countryCode,
            String callerRole,
            String callerId,
            UUID costTokenId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger costAmount,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger listCostAmount,
            int discountBps,
            String statusTierName,
            Status status,
            boolean supplyReserved,
            String failureCode,
            String failureReason,
            OffsetDateTime createdAt,
            OffsetDateTime decidedAt,
            byte[] requestHash) {}

    record Filter(UUID redemptionId, UUID userId, UUID businessId, Status status) {}

    private final JdbcClient db;

    Redeems(JdbcClient db) {
        this.db = db;
    }

    /** Records a new redeem as PENDING; false when one with this id exists already. */
    boolean insert(Redeem r) {
        return db.sql("""
                        insert into redemption_redeems (id, tenant_id, workflow_id, redemption_id, user_id, business_id,
                                                        country_code, caller_role, caller_id, cost_token_id, cost_amount,
                                                        list_cost_amount, discount_bps, status_tier_name,
                                                        request_hash, status)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING')
                        on conflict do nothing""")
                        .params(
                                r.id(),
                                TenantContext.requireTenantId(),
                                r.workflowId(),
                                r.redemptionId(),
                                r.userId(),
                                r.businessId(),
                                r.countryCode(),
                                r.callerRole(),
                                r.callerId(),
                                r.costTokenId(),
                                new BigDecimal(r.costAmount()),
                                new BigDecimal(r.listCostAmount()),
                                r.discountBps(),
                                r.statusTierName(),
                                r.requestHash())
                        .update()
                == 1;
    }

    Redeem find(UUID id) {
        return find(id, false).orElseThrow(() -> PersException.notFound("Redeem"));
    }

    /** The redeem, locked for the rest of the transaction when {@code forUpdate}. */
    Optional<Redeem> find(UUID id, boolean forUpdate) {
        return db.sql("select * from redemption_redeems where id = ?" + (forUpdate ? " for update" : ""))
                .param(id)
                .query(Redeems::map)
                .optional();
    }

    Page<Redeem> list(Filter filter, PageQuery page) {
        return PagedQuery.from("redemption_redeems")
                .and("redemption_id = ?", filter.redemptionId())
                .and("user_id = ?", filter.userId())
                .and("business_id = ?", filter.businessId())
                .and("status = ?", filter.status())
                .page(db, "*", page, Redeems::map);
    }

    /** Redeems of the user holding a unit of the redemption's supply (in flight or completed). */
    long holding(UUID redemptionId, UUID userId) {
        return db.sql(
                        "select count(*) from redemption_redeems where redemption_id = ? and user_id = ? and supply_reserved")
                .params(redemptionId, userId)
                .query(Long.class)
                .single();
    }

    void supplyReserved(UUID id, boolean reserved) {
        db.sql("update redemption_redeems set supply_reserved = ?, updated_at = now() where id = ?")
                .params(reserved, id)
                .update();
    }

    void complete(UUID id) {
        db.sql(
                        "update redemption_redeems set status = 'COMPLETED', decided_at = now(), updated_at = now() where id = ?")
                .param(id)
                .update();
    }

    /** Marks the redeem FAILED; notes its compensations made (see {@link #note}) follow the reason. */
    void fail(UUID id, String code, String reason) {
        db.sql("""
                        update redemption_redeems set status = 'FAILED', failure_code = ?,
                               failure_reason = concat_ws('; ', ?, failure_reason), decided_at = now(), updated_at = now()
                         where id = ?""").params(code, reason, id).update();
    }

    /** Adds a note for operators to the redeem's reason, e.g. a compensation that was refused. */
    void note(UUID id, String note) {
        db.sql("update redemption_redeems set failure_reason = concat_ws('; ', failure_reason, ?) where id = ?")
                .params(note, id)
                .update();
    }

    void recordEntry(UUID redeemId, UUID entryId, EntryRole role) {
        db.sql("""
                        insert into redemption_redeem_entries (redeem_id, tenant_id, entry_id, role) values (?, ?, ?, ?)
                        on conflict do nothing""")
                .params(redeemId, TenantContext.requireTenantId(), entryId, role.name())
                .update();
    }

    List<UUID> entries(UUID redeemId, EntryRole role) {
        return db.sql("""
                        select r.entry_id from redemption_redeem_entries r join journal_entries e on e.id = r.entry_id
                         where r.redeem_id = ? and (?::text is null or r.role = ?) order by e.created_at, e.id""")
                .params(redeemId, role == null ? null : role.name(), role == null ? null : role.name())
                .query(UUID.class)
                .list();
    }

    private static Redeem map(ResultSet rs, int row) throws SQLException {
        return new Redeem(
                rs.getObject("id", UUID.class),
                rs.getString("workflow_id"),
                rs.getObject("redemption_id", UUID.class),
                rs.getObject("user_id", UUID.class),
                rs.getObject("business_id", UUID.class),
                rs.getString("country_code"),
                rs.getString("caller_role"),
                rs.getString("caller_id"),
                rs.getObject("cost_token_id", UUID.class),
                rs.getBigDecimal("cost_amount").toBigIntegerExact(),
                rs.getBigDecimal("list_cost_amount").toBigIntegerExact(),
                rs.getInt("discount_bps"),
                rs.getString("status_tier_name"),
                Status.valueOf(rs.getString("status")),
                rs.getBoolean("supply_reserved"),
                rs.getString("failure_code"),
                rs.getString("failure_reason"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("decided_at", OffsetDateTime.class),
                rs.getBytes("request_hash"));
    }
}
