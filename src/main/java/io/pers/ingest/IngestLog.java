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
 * each of its events so, and answers the counts.
 */
@Component("ingestLog")
class IngestLog {

    private final JdbcClient db;
    private final TriggerLog triggers;
    private final MeterRegistry meters;

    IngestLog(JdbcClient db, TriggerLog triggers, MeterRegistry meters) {
        this.db = db;
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
        boolean first = record(event, connection);
        count(connector, first, 1);
        exchange.getMessage()
                .setBody(new Ingest.Delivery(
                        first ? 202 : 200,
                        Map.of("status", first ? "accepted" : "duplicate", "eventId", eventId(event))));
    }

    private Ingest.Delivery recordAll(IngestMapping.Batch batch, UUID connection, String connector) {
        List<String> eventIds = new ArrayList<>();
        int accepted = 0;
        for (ObjectNode event : batch.events()) {
            accepted += record(event, connection) ? 1 : 0;
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

    /**
     * Records and publishes one canonical event of the current tenant, taken in through the
     * connection; true when it is new, false for a redelivery (published now if its first
     * attempt never was).
     */
    boolean record(ObjectNode event, UUID connectionId) {
        UUID tenant = TenantContext.requireTenantId();
        String source = event.path("connector").asText();
        String eventId = eventId(event);
        String json = event.toString();
        boolean first =
                db.sql("""
                        insert into ingest_events (tenant_id, source, event_id, connection_id, event)
                        values (?, ?, ?, ?, ?::jsonb) on conflict do nothing""").params(tenant, source, eventId, connectionId, json).update() > 0;
        if (!first) {
            Optional<Boolean> published = db.sql(
                            "select published_at is not null from ingest_events where source = ? and event_id = ?")
                    .params(source, eventId)
                    .query(Boolean.class)
                    .optional();
            if (published.orElse(true)) {
                return false;
            }
        }
        String subject = event.path("subject").asText("");
        triggers.publish(tenant + ":" + subject, json);
        db.sql(
                        "update ingest_events set published_at = now() where source = ? and event_id = ? and published_at is null")
                .params(source, eventId)
                .update();
        return first;
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
