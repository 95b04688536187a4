package io.pers.stack;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one place PERS's Kafka clients are configured: every producer, consumer and admin client
 * (Camel's kafka component, the trigger log's producer, topic creation, the health check) gets the
 * target's bootstrap servers and, on an external cluster, its security settings
 * ({@link KafkaClientSettings}). Topics are created with the configured partitions and replication.
 */
@Component
public class KafkaClients {

    private static final Logger log = LoggerFactory.getLogger(KafkaClients.class);
    private static final Duration ATTEMPT = Duration.ofSeconds(10);
    private static final Duration BACKOFF = Duration.ofSeconds(1);

    private final KafkaTarget target;
    private final KafkaClientSettings settings;

    KafkaClients(KafkaTarget target, KafkaClientSettings settings) {
        this.target = target;
        this.settings = settings;
    }

    public String bootstrapServers() {
        return target.bootstrapServers();
    }

    /** A client's configuration: bootstrap servers, the cluster's security settings, then the client's own. */
    public Map<String, Object> config(Map<String, Object> own) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers());
        if (target.embedded() == null) {
            config.putAll(settings.clientProperties());
        }
        config.putAll(own);
        return config;
    }

    /** Camel's kafka component: the same brokers and security. */
    public void configure(KafkaConfiguration camel) {
        camel.setBrokers(target.bootstrapServers());
        if (target.embedded() == null) {
            settings.applyTo(camel);
        }
    }

    /** An admin client, e.g. for the health check; the caller closes it. */
    public Admin admin(Map<String, Object> own) {
        return Admin.create(config(own));
    }

    /** The topic as PERS creates it: the embedded single broker holds one replica whatever is configured. */
    NewTopic newTopic(String topic) {
        KafkaClientSettings.Topics topics = settings.topics();
        Optional<Short> replication =
                target.embedded() != null ? Optional.of((short) 1) : Optional.ofNullable(topics.replicationFactor());
        NewTopic newTopic = new NewTopic(topic, Optional.of(topics.partitions()), replication);
        if (target.embedded() == null && topics.minInsyncReplicas() != null) {
            newTopic.configs(
                    Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(topics.minInsyncReplicas())));
        }
        return newTopic;
    }

    /**
     * Creates the topic unless it exists. A timeout or a broker not ready yet (still starting, no
     * broker registered with the controller) is tried again until {@code pers.kafka.start-timeout}
     * has passed; any other refusal fails at once. An existing topic is left as it is.
     */
    public void createTopic(String topic) {
        if (target.embedded() != null) {
            // The embedded broker starts in the background: a client sooner would only log refused connections.
            target.embedded().awaitReady();
        }
        Duration startTimeout = target.startTimeout();
        long deadline = System.nanoTime() + startTimeout.toNanos();
        NewTopic newTopic = newTopic(topic);
        try (Admin admin = admin(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ATTEMPT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ATTEMPT.toMillis()))) {
            for (int attempt = 1; ; attempt++) {
                Exception failure;
                try {
                    admin.createTopics(List.of(newTopic), new CreateTopicsOptions().timeoutMs((int) ATTEMPT.toMillis()))
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
                                    + " attempts; pers.kafka.start-timeout, pers.kafka.topics.*)",
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
}
