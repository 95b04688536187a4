package io.pers.campaign;

import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.business.Businesses;
import io.pers.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Where claims come from (a QR code at a till, an NFC tag, a geofence, a connector), with how much they are used. */
@Component
class TriggerSources {

    enum Type {
        QR_CODE,
        API_WEBHOOK,
        NFC,
        GEOFENCE,
        CONNECTOR
    }

    /** Claims through the source that minted (or are minting): how many, by how many users, and the last. */
    record Analytics(long totalEngagements, long uniqueUsers, OffsetDateTime lastEngagedAt) {}

    record TriggerSource(
            UUID id,
            Type type,
            String name,
            UUID businessId,
            UUID campaignId,
            Map<String, Object> metadata,
            boolean active,
            Analytics analytics,
            OffsetDateTime createdAt) {}

    /** The fields of a create or an update; null leaves a field as it is. */
    record Details(
            Type type, String name, UUID businessId, UUID campaignId, Map<String, Object> metadata, Boolean active) {}

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private static final String SELECT = """
            select s.*, count(c.id) as engagements, count(distinct c.user_id) as users,
                   max(coalesce(c.decided_at, c.created_at)) as last_engaged
              from trigger_sources s
              left join claims c on c.trigger_source_id = s.id
                                and c.status in ('PENDING_SETTLEMENT', 'COMPLETED', 'SETTLED')""";

    private final JdbcClient db;
    private final ObjectMapper json;
    private final Businesses businesses;
    private final Campaigns campaigns;

    TriggerSources(JdbcClient db, ObjectMapper json, Businesses businesses, Campaigns campaigns) {
        this.db = db;
        this.json = json;
        this.businesses = businesses;
        this.campaigns = campaigns;
    }

    TriggerSource create(Details d) {
        requireReferences(d);
        UUID id = UUID.randomUUID();
        db.sql("""
                        insert into trigger_sources (id, tenant_id, type, name, business_id, campaign_id, metadata, active)
                        values (?, ?, ?, ?, ?, ?, coalesce(?::jsonb, '{}'), coalesce(?, true))""")
                .params(
                        id,
                        TenantContext.requireTenantId(),
                        d.type().name(),
                        d.name(),
                        d.businessId(),
                        d.campaignId(),
                        metadata(d),
                        d.active())
                .update();
        return find(id);
    }

    TriggerSource update(UUID id, Details d) {
        requireReferences(d);
        if (db.sql("""
                                update trigger_sources set type = coalesce(?, type), name = coalesce(?, name),
                                       business_id = coalesce(?, business_id), campaign_id = coalesce(?, campaign_id),
                                       metadata = coalesce(?::jsonb, metadata), active = coalesce(?, active)
                                 where id = ?""")
                        .params(
                                d.type() == null ? null : d.type().name(),
                                d.name(),
                                d.businessId(),
                                d.campaignId(),
                                metadata(d),
                                d.active(),
                                id)
                        .update()
                == 0) {
            throw PersException.notFound("Trigger source");
        }
        return find(id);
    }

    TriggerSource find(UUID id) {
        return db.sql(SELECT + " where s.id = ? group by s.id")
                .param(id)
                .query(this::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("Trigger source"));
    }

    /** All sources, or those of one business or one campaign. */
    Page<TriggerSource> list(PageQuery page, UUID businessId, UUID campaignId) {
        String where = " where (?::uuid is null or s.business_id = ?) and (?::uuid is null or s.campaign_id = ?)";
        return new Page<>(
                db.sql(SELECT + where + " group by s.id" + page.orderBy("s.id") + " limit ? offset ?")
                        .params(businessId, businessId, campaignId, campaignId, page.size(), page.offset())
                        .query(this::map)
                        .list(),
                page.page(),
                page.size(),
                db.sql("select count(*) from trigger_sources s" + where)
                        .params(businessId, businessId, campaignId, campaignId)
                        .query(Long.class)
                        .single());
    }

    /** Looked up under the tenant's row security, which the foreign keys do not apply. */
    private void requireReferences(Details d) {
        if (d.businessId() != null) {
            businesses.find(d.businessId());
        }
        if (d.campaignId() != null) {
            campaigns.requireExists(d.campaignId(), false);
        }
    }

    private String metadata(Details d) {
        return d.metadata() == null ? null : json.writeValueAsString(d.metadata());
    }

    private TriggerSource map(ResultSet rs, int row) throws SQLException {
        return new TriggerSource(
                rs.getObject("id", UUID.class),
                Type.valueOf(rs.getString("type")),
                rs.getString("name"),
                rs.getObject("business_id", UUID.class),
                rs.getObject("campaign_id", UUID.class),
                json.readValue(rs.getString("metadata"), MAP),
                rs.getBoolean("active"),
                new Analytics(
                        rs.getLong("engagements"),
                        rs.getLong("users"),
                        rs.getObject("last_engaged", OffsetDateTime.class)),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
