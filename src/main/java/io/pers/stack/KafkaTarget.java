package io.pers.stack;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the trigger log is: the bootstrap servers, the embedded broker when PERS runs its own, and
 * how long the admin calls made at start ({@link #createTopic}) may keep retrying a broker that is
 * slow to answer ({@code pers.kafka.start-timeout}).
 */
public record KafkaTarget(String bootstrapServers, EmbeddedService embedded, Duration startTimeout)
        implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaTarget.class);
    private static final Duration ATTEMPT = Duration.ofSeconds(10);
    private static final Duration BACKOFF = Duration.ofSeconds(1);

    /**
     * Creates the topic unless it exists. A timeout or a broker not ready yet (still starting, no
     * broker registered with the controller) is tried again until {@link #startTimeout()} has
     * passed; any other refusal fails at once.
     */
    public void createTopic(String topic, int partitions) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ATTEMPT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ATTEMPT.toMillis()))) {
            for (int attempt = 1; ; attempt++) {
                Exception failure;
                try {
                    admin.createTopics(
                                    List.of(new NewTopic(topic, partitions, (short) 1)),
                                    new CreateTopicsOptions().timeoutMs((int) ATTEMPT.toMillis()))
                            .all()
                            .get(ATTEMPT.toMillis() + 1000, TimeUnit.MILLISECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        return;
                    }
                    if (!(e.getCause() instanceof RetriableException
                            || e.getCause() instanceof InvalidReplicationFactorException)) {
                        throw new IllegalStateException("Could not create topic " + topic, e.getCause());
                    }
                    failure = (Exception) e.getCause();
                } catch (TimeoutException e) {
                    failure = e;
                }
                if (System.nanoTime() + BACKOFF.toNanos() >= deadline) {
                    throw new IllegalStateException(
                            "Could not create topic " + topic + " within " + startTimeout + " (" + attempt
                                    + " attempts; pers.kafka.start-timeout)",
                            failure);
                }
                log.warn("Creating topic {} (attempt {}) failed, trying again: {}", topic, attempt, failure.toString());
                Thread.sleep(BACKOFF.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic, e);
        }
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
