package io.pers.ingest;

import io.pers.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The trigger_mappings table: which connector events claim on which campaign, and how much. */
@Component
class TriggerMappings {

    /**
     * @param condition CEL over {@code event}; null: always
     * @param multiplier CEL int expression over {@code event}, e.g. {@code int(double(event.data.total_price))}
     */
    record Mapping(
            UUID id,
            String source,
            String eventType,
            String condition,
            String multiplier,
            UUID campaignId,
            boolean active,
            OffsetDateTime createdAt) {}

    private final JdbcClient db;

    TriggerMappings(JdbcClient db) {
        this.db = db;
    }

    Mapping create(Mapping m) {
        db.sql("""
                        insert into trigger_mappings (id, tenant_id, source, event_type, condition, multiplier,
                                                      campaign_id, active)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        m.id(),
                        TenantContext.requireTenantId(),
                        m.source(),
                        m.eventType(),
                        m.condition(),
                        m.multiplier(),
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
                rs.getString("condition"),
                rs.getString("multiplier"),
                rs.getObject("campaign_id", UUID.class),
                rs.getBoolean("active"),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
