package io.pers.campaign;

import io.pers.api.ErrorCode;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.campaign.Engagements.Engagement;
import io.pers.campaign.TokenUnits.TokenUnit;
import io.pers.segment.Segments;
import io.pers.tenant.TenantContext;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Campaigns of a tenant, returned with their token units and partner engagements. */
@Component
class Campaigns {

    record Campaign(
            UUID id,
            String name,
            String description,
            OffsetDateTime startDate,
            OffsetDateTime endDate,
            String imageUrl,
            String externalUrl,
            boolean isActive,
            boolean isTestnet,
            List<String> countryCodeRestrictions,
            List<String> tags,
            UUID triggerId,
            List<TokenUnit> tokenUnits,
            List<Engagement> engagements,
            List<UUID> segmentIds,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {

        Campaign with(List<TokenUnit> units, List<Engagement> engaged, List<UUID> segments) {
            return new Campaign(
                    id,
                    name,
                    description,
                    startDate,
                    endDate,
                    imageUrl,
                    externalUrl,
                    isActive,
                    isTestnet,
                    countryCodeRestrictions,
                    tags,
                    triggerId,
                    units,
                    engaged,
                    segments,
                    createdAt,
                    updatedAt);
        }
    }

    /** The fields of a create or an update; null leaves a field as it is. */
    record Details(
            String name,
            String description,
            OffsetDateTime startDate,
            OffsetDateTime endDate,
            String imageUrl,
            String externalUrl,
            Boolean isActive,
            Boolean isTestnet,
            List<String> countryCodeRestrictions,
            List<String> tags,
            UUID triggerId,
            List<UUID> segmentIds) {

        Details withTrigger(UUID trigger) {
            return new Details(
                    name,
                    description,
                    startDate,
                    endDate,
                    imageUrl,
                    externalUrl,
                    isActive,
                    isTestnet,
                    countryCodeRestrictions,
                    tags,
                    trigger,
                    segmentIds);
        }
    }

    /** A token unit made with its campaign: what a claim mints of the token, within the budget. */
    record NewUnit(UUID tokenId, BigInteger amount, BigInteger maxAmount) {}

    /**
     * What a list shows: {@code onlyLive} limits it to active campaigns that have not ended, as
     * callers other than admins and systems see them; {@code audience}, when not null, to the
     * campaigns that target no segment or one of these.
     */
    record Filter(Boolean active, String tag, UUID businessId, boolean onlyLive, List<UUID> audience) {}

    enum Flag {
        ACTIVE("is_active"),
        TESTNET("is_testnet");

        private final String column;

        Flag(String column) {
            this.column = column;
        }
    }

    /** Admins and systems see every campaign; other callers only the live ones. */
    static boolean onlyLiveFor(Principal caller) {
        return caller.role() != Role.ADMIN && caller.role() != Role.SYSTEM;
    }

    /**
     * The segments a caller belongs to, for targeted campaigns; null: sees them all. A user sees
     * the campaigns of their segments, an anonymous caller none; staff and partners see every one.
     */
    List<UUID> audienceOf(Principal caller) {
        return switch (caller.role()) {
            case USER -> segments.memberships(caller.subjectId());
            case PUBLIC -> List.of();
            default -> null;
        };
    }

    private static final String TARGETED_AT =
            " and (not exists (select 1 from campaign_segments s where s.campaign_id = c.id)"
                    + " or exists (select 1 from campaign_segments s where s.campaign_id = c.id and s.segment_id = any(?::uuid[])))";

    private static final String LIVE = " and c.is_active and (c.end_date is null or c.end_date > now())";

    private final JdbcClient db;
    private final Triggers triggers;
    private final TokenUnits tokenUnits;
    private final Engagements engagements;
    private final Segments segments;

    Campaigns(JdbcClient db, Triggers triggers, TokenUnits tokenUnits, Engagements engagements, Segments segments) {
        this.db = db;
        this.triggers = triggers;
        this.tokenUnits = tokenUnits;
        this.engagements = engagements;
        this.segments = segments;
    }

    @Transactional
    Campaign create(Details d) {
        requireTrigger(d.triggerId());
        requireSegments(d.segmentIds());
        UUID id = UUID.randomUUID();
        try {
            db.sql("""
                            insert into campaigns (id, tenant_id, name, description, start_date, end_date, image_url,
                                                   external_url, is_active, is_testnet, country_code_restrictions,
                                                   tags, trigger_id)
                            values (?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, false), coalesce(?, false),
                                    coalesce(?::text[], '{}'), coalesce(?::text[], '{}'), ?)""")
                    .params(
                            id,
                            TenantContext.requireTenantId(),
                            d.name(),
                            d.description(),
                            d.startDate(),
                            d.endDate(),
                            d.imageUrl(),
                            d.externalUrl(),
                            d.isActive(),
                            d.isTestnet(),
                            SqlArrays.text(d.countryCodeRestrictions()),
                            SqlArrays.text(d.tags()),
                            d.triggerId())
                    .update();
        } catch (DataIntegrityViolationException e) {
            throw endBeforeStart();
        }
        target(id, d.segmentIds());
        return find(id, false);
    }

    /**
     * A campaign with its trigger (its rules: made here, named after the campaign unless named) and
     * its token units, in one transaction: a refusal of any part leaves nothing made. Each part is
     * checked as its own endpoint checks it.
     */
    @Transactional
    Campaign create(Details d, Triggers.Rules trigger, List<NewUnit> units) {
        Details details = d;
        if (trigger != null) {
            details = d.withTrigger(
                    triggers.create(named(bothTriggers(d, trigger), d.name())).id());
        }
        Campaign made = create(details);
        return withUnits(made, units);
    }

    /**
     * Changes a campaign, its trigger's rules ({@code trigger}: the trigger it has, which every
     * campaign sharing it follows, or a new one when it has none) and adds token units, in one
     * transaction: a refusal of any part changes nothing.
     */
    @Transactional
    Campaign update(UUID id, Details d, Triggers.Rules trigger, List<NewUnit> units) {
        Details details = d;
        if (trigger != null) {
            Campaign current = find(id, false);
            bothTriggers(d, trigger);
            details = d.withTrigger(
                    current.triggerId() != null
                            ? triggers.update(current.triggerId(), trigger).id()
                            : triggers.create(named(trigger, d.name() != null ? d.name() : current.name()))
                                    .id());
        }
        return withUnits(update(id, details), units);
    }

    private Campaign withUnits(Campaign campaign, List<NewUnit> units) {
        if (units == null || units.isEmpty()) {
            return campaign;
        }
        for (NewUnit unit : units) {
            tokenUnits.add(campaign.id(), unit.tokenId(), unit.amount(), unit.maxAmount());
        }
        return find(campaign.id(), false);
    }

    private static Triggers.Rules bothTriggers(Details d, Triggers.Rules trigger) {
        if (d.triggerId() != null) {
            throw new PersException(
                            ErrorCode.VALIDATION_FAILED,
                            "trigger: give triggerId (an existing trigger) or trigger (its rules), not both")
                    .with("field", "trigger");
        }
        return trigger;
    }

    /** A new trigger's rules: named after its campaign unless named, and of a type. */
    private static Triggers.Rules named(Triggers.Rules r, String campaignName) {
        if (r.triggerType() == null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "trigger.triggerType is required for a new trigger")
                    .with("field", "trigger.triggerType");
        }
        return new Triggers.Rules(
                r.name() != null ? r.name() : campaignName,
                r.triggerType(),
                r.maxPerUser(),
                r.maxPerDay(),
                r.minCooldownSeconds(),
                r.maxGeoDistanceInMeters(),
                r.location(),
                r.requiredUserInfo(),
                r.maxMultiplier(),
                r.conditions());
    }

