package io.pers.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.stack.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The partner topic's step (routes/partner-events.yaml): partners produce canonical triggers to
 * {@value #TOPIC} themselves. The broker does not authenticate them, so each record names its
 * pers-webhook connection ({@code pers-connection} header) and is signed with that connection's
 * secret the Standard Webhooks way ({@code webhook-id}, {@code webhook-timestamp}, {@code
 * webhook-signature} headers); it then goes through the pers-webhook route like an HTTP delivery,
 * so both transports share one dedup key. A record that is refused (forged, unsigned, unknown
 * connection, not a canonical trigger) is counted in {@code pers.ingest.partner.refused}, logged
 * without its content, and skipped; one that could not be stored stops the partition to be read
 * again. The route commits the offset only after.
 */
@Component("partnerEvents")
class PartnerEvents {

    static final String TOPIC = "pers.partner-events";
    static final String CONNECTION_HEADER = "pers-connection";
    private static final String CONNECTOR = "pers-webhook";
    private static final String[] SIGNATURE_HEADERS = {"webhook-id", "webhook-timestamp", "webhook-signature"};
    private static final Logger log = LoggerFactory.getLogger(PartnerEvents.class);

    private final Ingest ingest;
    private final MeterRegistry meters;

    PartnerEvents(Ingest ingest, MeterRegistry meters, KafkaClients kafka) {
        this.ingest = ingest;
        this.meters = meters;
        kafka.createTopic(TOPIC);
    }

    public void take(Exchange exchange) {
        Message record = exchange.getIn();
        try {
            // A tombstone (no value) is refused like any unsigned record, not retried forever.
            byte[] value = record.getBody(byte[].class);
            Ingest.Delivery delivery = ingest.deliverAt(
                    CONNECTOR, connection(record), value == null ? new byte[0] : value, signatureHeaders(record), null);
            meters.counter(
                            "pers.ingest.partner.taken",
                            "status",
                            String.valueOf(delivery.body().get("status")))
                    .increment();
        } catch (PersException e) {
            if (e.code() == ErrorCode.SERVICE_UNAVAILABLE) {
                throw e;
            }
            meters.counter("pers.ingest.partner.refused", "code", e.code().name())
                    .increment();
            log.warn(
                    "Skipped record {}-{}@{}: {}",
                    TOPIC,
                    record.getHeader(KafkaConstants.PARTITION),
                    record.getHeader(KafkaConstants.OFFSET),
                    e.code());
        }
    }

    private static UUID connection(Message record) {
        try {
            return UUID.fromString(String.valueOf(header(record, CONNECTION_HEADER)));
        } catch (IllegalArgumentException e) {
            throw new PersException(ErrorCode.INVALID_SIGNATURE, "The record names no connection");
        }
    }

    private static Map<String, String> signatureHeaders(Message record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : SIGNATURE_HEADERS) {
            String value = header(record, name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    /** Kafka record headers arrive as bytes. */
    private static String header(Message record, String name) {
        Object value = record.getHeader(name);
        if (value == null) {
            return null;
        }
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
    }
}
