package io.pers.ingest;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.ingest.TriggerMappings.Rule;
import io.pers.ingest.TriggerMatching.Verdict;
import io.pers.tenant.TenantContext;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Simulate: the tenant's live mappings, or a draft not saved yet, run over events before anything
 * goes live: an event given, a sample a connector ships, or the last events a connection
 * delivered (as stored at ingest). Each event gets what it would produce: per mapping, whether it
 * fires, with which multiplier, or why not. Claims, enrols and stores nothing.
 */
@Component
class TriggerSimulator {

    /** At most this many of a connection's events per simulation; 10 when not said. */
    static final int MAX_EVENTS = 100;

    private static final int DEFAULT_LAST = 10;

    /** A sample is mapped as if delivered, through no connection. */
    private static final UUID NO_CONNECTION = new UUID(0, 0);

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /**
     * Where the events come from: exactly one of an event, a sample, a connection's {@code last}
     * events.
     */
    record Events(Map<String, Object> event, String sample, UUID connectionId, Integer last) {}

    /**
     * One event's outcome.
     *
     * @param receivedAt when PERS stored it (a connection's events only)
     * @param fires whether any mapping fires on it
     * @param mappings the verdict of each mapping about its connector and type (of the draft, when one is given)
     * @param reason when no mapping is about its connector and type: so it stays unmatched
     */
    record EventOutcome(
            String eventId,
            String connector,
            String type,
            String subject,
            OffsetDateTime receivedAt,
            boolean fires,
            List<Verdict> mappings,
            String reason) {}

    /** {@code mappings}: the outcome's verdicts when one {@code event} was given (the answer's first shape). */
    record Simulation(List<Verdict> mappings, List<EventOutcome> events) {}

    private record Stored(Map<String, Object> event, OffsetDateTime receivedAt) {}

    private final TriggerMatching matching;
    private final Connectors connectors;
    private final ConnectorConnections connections;
    private final IngestMapping ingestMapping;
    private final JdbcClient db;
    private final ObjectMapper json;

    TriggerSimulator(
            TriggerMatching matching,
            Connectors connectors,
            ConnectorConnections connections,
            IngestMapping ingestMapping,
            JdbcClient db,
            ObjectMapper json) {
        this.matching = matching;
        this.connectors = connectors;
        this.connections = connections;
        this.ingestMapping = ingestMapping;
        this.db = db;
        this.json = json;
    }

    /** {@code draft}: a rule already checked as a save would check it; null: the live mappings. */
    Simulation run(Events source, Rule draft) {
        int given = (source.event() == null ? 0 : 1)
                + (source.sample() == null ? 0 : 1)
                + (source.connectionId() == null ? 0 : 1);
        if (given != 1) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "Give exactly one of event, sample and connectionId");
        }
        if (source.last() != null && source.connectionId() == null) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED, "last counts a connection's events: give connectionId");
        }
        List<Stored> events = source.event() != null
                ? List.of(new Stored(source.event(), null))
                : source.sample() != null
                        ? sample(source.sample())
                        : lastEvents(source.connectionId(), source.last() == null ? DEFAULT_LAST : source.last());
        List<EventOutcome> outcomes =
                events.stream().map(e -> outcome(e, draft)).toList();
        return new Simulation(source.event() != null ? outcomes.get(0).mappings() : null, outcomes);
    }

    private EventOutcome outcome(Stored stored, Rule draft) {
        Map<String, Object> event = stored.event();
        List<Verdict> verdicts = draft == null ? matching.simulate(event) : List.of(matching.simulate(draft, event));
        String reason = verdicts.isEmpty()
                ? "no active mapping is about " + event.get("connector") + " " + event.get("type") + " events"
                : null;
        return new EventOutcome(
                text(event, "id"),
                text(event, "connector"),
                text(event, "type"),
                text(event, "subject"),
                stored.receivedAt(),
                verdicts.stream().anyMatch(Verdict::fires),
                verdicts,
                reason);
    }

    /** {@code <connector>/<sample>}, e.g. {@code shopify/orders-paid-big-spender}, mapped as a delivery is. */
    private List<Stored> sample(String name) {
        int slash = name.indexOf('/');
        String connector = slash < 0 ? name : name.substring(0, slash);
        Connectors.Sample sample = connectors
                .sample(connector, name.substring(slash + 1))
                .orElseThrow(() -> PersException.notFound("Sample"));
        IngestMapping.Batch batch = ingestMapping.canonical(
                connectors.find(connector).orElseThrow(),
                TenantContext.requireTenantId(),
                NO_CONNECTION,
                sample.headers(),
                sample.body());
        return batch.events().stream()
                .map(e -> new Stored(json.readValue(e.toString(), MAP), null))
                .toList();
    }

    /** The connection's last {@code last} events, newest first. */
    private List<Stored> lastEvents(UUID connectionId, int last) {
        connections.find(connectionId);
        return db.sql("""
                        select event::text, received_at from ingest_events where connection_id = ?
                         order by received_at desc, event_id limit ?""")
                .params(connectionId, last)
                .query((rs, n) ->
                        new Stored(json.readValue(rs.getString(1), MAP), rs.getObject(2, OffsetDateTime.class)))
                .list();
    }

    private static String text(Map<String, Object> event, String field) {
        return event.get(field) instanceof String s ? s : null;
    }
}
