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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
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
        return db.sql("""
                        select c.*, t.id as t_id, t.trigger_type, t.max_per_user, t.max_per_day, t.min_cooldown_seconds,
                               t.max_geo_distance_meters, t.latitude, t.longitude, t.required_user_info,
                               t.max_multiplier, t.conditions
                          from campaigns c left join campaign_triggers t on t.id = c.trigger_id
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
                        tokenUnits(campaignId),
                        engagements(campaignId),
                        segmentIds(campaignId)))
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

    private List<TokenUnit> tokenUnits(UUID campaignId) {
        return db.sql(
                        "select id, token_id, amount, max_amount from campaign_token_units where campaign_id = ? order by id")
                .param(campaignId)
                .query((rs, i) -> new TokenUnit(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getBigDecimal(3).toBigIntegerExact(),
                        rs.getBigDecimal(4) == null ? null : rs.getBigDecimal(4).toBigIntegerExact()))
                .list();
    }

    private Map<UUID, Engagement> engagements(UUID campaignId) {
        return db
                .sql(
                        "select business_id, max_per_business, max_per_day from campaign_engagements where campaign_id = ?")
                .param(campaignId)
                .query((rs, i) -> new Engagement(
                        rs.getObject(1, UUID.class), (Integer) rs.getObject(2), (Integer) rs.getObject(3)))
                .list()
                .stream()
                .collect(Collectors.toMap(Engagement::businessId, Function.identity()));
    }

    /** Empty: the campaign is for everyone; otherwise for the members of any of these segments. */
    private List<UUID> segmentIds(UUID campaignId) {
        return db.sql("select segment_id from campaign_segments where campaign_id = ? order by segment_id")
                .param(campaignId)
                .query(UUID.class)
                .list();
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