    /** Changes the given fields; the dates are checked as they end up, against each other. */
    @Transactional
    Campaign update(UUID id, Details d) {
        requireTrigger(d.triggerId());
        requireSegments(d.segmentIds());
        int updated;
        try {
            updated = db.sql("""
                            update campaigns set name = coalesce(?, name), description = coalesce(?, description),
                                   start_date = coalesce(?, start_date), end_date = coalesce(?, end_date),
                                   image_url = coalesce(?, image_url), external_url = coalesce(?, external_url),
                                   is_active = coalesce(?, is_active), is_testnet = coalesce(?, is_testnet),
                                   country_code_restrictions = coalesce(?::text[], country_code_restrictions),
                                   tags = coalesce(?::text[], tags), trigger_id = coalesce(?, trigger_id),
                                   updated_at = now()
                             where id = ?""")
                    .params(
                            d.name(),
                            d.description(),
                            d.startDate(),
                            d.endDate(),
                            d.imageUrl(),
                            d.externalUrl(),
                            d.isActive(),
                            d.isTestnet(),
                            SqlArrays.text(d.countryCodeRestrictions()),
                            SqlArrays.text(d.tags()),
                            d.triggerId(),
                            id)
                    .update();
        } catch (DataIntegrityViolationException e) {
            throw endBeforeStart();
        }
        if (updated == 0) {
            throw PersException.notFound("Campaign");
        }
        target(id, d.segmentIds());
        return find(id, false);
    }

