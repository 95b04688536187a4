package io.pers.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pers.tenant.TenantContext;
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
 * idempotent per event, so a second publication mints nothing twice).
 */
@Component("ingestLog")
class IngestLog {

    private final JdbcClient db;
    private final TriggerLog triggers;

    IngestLog(JdbcClient db, TriggerLog triggers) {
        this.db = db;
        this.triggers = triggers;
    }

    public void record(Exchange exchange) {
        if (exchange.getProperty(IngestMapping.IGNORED, false, Boolean.class)) {
            exchange.getMessage().setBody(new Ingest.Delivery(202, Map.of("status", "ignored")));
            return;
        }
        ObjectNode event = exchange.getIn().getBody(ObjectNode.class);
        ConnectorConnections.Resolved connection =
                exchange.getProperty(Ingest.CONNECTION, ConnectorConnections.Resolved.class);
        UUID tenant = TenantContext.requireTenantId();
        String source = event.path("connector").asText();
        String eventId = event.path("id").asText();
        String json = event.toString();
        boolean first = db.sql("""
                        insert into ingest_events (tenant_id, source, event_id, connection_id, event)
                        values (?, ?, ?, ?, ?::jsonb) on conflict do nothing""")
                        .params(tenant, source, eventId, connection.id(), json)
                        .update()
                > 0;
        if (!first) {
            Optional<Boolean> published = db.sql(
                            "select published_at is not null from ingest_events where source = ? and event_id = ?")
                    .params(source, eventId)
                    .query(Boolean.class)
                    .optional();
            if (published.orElse(true)) {
                exchange.getMessage()
                        .setBody(new Ingest.Delivery(200, Map.of("status", "duplicate", "eventId", eventId)));
                return;
            }
        }
        String subject = event.path("subject").asText("");
        triggers.publish(tenant + ":" + subject, json);
        db.sql(
                        "update ingest_events set published_at = now() where source = ? and event_id = ? and published_at is null")
                .params(source, eventId)
                .update();
        exchange.getMessage()
                .setBody(new Ingest.Delivery(
                        first ? 202 : 200, Map.of("status", first ? "accepted" : "duplicate", "eventId", eventId)));
    }
}
