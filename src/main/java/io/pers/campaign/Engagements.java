package io.pers.campaign;

import io.pers.api.PersException;
import io.pers.business.Businesses;
import io.pers.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The partner businesses allowed to award a campaign, each with its own caps. */
@Component
class Engagements {

    record Engagement(
            UUID campaignId,
            UUID businessId,
            String shortDescription,
            Integer maxPerBusiness,
            Integer maxPerDay,
            String externalUrl) {}

    /** What one upsert gives every business it names. */
    record Terms(String shortDescription, Integer maxPerBusiness, Integer maxPerDay, String externalUrl) {}

    private final JdbcClient db;
    private final Businesses businesses;

    Engagements(JdbcClient db, Businesses businesses) {
        this.db = db;
        this.businesses = businesses;
    }

    /**
     * Engages each business on the same terms, replacing the terms of those already engaged. All
     * businesses are looked up first (under the tenant's row security, which foreign keys skip),
     * and the rows are written by one statement, so an unknown business changes nothing.
     */
    List<Engagement> upsert(UUID campaignId, List<UUID> businessIds, Terms terms) {
        List<UUID> distinct = businessIds.stream().distinct().toList();
        distinct.forEach(businesses::find);
        db.sql("""
                        insert into campaign_engagements (id, tenant_id, campaign_id, business_id, short_description,
                                                          max_per_business, max_per_day, external_url)
                        select gen_random_uuid(), ?, ?, b, ?, ?, ?, ? from unnest(?::uuid[]) b
                        on conflict (campaign_id, business_id) do update
                           set short_description = excluded.short_description,
                               max_per_business = excluded.max_per_business,
                               max_per_day = excluded.max_per_day,
                               external_url = excluded.external_url""")
                .params(
                        TenantContext.requireTenantId(),
                        campaignId,
                        terms.shortDescription(),
                        terms.maxPerBusiness(),
                        terms.maxPerDay(),
                        terms.externalUrl(),
                        SqlArrays.uuids(distinct))
                .update();
        return list(campaignId);
    }

    void remove(UUID campaignId, UUID businessId) {
        if (db.sql("delete from campaign_engagements where campaign_id = ? and business_id = ?")
                        .params(campaignId, businessId)
                        .update()
                == 0) {
            throw PersException.notFound("Engagement");
        }
    }

    List<Engagement> list(UUID campaignId) {
        return of(List.of(campaignId)).getOrDefault(campaignId, List.of());
    }

    /** The engagements of several campaigns at once, by campaign. */
    Map<UUID, List<Engagement>> of(Collection<UUID> campaignIds) {
        return db
                .sql("select * from campaign_engagements where campaign_id = any(?::uuid[]) order by business_id")
                .param(SqlArrays.uuids(campaignIds))
                .query(Engagements::map)
                .list()
                .stream()
                .collect(Collectors.groupingBy(Engagement::campaignId));
    }

    private static Engagement map(ResultSet rs, int row) throws SQLException {
        return new Engagement(
                rs.getObject("campaign_id", UUID.class),
                rs.getObject("business_id", UUID.class),
                rs.getString("short_description"),
                (Integer) rs.getObject("max_per_business"),
                (Integer) rs.getObject("max_per_day"),
                rs.getString("external_url"));
    }
}
