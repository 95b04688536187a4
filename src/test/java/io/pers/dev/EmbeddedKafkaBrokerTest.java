package io.pers.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker keeps its log in the state folder: what was written survives a restart. */
class EmbeddedKafkaBrokerTest {

    @TempDir
    Path home;

    @Test
    void aRecordWrittenBeforeARestartIsReadAfterIt() throws Exception {
        int port = FreePorts.pick();
        int controllerPort = FreePorts.pick();
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(home, port, controllerPort);
                KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                        StringSerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                        StringSerializer.class))) {
            producer.send(new ProducerRecord<>("triggers", "tenant:user", "stay checked out"))
                    .get();
        }

        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(home, port, controllerPort);
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "restart-check",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        StringDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                        StringDeserializer.class))) {
            broker.awaitReady();
            consumer.subscribe(List.of("triggers"));
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(read::add);
            }
            assertThat(read).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("tenant:user");
                assertThat(record.value()).isEqualTo("stay checked out");
            });
        }
    }
}
