package io.pers.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Kafka, the trigger log: a cluster at {@code pers.kafka.bootstrap-servers}, or else a single-node
 * KRaft broker in-process with its log under {@code pers.home}.
 */
@Configuration(proxyBeanMethods = false)
class KafkaStackConfig {

    @Bean(destroyMethod = "close")
    KafkaTarget kafkaTarget(
            @Value("${pers.kafka.bootstrap-servers:}") String bootstrapServers,
            @Value("${pers.home:.pers}") Path home,
            @Value("${pers.kafka.embedded-port:9092}") int port,
            @Value("${pers.kafka.embedded-controller-port:0}") int controllerPort,
            @Value("${pers.kafka.start-timeout:60s}") Duration startTimeout) {
        if (!bootstrapServers.isBlank()) {
            return new KafkaTarget(bootstrapServers, null, startTimeout);
        }
        // A fixed broker port keeps its controller beside it (9092 -> 9093); port 0 (tests) picks both.
        int brokerPort = port > 0 ? port : FreePorts.pick();
        int quorumPort = controllerPort > 0 ? controllerPort : port > 0 ? port + 1 : FreePorts.pick();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(home.resolve("kafka"), brokerPort, quorumPort);
        return new KafkaTarget(broker.bootstrapServers(), broker, startTimeout);
    }

    /** PERS is ready only once the broker started in the background is up. */
    @Bean
    SmartLifecycle kafkaStarted(KafkaTarget target) {
        return new AwaitOnStart(() -> {
            if (target.embedded() != null) {
                target.embedded().awaitStarted();
            }
        });
    }

    @Bean(destroyMethod = "close")
    Admin kafkaAdmin(KafkaClients clients) {
        return clients.admin(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000));
    }

    @Bean
    HealthIndicator kafka(Admin admin, KafkaTarget target) {
        return () -> {
            try {
                var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000));
                return Health.up()
                        .withDetail("bootstrapServers", target.bootstrapServers())
                        .withDetail("embedded", target.embedded() != null)
                        .withDetail("clusterId", cluster.clusterId().get(2, TimeUnit.SECONDS))
                        .withDetail(
                                "brokers",
                                cluster.nodes().get(2, TimeUnit.SECONDS).size())
                        .build();
            } catch (Exception e) {
                return Health.down()
                        .withDetail("bootstrapServers", target.bootstrapServers())
                        .withException(e)
                        .build();
            }
        };
    }
}
