package io.pers.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pers.api.ErrorCode;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PagedQuery;
import io.pers.api.PersException;
import io.pers.claim.ClaimRejected;
import io.pers.event.DomainEvents;
import io.pers.workflow.claim.ClaimTuning;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * What became of each ingest event (ingest_events.outcome): RECEIVED until the trigger matcher
 * judges it, then CLAIMED, REVERSED, REJECTED or UNMATCHED, with a code and reason, the claim and
 * the mapping that decided it. The matcher writes it once per event; a claim its workflow rejects
 * later writes REJECTED from the rejection's own transaction. An event that cannot earn is told to
 * partners as {@code trigger.unmatched} or {@code trigger.rejected}.
 */
@Component
class IngestOutcomes {

    enum State {
        RECEIVED,
        CLAIMED,
        REVERSED,
        REJECTED,
        UNMATCHED
    }

    /** Codes of an UNMATCHED event: no customer (subject), no active mapping, none that fired. */
    static final String NO_IDENTITY = "NO_IDENTITY";

    static final String NO_ACTIVE_MAPPING = "NO_ACTIVE_MAPPING";
    static final String NO_MAPPING_FIRED = "NO_MAPPING_FIRED";

    /** UNMATCHED: the event names no customer, so a claim would have nobody to credit. */
    static final Outcome NO_CUSTOMER = Outcome.of(
            State.UNMATCHED,
            NO_IDENTITY,
            "the event names no customer (subject): it cannot earn; a refund, found by its order, still applies");

    /** An event's outcome; {@code code}, {@code reason}, the claim and the mapping where they apply. */
    record Outcome(State state, String code, String reason, UUID claimId, UUID mappingId, Integer mappingVersion) {

        static Outcome of(State state, String code, String reason) {
            return new Outcome(state, code, reason, null, null, null);
        }

        Outcome by(UUID mappingId, Integer mappingVersion) {
            return new Outcome(state, code, reason, claimId, mappingId, mappingVersion);
        }
    }

    /**
     * One ingest event as the API and partner events show it.
     *
     * @param event the canonical trigger as stored; only on {@code GET /v2/ingest-events/{id}}
     */
    record IngestEvent(
            UUID id,
            UUID connectionId,
            String source,
            String eventId,
            String type,
            String subject,
            State outcome,
            String code,
            String reason,
            UUID claimId,
            UUID mappingId,
            Integer mappingVersion,
            OffsetDateTime receivedAt,
            OffsetDateTime decidedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> event) {}

    record Filter(UUID connectionId, State outcome, Instant since) {}

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final String COLUMNS = "id, connection_id, source, event_id, event->>'type' as type,"
            + " event->>'subject' as subject, outcome, code, reason, claim_id, mapping_id, mapping_version,"
            + " received_at, decided_at";

    private final JdbcClient db;
    private final DomainEvents events;
    private final TransactionTemplate tx;
    private final ClaimTuning tuning;
    private final ObjectMapper json;

    IngestOutcomes(JdbcClient db, DomainEvents events, TransactionTemplate tx, ClaimTuning tuning, ObjectMapper json) {
        this.db = db;
        this.events = events;
        this.tx = tx;
        this.tuning = tuning;
        this.json = json;
    }

    /**
     * What can be told the moment an event is stored, before any mapping is read: it names no
     * customer, so it cannot earn; or its time lies beyond what a claim believes (the claim would
     * be rejected with EVENT_TIME_OUT_OF_RANGE); else RECEIVED (the matcher decides).
     */
    Outcome known(String subject, String time) {
        if (subject == null || subject.isBlank()) {
            return NO_CUSTOMER;
        }
        Optional<Instant> at = TriggerMatching.time(time);
        if (at.isPresent() && !tuning.eventTime().believable(at.get(), Instant.now())) {
            return Outcome.of(
                    State.REJECTED,
                    ErrorCode.EVENT_TIME_OUT_OF_RANGE.name(),
                    "the event's time is older than "
                            + tuning.eventTime().maxAge().toDays() + " days or more than "
                            + tuning.eventTime().maxSkew().toMinutes() + " minutes ahead: it cannot earn");
        }
        return Outcome.of(State.RECEIVED, null, null);
    }