    Campaign assignTrigger(UUID id, UUID triggerId) {
        return update(id, new Details(null, null, null, null, null, null, null, null, null, null, triggerId, null));
    }

    /** The campaign as this caller may see it: live, and targeted at them if targeted at all. */
    Campaign findFor(UUID id, Principal caller) {
        Campaign campaign = find(id, onlyLiveFor(caller));
        List<UUID> audience = audienceOf(caller);
        if (audience != null
                && !campaign.segmentIds().isEmpty()
                && Collections.disjoint(audience, campaign.segmentIds())) {
            throw PersException.notFound("Campaign");
        }
        return campaign;
    }

    Campaign find(UUID id, boolean onlyLive) {
        return db.sql("select * from campaigns c where c.id = ?" + (onlyLive ? LIVE : ""))
                .param(id)
                .query(Campaigns::map)
                .optional()
                .map(c -> withParts(List.of(c)).get(0))
                .orElseThrow(() -> PersException.notFound("Campaign"));
    }

    /** Fails unless the campaign exists and, for {@code onlyLive}, is live. */
    void requireExists(UUID id, boolean onlyLive) {
        if (!db.sql("select exists (select 1 from campaigns c where c.id = ?" + (onlyLive ? LIVE : "") + ")")
                .param(id)
                .query(Boolean.class)
                .single()) {
            throw PersException.notFound("Campaign");
        }
    }

