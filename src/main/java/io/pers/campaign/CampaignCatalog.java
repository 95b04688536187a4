package io.pers.campaign;

import io.pers.campaign.ClaimTerms.Engagement;
import io.pers.campaign.ClaimTerms.TokenUnit;
import io.pers.campaign.ClaimTerms.Trigger;
import io.pers.campaign.ClaimTerms.TriggerType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Read side of campaigns for claims: the terms a claim is judged by, and budgets. */
@Component
public class CampaignCatalog {

    /** A trigger source as a claim sees it: which campaign it awards and for which business. */
    public record Source(UUID id, UUID campaignId, UUID businessId, boolean active) {}

    private final JdbcClient db;

    CampaignCatalog(JdbcClient db) {
        this.db = db;
    }

    public Optional<ClaimTerms> claimTerms(UUID campaignId) {
        // One round trip: every claim reads its terms three times (intake, eligibility, mint).
        return db.sql("""
                        select c.*, t.id as t_id, t.trigger_type, t.max_per_user, t.max_per_day, t.min_cooldown_seconds,
                               t.max_geo_distance_meters, t.latitude, t.longitude, t.required_user_info,
                               t.max_multiplier, t.conditions,
                               u.unit_ids, u.unit_tokens, u.unit_amounts, u.unit_maxes,
                               e.engaged_businesses, e.engaged_max_per_business, e.engaged_max_per_day, s.segment_ids
                          from campaigns c left join campaign_triggers t on t.id = c.trigger_id
                          left join lateral (
                               select array_agg(id order by id) as unit_ids, array_agg(token_id order by id) as unit_tokens,
                                      array_agg(amount order by id) as unit_amounts,
                                      array_agg(max_amount order by id) as unit_maxes
                                 from campaign_token_units where campaign_id = c.id) u on true
                          left join lateral (
                               select array_agg(business_id) as engaged_businesses,
                                      array_agg(max_per_business) as engaged_max_per_business,
                                      array_agg(max_per_day) as engaged_max_per_day
                                 from campaign_engagements where campaign_id = c.id) e on true
                          left join lateral (
                               select array_agg(segment_id order by segment_id) as segment_ids
                                 from campaign_segments where campaign_id = c.id) s on true
                         where c.id = ?""")
                .param(campaignId)
                .query((rs, i) -> new ClaimTerms(
                        campaignId,
                        rs.getBoolean("is_active"),
                        rs.getBoolean("is_testnet"),
                        instant(rs.getTimestamp("start_date")),
                        instant(rs.getTimestamp("end_date")),
                        strings(rs.getArray("country_code_restrictions")),
                        rs.getObject("t_id") == null ? null : trigger(rs),
                        tokenUnits(rs),
                        engagements(rs),
                        List.of(elements(rs.getArray("segment_ids"), new UUID[0]))))
                .optional();
    }

    public Optional<Source> source(UUID triggerSourceId) {
        return db.sql("select id, campaign_id, business_id, active from trigger_sources where id = ?")
                .param(triggerSourceId)
                .query((rs, i) -> new Source(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class),
                        rs.getBoolean(4)))
                .optional();
    }

    /** Takes budget for one mint; false when the campaign's budget in this token is exhausted. */
    public boolean takeBudget(UUID tokenUnitId, BigInteger amount) {
        return db.sql("""
                        update campaign_token_units set used_amount = used_amount + ?
                         where id = ? and (max_amount is null or used_amount + ? <= max_amount)""")
                        .params(new BigDecimal(amount), tokenUnitId, new BigDecimal(amount))
                        .update()
                == 1;
    }

    /** Gives back budget a compensated claim had taken. */
    public void releaseBudget(UUID tokenUnitId, BigInteger amount) {
        db.sql("update campaign_token_units set used_amount = greatest(used_amount - ?, 0) where id = ?")
                .params(new BigDecimal(amount), tokenUnitId)
                .update();
    }

    private static List<TokenUnit> tokenUnits(ResultSet rs) throws SQLException {
        UUID[] ids = elements(rs.getArray("unit_ids"), new UUID[0]);
        UUID[] tokens = elements(rs.getArray("unit_tokens"), new UUID[0]);
        BigDecimal[] amounts = elements(rs.getArray("unit_amounts"), new BigDecimal[0]);
        BigDecimal[] maxes = elements(rs.getArray("unit_maxes"), new BigDecimal[0]);
        List<TokenUnit> units = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            units.add(new TokenUnit(
                    ids[i],
                    tokens[i],
                    amounts[i].toBigIntegerExact(),
                    maxes[i] == null ? null : maxes[i].toBigIntegerExact()));
        }
        return units;
    }

    private static Map<UUID, Engagement> engagements(ResultSet rs) throws SQLException {
        UUID[] businesses = elements(rs.getArray("engaged_businesses"), new UUID[0]);
        Integer[] perBusiness = elements(rs.getArray("engaged_max_per_business"), new Integer[0]);
        Integer[] perDay = elements(rs.getArray("engaged_max_per_day"), new Integer[0]);
        Map<UUID, Engagement> engagements = new HashMap<>();
        for (int i = 0; i < businesses.length; i++) {
            engagements.put(businesses[i], new Engagement(businesses[i], perBusiness[i], perDay[i]));
        }
        return engagements;
    }

    /** A PostgreSQL array's elements; an aggregate over no rows is null: none. */
    @SuppressWarnings("unchecked")
    private static <T> T[] elements(Array array, T[] none) throws SQLException {
        return array == null ? none : (T[]) array.getArray();
    }

    private static Trigger trigger(ResultSet rs) throws SQLException {
        return new Trigger(
                rs.getObject("t_id", UUID.class),
                TriggerType.valueOf(rs.getString("trigger_type")),
                (Integer) rs.getObject("max_per_user"),
                (Integer) rs.getObject("max_per_day"),
                (Integer) rs.getObject("min_cooldown_seconds"),
                (Integer) rs.getObject("max_geo_distance_meters"),
                (Double) rs.getObject("latitude"),
                (Double) rs.getObject("longitude"),
                strings(rs.getArray("required_user_info")),
                rs.getInt("max_multiplier"),
                strings(rs.getArray("conditions")));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
