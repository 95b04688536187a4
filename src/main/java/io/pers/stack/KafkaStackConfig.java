package io.pers.stack;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Kafka, the trigger log: a cluster at {@code pers.kafka.bootstrap-servers}. Unset, the developer's
 * embedded stack stands in (a single-node KRaft broker in-process, {@code io.pers.dev}); the
 * packaged jar has none, and production mode never uses it ({@link StackMode}).
 */
@Configuration(proxyBeanMethods = false)
class KafkaStackConfig {

    @Bean(destroyMethod = "close")
    KafkaTarget kafkaTarget(
            @Value("${pers.kafka.bootstrap-servers:}") String bootstrapServers,
            @Value("${pers.kafka.start-timeout:60s}") Duration startTimeout,
            Environment env,
            ObjectProvider<EmbeddedStack> stack) {
        if (!bootstrapServers.isBlank()) {
            return new KafkaTarget(bootstrapServers, null, startTimeout);
        }
        EmbeddedService broker =
                StackMode.standIn(env, stack, StackMode.KAFKA_BOOTSTRAP_SERVERS).kafka();
        return new KafkaTarget(broker.address(), broker, startTimeout);
    }

    /** PERS is ready only once the broker started in the background is up. */
    @Bean
    SmartLifecycle kafkaStarted(KafkaTarget target) {
        return new AwaitOnStart(() -> {
            if (target.embedded() != null) {
                target.embedded().awaitReady();
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