    Page<Campaign> list(Filter filter, PageQuery page) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> params = new ArrayList<>();
        if (filter.onlyLive()) {
            where.append(LIVE);
        }
        if (filter.active() != null) {
            where.append(" and c.is_active = ?");
            params.add(filter.active());
        }
        if (filter.tag() != null) {
            where.append(" and c.tags @> array[?::text]");
            params.add(filter.tag().toLowerCase(Locale.ROOT));
        }
        if (filter.businessId() != null) {
            where.append(" and exists (select 1 from campaign_engagements g"
                    + " where g.campaign_id = c.id and g.business_id = ?)");
            params.add(filter.businessId());
        }
        if (filter.audience() != null) {
            where.append(TARGETED_AT);
            params.add(SqlArrays.uuids(filter.audience()));
        }
        long total = db.sql("select count(*) from campaigns c" + where)
                .params(params)
                .query(Long.class)
                .single();
        params.add(page.size());
        params.add(page.offset());
        List<Campaign> items = db.sql("select * from campaigns c" + where + page.orderBy("c.id") + " limit ? offset ?")
                .params(params)
                .query(Campaigns::map)
                .list();
        return new Page<>(withParts(items), page.page(), page.size(), total);
    }

    Campaign toggle(UUID id, Flag flag) {
        if (db.sql("update campaigns set " + flag.column + " = not " + flag.column
                                + ", updated_at = now() where id = ?")
                        .param(id)
                        .update()
                == 0) {
            throw PersException.notFound("Campaign");
        }
        return find(id, false);
    }

    /** Adds tags the campaign does not have yet. */
    Campaign addTags(UUID id, List<String> tags) {
        if (db.sql("""
                                update campaigns
                                   set tags = array(select t from unnest(tags) t union select t from unnest(?::text[]) t order by 1),
                                       updated_at = now()
                                 where id = ?""").params(SqlArrays.text(tags), id).update() == 0) {
            throw PersException.notFound("Campaign");
        }
        return find(id, false);
    }

    Campaign removeTag(UUID id, String tag) {
        if (db.sql(
                                "update campaigns set tags = array_remove(tags, ?), updated_at = now() where id = ? and ? = any(tags)")
                        .params(tag, id, tag)
                        .update()
                == 0) {
            requireExists(id, false);
            throw PersException.notFound("Tag");
        }
        return find(id, false);
    }

    /** Every tag in use by the tenant's campaigns, each once. */
    List<String> uniqueTags() {
        return db.sql("select distinct t from campaigns, unnest(tags) t order by t")
                .query(String.class)
                .list();
    }

    private void requireSegments(List<UUID> segmentIds) {
        if (segmentIds != null) {
            segments.requireExist(segmentIds);
        }
    }

    /** Replaces the segments the campaign targets; null leaves them, empty targets everyone. */
    private void target(UUID campaignId, List<UUID> segmentIds) {
        if (segmentIds == null) {
            return;
        }
        db.sql("delete from campaign_segments where campaign_id = ?")
                .param(campaignId)
                .update();
        for (UUID segment : segmentIds) {
            db.sql("insert into campaign_segments (tenant_id, campaign_id, segment_id) values (?, ?, ?)")
                    .params(TenantContext.requireTenantId(), campaignId, segment)
                    .update();
        }
    }

    private Map<UUID, List<UUID>> segmentsOf(List<UUID> campaignIds) {
        return db
                .sql("select campaign_id, segment_id from campaign_segments where campaign_id = any(?::uuid[])"
                        + " order by segment_id")
                .param(SqlArrays.uuids(campaignIds))
                .query((rs, i) -> Map.entry(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .list()
                .stream()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    }

    private void requireTrigger(UUID triggerId) {
        if (triggerId != null) {
            triggers.find(triggerId);
        }
    }

    /** Token units, engagements and segments of the campaigns, in three queries for the whole page. */
    private List<Campaign> withParts(List<Campaign> campaigns) {
        if (campaigns.isEmpty()) {
            return campaigns;
        }
        List<UUID> ids = campaigns.stream().map(Campaign::id).toList();
        Map<UUID, List<TokenUnit>> units = tokenUnits.of(ids);
        Map<UUID, List<Engagement>> engaged = engagements.of(ids);
        Map<UUID, List<UUID>> targeted = segmentsOf(ids);
        return campaigns.stream()
                .map(c -> c.with(
                        units.getOrDefault(c.id(), List.of()),
                        engaged.getOrDefault(c.id(), List.of()),
                        targeted.getOrDefault(c.id(), List.of())))
                .toList();
    }

    /** The only constraint a checked request can still break: the dates, once merged with the stored ones. */
    private static PersException endBeforeStart() {
        return new PersException(ErrorCode.VALIDATION_FAILED, "endDate must be after startDate");
    }

    private static Campaign map(ResultSet rs, int row) throws SQLException {
        return new Campaign(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("description"),
                rs.getObject("start_date", OffsetDateTime.class),
                rs.getObject("end_date", OffsetDateTime.class),
                rs.getString("image_url"),
                rs.getString("external_url"),
                rs.getBoolean("is_active"),
                rs.getBoolean("is_testnet"),
                SqlArrays.strings(rs.getArray("country_code_restrictions")),
                SqlArrays.strings(rs.getArray("tags")),
                rs.getObject("trigger_id", UUID.class),
                List.of(),
                List.of(),
                List.of(),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }
}
