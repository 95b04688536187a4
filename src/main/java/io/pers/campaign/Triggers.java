package io.pers.campaign;

import io.pers.api.ErrorCode;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.campaign.ClaimTerms.TriggerType;
import io.pers.expression.Expressions;
import io.pers.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Campaign triggers: who may claim, how often, how near, and under which CEL conditions. */
@Component
class Triggers {

    record Location(double latitude, double longitude) {}

    record Trigger(
            UUID id,
            String name,
            TriggerType triggerType,
            Integer maxPerUser,
            Integer maxPerDay,
            Integer minCooldownSeconds,
            Integer maxGeoDistanceInMeters,
            Location location,
            List<String> requiredUserInfo,
            int maxMultiplier,
            List<String> conditions,
            OffsetDateTime createdAt) {}

    /** The rules of a create or an update; null leaves a rule as it is. */
    record Rules(
            String name,
            TriggerType triggerType,
            Integer maxPerUser,
            Integer maxPerDay,
            Integer minCooldownSeconds,
            Integer maxGeoDistanceInMeters,
            Location location,
            List<String> requiredUserInfo,
            Integer maxMultiplier,
            List<String> conditions) {}

    private final JdbcClient db;
    private final Expressions expressions;

    Triggers(JdbcClient db, Expressions expressions) {
        this.db = db;
        this.expressions = expressions;
    }

    Trigger create(Rules r) {
        validateConditions(r);
        UUID id = UUID.randomUUID();
        try {
            db.sql("""
                            insert into campaign_triggers (id, tenant_id, name, trigger_type, max_per_user, max_per_day,
                                min_cooldown_seconds, max_geo_distance_meters, latitude, longitude, required_user_info,
                                max_multiplier, conditions)
                            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?::text[], '{}'), coalesce(?, 1),
                                    coalesce(?::text[], '{}'))""")
                    .params(
                            id,
                            TenantContext.requireTenantId(),
                            r.name(),
                            r.triggerType().name(),
                            r.maxPerUser(),
                            r.maxPerDay(),
                            r.minCooldownSeconds(),
                            r.maxGeoDistanceInMeters(),
                            latitude(r),
                            longitude(r),
                            SqlArrays.text(r.requiredUserInfo()),
                            r.maxMultiplier(),
                            SqlArrays.text(r.conditions()))
                    .update();
        } catch (DataIntegrityViolationException e) {
            throw distanceWithoutLocation();
        }
        return find(id);
    }

    /** Changes the given rules; a distance is checked against the location it ends up with. */
    Trigger update(UUID id, Rules r) {
        validateConditions(r);
        int updated;
        try {
            updated = db.sql("""
                            update campaign_triggers set name = coalesce(?, name), trigger_type = coalesce(?, trigger_type),
                                   max_per_user = coalesce(?, max_per_user), max_per_day = coalesce(?, max_per_day),
                                   min_cooldown_seconds = coalesce(?, min_cooldown_seconds),
                                   max_geo_distance_meters = coalesce(?, max_geo_distance_meters),
                                   latitude = coalesce(?, latitude), longitude = coalesce(?, longitude),
                                   required_user_info = coalesce(?::text[], required_user_info),
                                   max_multiplier = coalesce(?, max_multiplier),
                                   conditions = coalesce(?::text[], conditions)
                             where id = ?""")
                    .params(
                            r.name(),
                            r.triggerType() == null ? null : r.triggerType().name(),
                            r.maxPerUser(),
                            r.maxPerDay(),
                            r.minCooldownSeconds(),
                            r.maxGeoDistanceInMeters(),
                            latitude(r),
                            longitude(r),
                            SqlArrays.text(r.requiredUserInfo()),
                            r.maxMultiplier(),
                            SqlArrays.text(r.conditions()),
                            id)
                    .update();
        } catch (DataIntegrityViolationException e) {
            throw distanceWithoutLocation();
        }
        if (updated == 0) {
            throw PersException.notFound("Trigger");
        }
        return find(id);
    }

    Trigger find(UUID id) {
        return db.sql("select * from campaign_triggers where id = ?")
                .param(id)
                .query(Triggers::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("Trigger"));
    }

    Page<Trigger> list(PageQuery page) {
        return new Page<>(
                db.sql("select * from campaign_triggers" + page.orderBy() + " limit ? offset ?")
                        .params(page.size(), page.offset())
                        .query(Triggers::map)
                        .list(),
                page.page(),
                page.size(),
                db.sql("select count(*) from campaign_triggers")
                        .query(Long.class)
                        .single());
    }

    /** Conditions are CEL, checked when saved so that a typo never reaches a claim. */
    private void validateConditions(Rules r) {
        if (r.conditions() != null) {
            expressions.validateConditions("conditions", r.conditions());
        }
    }

    /** The only constraint a checked request can still break, once merged with the stored rules. */
    private static PersException distanceWithoutLocation() {
        return new PersException(ErrorCode.VALIDATION_FAILED, "maxGeoDistanceInMeters requires a location");
    }

    private static Double latitude(Rules r) {
        return r.location() == null ? null : r.location().latitude();
    }

    private static Double longitude(Rules r) {
        return r.location() == null ? null : r.location().longitude();
    }

    private static Trigger map(ResultSet rs, int row) throws SQLException {
        Double latitude = (Double) rs.getObject("latitude");
        return new Trigger(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                TriggerType.valueOf(rs.getString("trigger_type")),
                (Integer) rs.getObject("max_per_user"),
                (Integer) rs.getObject("max_per_day"),
                (Integer) rs.getObject("min_cooldown_seconds"),
                (Integer) rs.getObject("max_geo_distance_meters"),
                latitude == null ? null : new Location(latitude, rs.getDouble("longitude")),
                SqlArrays.strings(rs.getArray("required_user_info")),
                rs.getInt("max_multiplier"),
                SqlArrays.strings(rs.getArray("conditions")),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
