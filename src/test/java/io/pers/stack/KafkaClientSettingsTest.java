package io.pers.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** pers.kafka.* as an operator sets it, mapped onto the Kafka and Camel client settings. */
class KafkaClientSettingsTest {

    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"pers\" password=\"s3cret\";";

    private static KafkaClientSettings bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("pers.kafka", KafkaClientSettings.class);
    }

    private static final Map<String, String> SASL_SSL = Map.of(
            "pers.kafka.bootstrap-servers", "b1.kafka.example:9094,b2.kafka.example:9094",
            "pers.kafka.security-protocol", "sasl_ssl",
            "pers.kafka.sasl.mechanism", "SCRAM-SHA-512",
            "pers.kafka.sasl.jaas-config", JAAS,
            "pers.kafka.ssl.truststore-location", "/etc/pers/kafka-truststore.p12",
            "pers.kafka.ssl.truststore-password", "trust-pass",
            "pers.kafka.ssl.truststore-type", "PKCS12",
            "pers.kafka.topics.partitions", "12",
            "pers.kafka.topics.replication-factor", "3",
            "pers.kafka.topics.min-insync-replicas", "2");

    private static KafkaClients external(KafkaClientSettings settings) {
        return new KafkaClients(
                new KafkaTarget("b1.kafka.example:9094,b2.kafka.example:9094", null, Duration.ofSeconds(5)), settings);
    }

    @Test
    void securityPropertiesBecomeKafkaClientSettings() {
        Map<String, Object> config = external(bind(SASL_SSL)).config(Map.of("client.id", "pers-ingest"));

        assertThat(config)
                .containsEntry("bootstrap.servers", "b1.kafka.example:9094,b2.kafka.example:9094")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("ssl.truststore.location", "/etc/pers/kafka-truststore.p12")
                .containsEntry("ssl.truststore.password", "trust-pass")
                .containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("client.id", "pers-ingest")
                .doesNotContainKeys("ssl.keystore.location", "ssl.endpoint.identification.algorithm");
    }

    @Test
    void camelsKafkaComponentGetsTheSameSettings() {
        KafkaConfiguration camel = new KafkaConfiguration();
        external(bind(SASL_SSL)).configure(camel);

        assertThat(camel.getBrokers()).isEqualTo("b1.kafka.example:9094,b2.kafka.example:9094");
        assertThat(camel.getSecurityProtocol()).isEqualTo("SASL_SSL");
        assertThat(camel.getSaslMechanism()).isEqualTo("SCRAM-SHA-512");
        assertThat(camel.getSaslJaasConfig()).isEqualTo(JAAS);
        assertThat(camel.getSslTruststoreLocation()).isEqualTo("/etc/pers/kafka-truststore.p12");
        assertThat(camel.getSslTruststorePassword()).isEqualTo("trust-pass");
        assertThat(camel.getSslTruststoreType()).isEqualTo("PKCS12");
    }

    @Test
    void topicsAreCreatedWithTheConfiguredPartitionsAndReplication() {
        NewTopic topic = external(bind(SASL_SSL)).newTopic("pers.triggers");

        assertThat(topic.numPartitions()).isEqualTo(12);
        assertThat(topic.replicationFactor()).isEqualTo((short) 3);
        assertThat(topic.configs()).containsEntry("min.insync.replicas", "2");
    }

    @Test
    void unsetReplicationLeavesItToTheClustersDefault() {
        KafkaClientSettings plain = bind(Map.of());
        NewTopic topic = external(plain).newTopic("pers.triggers");

        assertThat(plain.securityProtocol()).isEqualTo("PLAINTEXT");
        assertThat(topic.numPartitions()).isEqualTo(3);
        assertThat(topic.replicationFactor())
                .as("-1: the broker's default.replication.factor")
                .isEqualTo((short) -1);
        assertThat(topic.configs()).isNullOrEmpty();
    }

    @Test
    void aSaslProtocolWithoutAJaasLineNamesTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("pers.kafka.security-protocol", "SASL_SSL")))
                .rootCause()
                .hasMessageContaining("pers.kafka.sasl.jaas-config");
    }
}
