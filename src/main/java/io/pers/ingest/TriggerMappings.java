package io.pers.ingest;

import io.pers.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The trigger_mappings table: which connector events claim on which campaign, and how much; and
 * which take back what an earlier event earned (a refund reverses its order's claims).
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
     * @param condition CEL over {@code event}; null: always
     * @param multiplier CEL int expression over {@code event}, e.g. {@code int(double(event.data.total_price))}; CLAIM only
     * @param reference CEL over {@code event} naming the order (e.g. {@code event.data.order_id}); stored
     *     on a claim, and required to REVERSE: a refund finds the claims by it
     * @param amount CEL over {@code event} giving a decimal: for CLAIM the order's total (the basis a
     *     partial refund is measured against), for REVERSE the refunded sum; null: the whole order
     */
    record Mapping(
            UUID id,
            String source,
            String eventType,
            Action action,
            String condition,
            String multiplier,
            String reference,
            String amount,
            UUID campaignId,
            boolean active,
            OffsetDateTime createdAt) {}

    private final JdbcClient db;

    TriggerMappings(JdbcClient db) {
        this.db = db;
    }

    Mapping create(Mapping m) {
        db.sql("""
                        insert into trigger_mappings (id, tenant_id, source, event_type, action, condition, multiplier,
                                                      reference, amount, campaign_id, active)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        m.id(),
                        TenantContext.requireTenantId(),
                        m.source(),
                        m.eventType(),
                        m.action().name(),
                        m.condition(),
                        m.multiplier(),
                        m.reference(),
                        m.amount(),
                        m.campaignId(),
                        m.active())
                .update();
        return db.sql("select * from trigger_mappings where id = ?")
                .param(m.id())
                .query(TriggerMappings::map)
                .single();
    }

    List<Mapping> list() {
        return db.sql("select * from trigger_mappings order by created_at desc, id")
                .query(TriggerMappings::map)
                .list();
    }

    /** The active mappings of an event's source and type; a null source matches every source. */
    List<Mapping> matching(String source, String eventType) {
        return db.sql("""
                        select * from trigger_mappings
                         where active and event_type = ? and (?::text is null or source = ?)
                         order by created_at, id""")
                .params(eventType, source, source)
                .query(TriggerMappings::map)
                .list();
    }

    private static Mapping map(ResultSet rs, int row) throws SQLException {
        return new Mapping(
                rs.getObject("id", UUID.class),
                rs.getString("source"),
                rs.getString("event_type"),
                Action.valueOf(rs.getString("action")),
                rs.getString("condition"),
                rs.getString("multiplier"),
                rs.getString("reference"),
                rs.getString("amount"),
                rs.getObject("campaign_id", UUID.class),
                rs.getBoolean("active"),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
