package io.pers.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.schibsted.spt.data.jslt.JsltException;
import io.micrometer.core.instrument.MeterRegistry;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.config.ConfigFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The routes' mapping step, the same for every connector: runs the connector's JSLT mapping file
 * over the verified payload (with {@code $headers}, the request headers lower-cased) and checks
 * the result is a canonical trigger (CloudEvents 1.0 JSON) against its JSON Schema. PERS, not the payload, sets the
 * {@code tenant} and {@code connector} extensions. A mapping that gives no {@code type} means
 * an event type this connector does not take: the delivery is answered 202 {@code ignored} and
 * counted ({@code pers.ingest.ignored}). A {@code batch} connector's body is a JSON array whose
 * every element is mapped on its own (HubSpot), giving a {@link Batch}.
 */
@Component("ingestMapping")
class IngestMapping {

    /** Exchange property: true when the delivery is of an event type the connector ignores. */
    static final String IGNORED = "persIgnored";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The canonical trigger's JSON Schema, a file of connectors/ beside the connectors. */
    static final String SCHEMA = "canonical-trigger.schema.json";

    private final MeterRegistry meters;
    private final Schema schema;

    IngestMapping(MeterRegistry meters, ConfigFiles files) {
        this.meters = meters;
        try {
            this.schema = SchemaRegistry.withDefaultDialect(
                            SpecificationVersion.DRAFT_2020_12,
                            registry -> registry.schemaRegistryConfig(SchemaRegistryConfig.builder()
                                    .formatAssertionsEnabled(true)
                                    .build()))
                    .getSchema(
                            files.connectorsFile(SCHEMA).getContentAsString(StandardCharsets.UTF_8), InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A batch delivery's events to record, and how many of its events were ignored. */
    record Batch(List<ObjectNode> events, int ignored) {}

    public void map(Exchange exchange) {
        Connectors.Connector connector = exchange.getProperty(Ingest.CONNECTOR, Connectors.Connector.class);
        ConnectorConnections.Resolved connection =
                exchange.getProperty(Ingest.CONNECTION, ConnectorConnections.Resolved.class);
        @SuppressWarnings("unchecked")
        Map<String, String> headers = exchange.getIn().getHeader(Ingest.HTTP_HEADERS, Map.class);
        Batch batch = canonical(
                connector,
                connection.tenantId(),
                connection.id(),
                headers,
                exchange.getIn().getBody(byte[].class));
        if (batch.ignored() > 0) {
            meters.counter("pers.ingest.ignored", "connector", connector.name()).increment(batch.ignored());
        }
        if (connector.batch()) {
            exchange.getIn().setBody(batch);
        } else if (batch.events().isEmpty()) {
            exchange.setProperty(IGNORED, true);
        } else {
            exchange.getIn().setBody(batch.events().get(0));
        }
    }

    /**
     * The canonical triggers a delivery's body gives (one, or a batch connector's several), and how
     * many of its events are of a type the connector does not take. Records nothing: simulate maps
     * a connector's shipped samples through it too.
     */
    Batch canonical(
            Connectors.Connector connector,
            UUID tenantId,
            UUID connectionId,
            Map<String, String> headers,
            byte[] body) {
        JsonNode payload = parse(body, connector.batch());
        ObjectNode headerNode = JsonNodeFactory.instance.objectNode();
        headers.forEach(headerNode::put);
        Map<String, JsonNode> variables =
                Map.of("headers", headerNode, "connection", TextNode.valueOf(String.valueOf(connectionId)));
        // Every event of a batch is mapped and checked before any is recorded: one bad event
        // refuses the delivery whole, so nothing of it is stored.
        List<ObjectNode> events = new ArrayList<>();
        int ignored = 0;
        for (JsonNode item : connector.batch() ? payload : List.of(payload)) {
            ObjectNode event = event(connector, tenantId, variables, item);
            if (event == null) {
                ignored++;
            } else {
                events.add(event);
            }
        }
        return new Batch(events, ignored);
    }

    /** The canonical trigger of one event, or null for an event type this connector does not take. */
    private ObjectNode event(
            Connectors.Connector connector, UUID tenantId, Map<String, JsonNode> variables, JsonNode item) {
        JsonNode mapped;
        try {
            mapped = connector.mapping().apply(variables, item);
        } catch (JsltException e) {
            throw new PersException(ErrorCode.INVALID_EVENT, "The payload does not fit the connector's mapping");
        }
        if (!(mapped instanceof ObjectNode event)) {
            throw new PersException(ErrorCode.INVALID_EVENT, "The mapping gave no event");
        }
        if (!event.path("type").isTextual() || event.path("type").asText().isBlank()) {
            return null;
        }
        event.put("specversion", "1.0");
        event.put("tenant", tenantId.toString());
        event.put("connector", connector.name());
        validate(event);
        return event;
    }

    /** The body as one JSON object, or for a batch connector one JSON array. */
    static JsonNode parse(byte[] body, boolean batch) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new PersException(ErrorCode.MALFORMED_JSON);
        }
        if (node == null || (batch ? !node.isArray() : !node.isObject())) {
            throw new PersException(
                    ErrorCode.MALFORMED_JSON,
                    batch ? "The body must be a JSON array" : "The body must be a JSON object");
        }
        return node;
    }

    /**
     * Checks the event against connectors/canonical-trigger.schema.json; the first error found is
     * the 400, naming the field.
     */
    void validate(ObjectNode event) {
        List<Error> errors = schema.validate(event.toString(), InputFormat.JSON);
        if (!errors.isEmpty()) {
            Error error = errors.get(0);
            // A missing property is reported at its parent; any other error at the field's JSON pointer.
            String field = error.getKeyword().equals("required")
                    ? error.getProperty()
                    : error.getInstanceLocation()
                            .toString()
                            .replaceFirst("^[/$.]+", "")
                            .replace('/', '.');
            throw new PersException(ErrorCode.INVALID_EVENT, field + ": " + error.getMessage());
        }
    }
}
