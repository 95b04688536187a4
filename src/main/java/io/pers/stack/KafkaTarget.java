package io.pers.stack;

/** Where the trigger log is: the bootstrap servers, and the embedded broker when PERS runs its own. */
public record KafkaTarget(String bootstrapServers, EmbeddedKafkaBroker embedded) implements AutoCloseable {

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
