package io.pers.segment;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.expression.Expressions;
import io.pers.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * User segments: a CEL condition over one variable, {@code user}, with the profile (id, email,
 * externalId, firstName, lastName, customData), {@code tier} (the status tier's name, "" without
 * one) and {@code activity} (claims: claims that minted; redeems: completed redeems). Membership is
 * evaluated when asked, never stored, so it always reflects the user as they are now. The user
 * view is read in one query over the users, tier and activity tables, read-only.
 */
@Component
public class Segments {

    record Segment(
            UUID id,
            String name,
            String description,
            String expression,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {}

    /** The fields of a create or an update; null leaves a field as it is. */
    record Details(String name, String description, String expression) {}

    record Population(UUID segmentId, long size, long evaluatedUsers, OffsetDateTime computedAt) {}

    /** Every segment's size, evaluated over the same users at one time (analytics). */
    public record Sizes(long evaluatedUsers, OffsetDateTime computedAt, List<Size> segments) {}

    public record Size(UUID segmentId, String name, long size) {}

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private static final String USER_VIEW = """
            select u.id, u.email, u.external_id, u.first_name, u.last_name, u.custom_data::text,
                   coalesce(t.name, '') as tier,
                   (select count(*) from claims c
                     where c.user_id = u.id and c.status in ('PENDING_SETTLEMENT', 'COMPLETED', 'SETTLED')) as claims,
                   (select count(*) from redemption_redeems r
                     where r.user_id = u.id and r.status = 'COMPLETED') as redeems
              from users u
              left join user_statuses s on s.user_id = u.id
              left join status_tiers t on t.id = s.tier_id""";

    private final JdbcClient db;
    private final Expressions expressions;
    private final ObjectMapper json;

    Segments(JdbcClient db, Expressions expressions, ObjectMapper json) {
        this.db = db;
        this.expressions = expressions;
        this.json = json;
    }

    Segment create(Details d) {
        if (d.name() == null || d.expression() == null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "name and expression are required");
        }
        expressions.validateUserCondition("expression", d.expression());
        UUID id = UUID.randomUUID();
        try {
            db.sql("insert into segments (id, tenant_id, name, description, expression) values (?, ?, ?, ?, ?)")
                    .params(id, TenantContext.requireTenantId(), d.name(), d.description(), d.expression())
                    .update();
        } catch (DuplicateKeyException e) {
            throw taken();
        }
        return find(id);
    }

    Segment update(UUID id, Details d) {
        if (d.expression() != null) {
            expressions.validateUserCondition("expression", d.expression());
        }
        int updated;
        try {
            updated = db.sql("""
                            update segments set name = coalesce(?, name), description = coalesce(?, description),
                                   expression = coalesce(?, expression), updated_at = now()
                             where id = ?""")
                    .params(d.name(), d.description(), d.expression(), id)
                    .update();
        } catch (DuplicateKeyException e) {
            throw taken();
        }
        if (updated == 0) {
            throw PersException.notFound("Segment");
        }
        return find(id);
    }

    void delete(UUID id) {
        try {
            if (db.sql("delete from segments where id = ?").param(id).update() == 0) {
                throw PersException.notFound("Segment");
            }
        } catch (DataIntegrityViolationException e) {
            throw new PersException(ErrorCode.CONFLICT_IN_USE, "A campaign targets this segment");
        }
    }

    Segment find(UUID id) {
        return db.sql("select * from segments where id = ?")
                .param(id)
                .query(Segments::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("Segment"));
    }

    List<Segment> list() {
        return db.sql("select * from segments order by name")
                .query(Segments::map)
                .list();
    }

    /** Fails with NOT_FOUND unless every id names a segment of the tenant. */
    public void requireExist(List<UUID> segmentIds) {
        for (UUID id : segmentIds) {
            find(id);
        }
    }

    /** The tenant's segments the user is in. */
    public List<UUID> memberships(UUID userId) {
        Map<String, Object> user = userView(userId);
        return list().stream()
                .filter(s -> expressions.holdsForUser(s.expression(), user))
                .map(Segment::id)
                .toList();
    }

    /** Whether the user is in at least one of the segments. */
    public boolean inAny(List<UUID> segmentIds, UUID userId) {
        Map<String, Object> user = userView(userId);
        return segmentIds.stream().map(this::find).anyMatch(s -> expressions.holdsForUser(s.expression(), user));
    }

    /**
     * Evaluates the segment over every user of the tenant, streaming them in one query: linear in
     * users (about a CEL evaluation and two indexed counts each), fine up to some hundred thousand
     * users per call; beyond that membership wants to be materialised as users change.
     */
    Population size(UUID segmentId) {
        Sizes sizes = sizes(List.of(find(segmentId)));
        return new Population(segmentId, sizes.segments().get(0).size(), sizes.evaluatedUsers(), sizes.computedAt());
    }

    /** The size of every segment of the tenant, by name, in one pass over the users. */
    public Sizes sizes() {
        return sizes(list());
    }

    /** Streams the user view once and evaluates each segment's condition on every user. */
    private Sizes sizes(List<Segment> segments) {
        AtomicLong evaluated = new AtomicLong();
        long[] members = new long[segments.size()];
        if (!segments.isEmpty()) {
            db.sql(USER_VIEW).query(rs -> {
                evaluated.incrementAndGet();
                Map<String, Object> user = user(rs);
                for (int i = 0; i < members.length; i++) {
                    if (expressions.holdsForUser(segments.get(i).expression(), user)) {
                        members[i]++;
                    }
                }
            });
        }
        List<Size> sizes = new ArrayList<>();
        for (int i = 0; i < members.length; i++) {
            sizes.add(new Size(segments.get(i).id(), segments.get(i).name(), members[i]));
        }
        return new Sizes(evaluated.get(), OffsetDateTime.now(), sizes);
    }

    private Map<String, Object> userView(UUID userId) {
        List<Map<String, Object>> found = new ArrayList<>();
        db.sql(USER_VIEW + " where u.id = ?").param(userId).query(rs -> {
            found.add(user(rs));
        });
        if (found.isEmpty()) {
            throw PersException.notFound("User");
        }
        return found.get(0);
    }

    /** Absent profile fields stay absent: a condition on them is false, as for trigger conditions. */
    private Map<String, Object> user(ResultSet rs) throws SQLException {
        Map<String, Object> user = new HashMap<>();
        user.put("id", rs.getObject("id", UUID.class).toString());
        putIfPresent(user, "email", rs.getString("email"));
        putIfPresent(user, "externalId", rs.getString("external_id"));
        putIfPresent(user, "firstName", rs.getString("first_name"));
        putIfPresent(user, "lastName", rs.getString("last_name"));
        user.put("customData", json.readValue(rs.getString("custom_data"), MAP));
        user.put("tier", rs.getString("tier"));
        user.put("activity", Map.of("claims", rs.getLong("claims"), "redeems", rs.getLong("redeems")));
        return user;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static PersException taken() {
        return new PersException(ErrorCode.ALREADY_EXISTS, "A segment with this name exists");
    }

    private static Segment map(ResultSet rs, int row) throws SQLException {
        return new Segment(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("expression"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }
}
