package io.pers.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.pers.tenant.TenantContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The routes' last step, the same for every connector: records the canonical event under its real
 * unique key (tenant, source, event id), publishes it to the trigger topic, marks it published,
 * and only then sets the answer. A redelivery finds the row and answers 200 with the first event's
 * id; one whose first attempt stopped before publishing is published now (the matcher's claims are
 * idempotent per event, so a second publication mints nothing twice). A batch delivery records
 * each of its events so, and answers the counts. A single event's answer also names its id (for
 * {@code GET /v2/ingest-events/{id}}) and what its outcome is known to be at once.
 */
@Component("ingestLog")
class IngestLog {

    private final JdbcClient db;
    private final TriggerLog triggers;
    private final MeterRegistry meters;
    private final IngestOutcomes outcomes;

    IngestLog(JdbcClient db, TriggerLog triggers, MeterRegistry meters, IngestOutcomes outcomes) {
        this.db = db;
        this.outcomes = outcomes;
        this.triggers = triggers;
        this.meters = meters;
    }

    public void record(Exchange exchange) {
        if (exchange.getProperty(IngestMapping.IGNORED, false, Boolean.class)) {
            exchange.getMessage().setBody(new Ingest.Delivery(202, Map.of("status", "ignored")));
            return;
        }
        UUID connection = exchange.getProperty(Ingest.CONNECTION, ConnectorConnections.Resolved.class)
                .id();
        String connector = exchange.getProperty(Ingest.CONNECTOR, Connectors.Connector.class)
                .name();
        if (exchange.getIn().getBody() instanceof IngestMapping.Batch batch) {
            exchange.getMessage().setBody(recordAll(batch, connection, connector));
            return;
        }
        ObjectNode event = exchange.getIn().getBody(ObjectNode.class);
        Stored stored = record(event, connection);
        count(connector, stored.first(), 1);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", stored.first() ? "accepted" : "duplicate");
        body.put("eventId", eventId(event));
        body.put("id", stored.id());
        if (stored.first()) {
            // What can be told at once; the matcher decides the rest (GET /v2/ingest-events/{id}).
            IngestOutcomes.Outcome known = outcomes.known(
                    event.path("subject").asText(null), event.path("time").asText(null));
            body.put("outcome", known.state());
            if (known.code() != null) {
                body.put("code", known.code());
                body.put("reason", known.reason());
            }
        }
        exchange.getMessage().setBody(new Ingest.Delivery(stored.first() ? 202 : 200, body));
    }

    private Ingest.Delivery recordAll(IngestMapping.Batch batch, UUID connection, String connector) {
        List<String> eventIds = new ArrayList<>();
        int accepted = 0;
        for (ObjectNode event : batch.events()) {
            accepted += record(event, connection).first() ? 1 : 0;
            eventIds.add(eventId(event));
        }
        count(connector, true, accepted);
        count(connector, false, eventIds.size() - accepted);
        String status = accepted > 0 ? "accepted" : eventIds.isEmpty() ? "ignored" : "duplicate";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("accepted", accepted);
        body.put("duplicates", eventIds.size() - accepted);
        body.put("ignored", batch.ignored());
        body.put("eventIds", eventIds);
        return new Ingest.Delivery(status.equals("duplicate") ? 200 : 202, body);
    }

    /** The stored event's id, and whether this delivery was taken in (else: a redelivery). */
    record Stored(UUID id, boolean first) {}

    /**
     * Records and publishes one canonical event of the current tenant, taken in through the
     * connection: new, or a redelivery (published now if its first attempt never was).
     *
     * <p>A delivery that names no customer (subject) could never earn: a later delivery of the same
     * id that does name one is the vendor's correction (Square sends a payment again once its buyer
     * is known), and replaces it (same row and id, outcome RECEIVED again), so the payment earns.
     * Deduplication stays on the vendor's id, not on a content hash: an exact redelivery, and one
     * still without a customer, are duplicates as before; an identified event is never replaced;
     * and one row per vendor id is what a person looks the event up by. The matcher's verdict on
     * the replaced delivery, if it comes late, finds another subject and changes nothing.
     */
    Stored record(ObjectNode event, UUID connectionId) {
        UUID tenant = TenantContext.requireTenantId();
        String source = event.path("connector").asText();
        String eventId = eventId(event);
        String json = event.toString();
        Optional<UUID> taken = db.sql("""
                        insert into ingest_events (tenant_id, source, event_id, connection_id, event)
                        values (?, ?, ?, ?, ?::jsonb)
                        on conflict (tenant_id, source, event_id) do update
                           set event = excluded.event, connection_id = excluded.connection_id, received_at = now(),
                               published_at = null, outcome = 'RECEIVED', code = null, reason = null, claim_id = null,
                               mapping_id = null, mapping_version = null, decided_at = null
                         where coalesce(ingest_events.event->>'subject', '') = ''
                           and coalesce(excluded.event->>'subject', '') <> ''
                        returning id""")
                .params(tenant, source, eventId, connectionId, json)
                .query(UUID.class)
                .optional();
        Stored stored = taken.map(id -> new Stored(id, true)).orElse(null);
        if (stored == null) {
            record Earlier(UUID id, boolean published) {}
            Earlier earlier = db.sql(
                            "select id, published_at is not null from ingest_events where source = ? and event_id = ?")
                    .params(source, eventId)
                    .query((rs, i) -> new Earlier(rs.getObject(1, UUID.class), rs.getBoolean(2)))
                    .single();
            stored = new Stored(earlier.id(), false);
            if (earlier.published()) {
                return stored;
            }
        }
        String subject = event.path("subject").asText("");
        triggers.publish(tenant + ":" + subject, json);
        db.sql(
                        "update ingest_events set published_at = now() where source = ? and event_id = ? and published_at is null")
                .params(source, eventId)
                .update();
        return stored;
    }

    /** {@code pers_ingest_events_total{connector,outcome}}: events stored and published, or redelivered. */
    private void count(String connector, boolean accepted, int events) {
        if (events > 0) {
            meters.counter("pers.ingest.events", "connector", connector, "outcome", accepted ? "ACCEPTED" : "DUPLICATE")
                    .increment(events);
        }
    }

    private static String eventId(ObjectNode event) {
        return event.path("id").asText();
    }
}
