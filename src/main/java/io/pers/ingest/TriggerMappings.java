package io.pers.ingest;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.pers.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The trigger_mappings table: which connector events claim on which campaign, and how much; and
 * which take back what an earlier event earned (a refund reverses its order's claims). Each row is
 * a mapping's live version; trigger_mapping_versions keeps every version it has had, written in
 * the same transaction as the row (callers hold one).
 */
@Component
class TriggerMappings {

    enum Action {
        /** The event earns: a claim on the campaign. */
        CLAIM,
        /** The event refunds an order: the campaign's claims on that order are reversed, in proportion. */
        REVERSE
    }

    /**
     * What a version of a mapping says.
     *
     * @param condition CEL over {@code event}; null: always
     * @param multiplier CEL int expression over {@code event}, e.g. {@code int(double(event.data.total_price))}; CLAIM only
     * @param reference CEL over {@code event} naming the order (e.g. {@code event.data.order_id}); stored
     *     on a claim, and required to REVERSE: a refund finds the claims by it
     * @param amount CEL over {@code event} giving a decimal: for CLAIM the order's total (the basis a
     *     partial refund is measured against), for REVERSE the refunded sum; null: the whole order
     * @param active false: switched off, it fires on nothing
     */
    record Rule(
            String source,
            String eventType,
            Action action,
            String condition,
            String multiplier,
            String reference,
            String amount,
            UUID campaignId,
            boolean active) {

        Rule switchedOff() {
            return new Rule(source, eventType, action, condition, multiplier, reference, amount, campaignId, false);
        }
    }

    /**
     * A mapping as it is live: its rule and the version that rule is.
     *
     * @param updatedAt when the live version was made
     * @param deletedAt when it was deleted: it never fires again, and stays readable for the claims it decided
     */
    record Mapping(
            UUID id,
            @JsonUnwrapped Rule rule,
            int version,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt,
            OffsetDateTime deletedAt) {}

    /**
     * One immutable version of a mapping.
     *
     * @param deleted the version its deletion made
     * @param createdBy who made it: the caller's key, e.g. {@code ADMIN:<admin id>}
     */
    record Version(
            UUID mappingId,
            int version,
            @JsonUnwrapped Rule rule,
            boolean deleted,
            String createdBy,
            OffsetDateTime createdAt) {}

    private static final String RULE_COLUMNS =
            "source, event_type, action, condition, multiplier, reference, amount, campaign_id, active";

    private final JdbcClient db;

    TriggerMappings(JdbcClient db) {
        this.db = db;
    }

    /** A new mapping, live at version 1. */
    Mapping create(UUID id, Rule rule, String createdBy) {
        db.sql("insert into trigger_mappings (id, tenant_id, " + RULE_COLUMNS
                        + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(id, TenantContext.requireTenantId())
                .params(ruleParams(rule))
                .update();
        Mapping created = find(id, false).orElseThrow();
        recordVersion(created, false, createdBy);
        return created;
    }

    /** The mapping, deleted or not; locked for the rest of the transaction when {@code forUpdate}. */
    Optional<Mapping> find(UUID id, boolean forUpdate) {
        return db.sql("select * from trigger_mappings where id = ?" + (forUpdate ? " for update" : ""))
                .param(id)
                .query(TriggerMappings::map)
                .optional();
    }

    /** Makes {@code rule} the mapping's next version, live at once; {@code delete} archives it too. */
    Mapping change(UUID id, Rule rule, boolean delete, String createdBy) {
        db.sql("""
                        update trigger_mappings
                           set source = ?, event_type = ?, action = ?, condition = ?, multiplier = ?, reference = ?,
                               amount = ?, campaign_id = ?, active = ?, version = version + 1, updated_at = now(),
                               deleted_at = case when ? then now() end
                         where id = ?""").params(ruleParams(rule)).params(delete, id).update();
        Mapping changed = find(id, false).orElseThrow();
        recordVersion(changed, delete, createdBy);
        return changed;
    }

    /** The mappings not deleted, newest first. */
    List<Mapping> list() {
        return db.sql("select * from trigger_mappings where deleted_at is null order by created_at desc, id")
                .query(TriggerMappings::map)
                .list();
    }

    /** Every version of a mapping, newest first. */
    List<Version> versions(UUID id) {
        return db.sql("select * from trigger_mapping_versions where mapping_id = ? order by version desc")
                .param(id)
                .query((rs, row) -> new Version(
                        rs.getObject("mapping_id", UUID.class),
                        rs.getInt("version"),
                        rule(rs),
                        rs.getBoolean("deleted"),
                        rs.getString("created_by"),
                        rs.getObject("created_at", OffsetDateTime.class)))
                .list();
    }

    /**
     * The active mappings of an event's source and type; a null source matches every source. A
     * deleted mapping is never active.
     */
    List<Mapping> matching(String source, String eventType) {
        return db.sql("""
                        select * from trigger_mappings
                         where active and event_type = ? and (?::text is null or source = ?)
                         order by created_at, id""")
                .params(eventType, source, source)
                .query(TriggerMappings::map)
                .list();
    }

    private void recordVersion(Mapping m, boolean deleted, String createdBy) {
        db.sql("insert into trigger_mapping_versions (mapping_id, version, tenant_id, " + RULE_COLUMNS
                        + ", deleted, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(m.id(), m.version(), TenantContext.requireTenantId())
                .params(ruleParams(m.rule()))
                .params(deleted, createdBy, m.updatedAt())
                .update();
    }

    private static List<Object> ruleParams(Rule r) {
        // Arrays.asList, not List.of: expressions left out are nulls.
        return Arrays.asList(
                r.source(),
                r.eventType(),
                r.action().name(),
                r.condition(),
                r.multiplier(),
                r.reference(),
                r.amount(),
                r.campaignId(),
                r.active());
    }

    private static Rule rule(ResultSet rs) throws SQLException {
        return new Rule(
                rs.getString("source"),
                rs.getString("event_type"),
                Action.valueOf(rs.getString("action")),
                rs.getString("condition"),
                rs.getString("multiplier"),
                rs.getString("reference"),
                rs.getString("amount"),
                rs.getObject("campaign_id", UUID.class),
                rs.getBoolean("active"));
    }

    private static Mapping map(ResultSet rs, int row) throws SQLException {
        return new Mapping(
                rs.getObject("id", UUID.class),
                rule(rs),
                rs.getInt("version"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class),
                rs.getObject("deleted_at", OffsetDateTime.class));
    }
}
