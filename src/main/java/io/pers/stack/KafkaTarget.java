package io.pers.stack;

import java.time.Duration;

/**
 * Where the trigger log is: the bootstrap servers, the embedded broker when PERS runs its own, and
 * how long the admin calls made at start ({@link KafkaClients#createTopic}) may keep retrying a
 * broker that is slow to answer ({@code pers.kafka.start-timeout}).
 */
public record KafkaTarget(String bootstrapServers, EmbeddedService embedded, Duration startTimeout)
        implements AutoCloseable {

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
