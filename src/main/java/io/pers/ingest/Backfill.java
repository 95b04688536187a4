package io.pers.ingest;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.claim.ClaimIntake;
import io.pers.claim.ClaimReversalIntake;
import io.pers.ingest.TriggerMappings.Action;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Re-feeds the events stored in a time range through the tenant's current trigger mappings: a
 * mapping added or corrected after its events arrived. A dry run reports which claims and
 * reversals would be started; with {@code apply} they are, through the matcher's own path, so
 * they carry the same idempotency sources as live ones and a second backfill (or a late live
 * event) starts nothing twice. Date windows judge each event's own time, as live.
 */
@Component
class Backfill {

    /** At most this many events per call; the report says where to go on. */
    static final int MAX_EVENTS = 1000;

    /** Changes listed in a report; the counts cover all of them. */
    static final int MAX_LISTED = 200;

    /** One mapping's effect on one stored event that it has not had yet. */
    record Change(String source, String eventId, String eventType, UUID mappingId, Action action, Long multiplier) {}

    /**
     * @param events stored events read
     * @param unchanged firing (event, mapping) pairs already applied
     * @param changes pairs not applied yet: started when {@code applied}
     * @param nextFrom where the next call starts when this one stopped at {@link #MAX_EVENTS}; null when done
     */
    record Report(
            OffsetDateTime from,
            OffsetDateTime to,
            boolean applied,
            int events,
            int unchanged,
            int changeCount,
            List<Change> changes,
            OffsetDateTime nextFrom) {}

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private record Stored(Map<String, Object> event, OffsetDateTime receivedAt) {}

    private final JdbcClient db;
    private final TriggerMatching matching;
    private final TriggerMatcher matcher;
    private final ClaimIntake claims;
    private final ClaimReversalIntake reversals;
    private final ObjectMapper json;

    Backfill(
            JdbcClient db,
            TriggerMatching matching,
            TriggerMatcher matcher,
            ClaimIntake claims,
            ClaimReversalIntake reversals,
            ObjectMapper json) {
        this.db = db;
        this.matching = matching;
        this.matcher = matcher;
        this.claims = claims;
        this.reversals = reversals;
        this.json = json;
    }

    /** Events received in [from, to), oldest first. */
    Report run(OffsetDateTime from, OffsetDateTime to, boolean apply) {
        if (!from.isBefore(to)) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "from must be before to");
        }
        List<Stored> stored = db.sql("""
                        select event::text, received_at from ingest_events
                         where received_at >= ? and received_at < ?
                         order by received_at, source, event_id limit ?""")
                .params(from, to, MAX_EVENTS + 1)
                .query((rs, n) ->
                        new Stored(json.readValue(rs.getString(1), MAP), rs.getObject(2, OffsetDateTime.class)))
                .list();
        OffsetDateTime nextFrom = null;
        if (stored.size() > MAX_EVENTS) {
            // Events received at the same instant as the first one left out are read again next
            // time: harmless, applying is idempotent.
            nextFrom = stored.get(MAX_EVENTS).receivedAt();
            stored = stored.subList(0, MAX_EVENTS);
        }
        int unchanged = 0;
        List<Change> changes = new ArrayList<>();
        for (Stored s : stored) {
            List<Change> missing = new ArrayList<>();
            List<TriggerMatching.Verdict> verdicts = matching.judge(s.event());
            for (TriggerMatching.Verdict verdict : verdicts) {
                if (!verdict.fires()) {
                    continue;
                }
                Change change = change(s.event(), verdict);
                if (applied(change)) {
                    unchanged++;
                } else {
                    missing.add(change);
                }
            }
            if (apply && !missing.isEmpty()) {
                matcher.apply(s.event(), verdicts);
            }
            changes.addAll(missing);
        }
        return new Report(
                from,
                to,
                apply,
                stored.size(),
                unchanged,
                changes.size(),
                changes.subList(0, Math.min(MAX_LISTED, changes.size())),
                nextFrom);
    }

    private static Change change(Map<String, Object> event, TriggerMatching.Verdict verdict) {
        return new Change(
                String.valueOf(event.get("connector")),
                String.valueOf(event.get("id")),
                String.valueOf(event.get("type")),
                verdict.mappingId(),
                verdict.action(),
                verdict.multiplier());
    }

    private boolean applied(Change change) {
        return change.action() == Action.REVERSE
                ? reversals.started(TriggerMatcher.caller(change.source()), change.eventId(), change.mappingId())
                : claims.claimed(TriggerMatcher.claimKey(change.source(), change.eventId(), change.mappingId()));
    }
}
