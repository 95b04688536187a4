package io.pers.ingest;

import io.pers.stack.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.stereotype.Component;

/**
 * The Kafka topic of canonical triggers, keyed {@code tenant:subject} so one user's events stay in
 * order. Each send waits for every in-sync replica (acks=all): a connector is answered only after.
 */
@Component
public class TriggerLog implements AutoCloseable {

    public static final String TOPIC = "pers.triggers";
    private static final long SEND_TIMEOUT_SECONDS = 15;

    private final KafkaProducer<String, byte[]> producer;

    TriggerLog(KafkaClients kafka) {
        kafka.createTopic(TOPIC);
        this.producer = new KafkaProducer<>(
                kafka.config(Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "pers-ingest")),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** Publishes and waits for the broker's acknowledgement. */
    void publish(String key, String event) {
        try {
            producer.send(new ProducerRecord<>(TOPIC, key, event.getBytes(StandardCharsets.UTF_8)))
                    .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing a trigger", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The trigger topic did not acknowledge the event", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