    /**
     * The matcher's verdict on the stored event it read (in the current tenant), with the partner
     * event when it cannot earn; the event's id, or empty when the row is gone (purged) or holds
     * another delivery now: a corrected delivery that replaced it (its subject differs). A claim's
     * rejection recorded already stays: the matcher, reading the event again, does not undo it.
     */
    Optional<UUID> record(String source, String eventId, String subject, Outcome outcome) {
        return tx.execute(status -> {
            Optional<IngestEvent> updated = db.sql("""
                            update ingest_events
                               set outcome = ?, code = ?, reason = ?, claim_id = ?, mapping_id = ?,
                                   mapping_version = ?, decided_at = now()
                             where source = ? and event_id = ? and coalesce(event->>'subject', '') = ?
                               and not (outcome = 'REJECTED' and claim_id is not distinct from ?)
                            returning\s""" + COLUMNS)
                    .params(
                            outcome.state().name(),
                            outcome.code(),
                            outcome.reason(),
                            outcome.claimId(),
                            outcome.mappingId(),
                            outcome.mappingVersion(),
                            source,
                            eventId,
                            subject == null ? "" : subject,
                            outcome.claimId())
                    .query(this::map)
                    .optional();
            updated.ifPresent(this::tellPartners);
            return updated.map(IngestEvent::id);
        });
    }

    /** A claim of a connector's event rejected: the event takes the rejection, in the same transaction. */
    @EventListener
    void claimRejected(ClaimRejected rejected) {
        db.sql("""
                        update ingest_events
                           set outcome = 'REJECTED', code = ?, reason = ?, claim_id = ?, mapping_id = ?,
                               mapping_version = ?, decided_at = now()
                         where id = ?
                        returning\s""" + COLUMNS)
                .params(
                        rejected.code(),
                        "the claim was rejected: " + rejected.code(),
                        rejected.claimId(),
                        rejected.mappingId(),
                        rejected.mappingVersion(),
                        rejected.ingestEventId())
                .query(this::map)
                .optional()
                .ifPresent(this::tellPartners);
    }

    /** {@code trigger.unmatched} or {@code trigger.rejected}, once per event and type; nothing for others. */
    private void tellPartners(IngestEvent event) {
        if (event.outcome() == State.UNMATCHED || event.outcome() == State.REJECTED) {
            events.record("trigger." + event.outcome().name().toLowerCase(Locale.ROOT), event.id(), event);
        }
    }

    Page<IngestEvent> list(Filter filter, PageQuery page) {
        return PagedQuery.from("ingest_events")
                .and("connection_id = ?", filter.connectionId())
                .and("outcome = ?", filter.outcome())
                .and("received_at >= ?", filter.since() == null ? null : Timestamp.from(filter.since()))
                .page(db, COLUMNS, page, this::map);
    }

    IngestEvent find(UUID id) {
        return db.sql("select " + COLUMNS + ", event::text as body from ingest_events where id = ?")
                .param(id)
                .query((rs, i) -> view(rs, json.readValue(rs.getString("body"), MAP)))
                .optional()
                .orElseThrow(() -> PersException.notFound("Ingest event"));
    }

    private IngestEvent map(ResultSet rs, int row) throws SQLException {
        return view(rs, null);
    }

    private static IngestEvent view(ResultSet rs, Map<String, Object> event) throws SQLException {
        return new IngestEvent(
                rs.getObject("id", UUID.class),
                rs.getObject("connection_id", UUID.class),
                rs.getString("source"),
                rs.getString("event_id"),
                rs.getString("type"),
                rs.getString("subject"),
                State.valueOf(rs.getString("outcome")),
                rs.getString("code"),
                rs.getString("reason"),
                rs.getObject("claim_id", UUID.class),
                rs.getObject("mapping_id", UUID.class),
                (Integer) rs.getObject("mapping_version"),
                rs.getObject("received_at", OffsetDateTime.class),
                rs.getObject("decided_at", OffsetDateTime.class),
                event);
    }
}
