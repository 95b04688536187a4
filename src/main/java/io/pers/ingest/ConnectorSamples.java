package io.pers.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pers.api.PersException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Checks, when PERS starts, that each connector's mapping gives every sample it ships a canonical
 * trigger with what a claim needs: the event id (dedup), the subject (the user's identity: who
 * earns, unless connector.yaml's {@code withoutSubject} lists its type), the event time (when it counts), and a type the connector's {@code events} declare. A
 * mapping that loses one of them on its own system's payloads stops the start, naming the sample
 * and the field, rather than storing events no one can claim. Samples of type no connector takes
 * (an ignored event) are fine: they show what is ignored.
 */
@Component
class ConnectorSamples {

    /** Mapped as if delivered through a connection of no tenant: nothing is stored. */
    private static final UUID NOBODY = new UUID(0, 0);

    private final Connectors connectors;
    private final IngestMapping mapping;

    ConnectorSamples(Connectors connectors, IngestMapping mapping) {
        this.connectors = connectors;
        this.mapping = mapping;
        for (Connectors.Connector connector : connectors.all()) {
            for (String name : connectors.sampleNames(connector.name())) {
                check(connector, name);
            }
        }
    }

    /** The canonical triggers a shipped sample gives, as its route would map it (one per item of a polled page). */
    List<ObjectNode> map(Connectors.Connector connector, String name) {
        Connectors.Sample sample = connectors
                .shipped(connector.name(), name)
                .orElseThrow(() -> new IllegalArgumentException("No sample " + connector.name() + "/" + name));
        List<byte[]> deliveries = new ArrayList<>();
        if (connector.polled()) {
            BookingPoller.items(sample.body(), connector.polling().itemsField())
                    .forEach(item -> deliveries.add(item.toString().getBytes(StandardCharsets.UTF_8)));
        } else {
            deliveries.add(sample.body());
        }
        List<ObjectNode> events = new ArrayList<>();
        for (byte[] delivery : deliveries) {
            events.addAll(mapping.canonical(connector, NOBODY, NOBODY, sample.headers(), delivery)
                    .events());
        }
        return events;
    }

    private void check(Connectors.Connector connector, String name) {
        String where = connector.location().replaceFirst("connector\\.yaml$", "samples/" + name + ".json");
        List<ObjectNode> events;
        try {
            events = map(connector, name);
        } catch (PersException | BookingPoller.PollFailed e) {
            throw new DescriptorFields.Invalid(where + ": the mapping refuses it: " + e.getMessage());
        }
        for (ObjectNode event : events) {
            for (String field : List.of("subject", "time")) {
                boolean exempt = field.equals("subject")
                        && connector
                                .withoutSubject()
                                .contains(event.path("type").asText());
                if (!exempt && event.path(field).asText("").isBlank()) {
                    throw new DescriptorFields.Invalid(where + ": " + field + ": the mapping gives none ("
                            + (field.equals("subject")
                                    ? "no one could earn by it"
                                    : "it could not be judged by its time")
                            + ")");
                }
            }
            String type = event.path("type").asText();
            if (!connector.events().isEmpty() && !connector.events().containsValue(type)) {
                throw new DescriptorFields.Invalid(where + ": type: " + type
                        + " is not among the canonical types connector.yaml's events declare");
            }
        }
    }
}
