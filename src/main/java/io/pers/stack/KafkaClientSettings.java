package io.pers.stack;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How PERS's Kafka clients reach a cluster, in the settings its operators hand out: the security
 * protocol, SASL (mechanism and JAAS line), TLS trust and key stores, and how PERS's topics are made
 * (partitions, replication factor, min.insync.replicas). Every producer, consumer and admin client
 * PERS makes takes them ({@link KafkaClients}); the embedded broker is plain text and ignores them.
 *
 * @param securityProtocol PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL
 * @param sasl SASL settings, for the SASL_* protocols
 * @param ssl TLS stores, for SSL and SASL_SSL
 * @param topics how PERS creates its topics when they do not exist
 */
@ConfigurationProperties("pers.kafka")
public record KafkaClientSettings(String securityProtocol, Sasl sasl, Ssl ssl, Topics topics) {

    /**
     * @param mechanism PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, …
     * @param jaasConfig the JAAS line, e.g. {@code org.apache.kafka.common.security.scram.ScramLoginModule
     *     required username="pers" password="…";} (a secret: set it from the environment)
     */
    public record Sasl(String mechanism, String jaasConfig) {}

    /** Kafka's own ssl.* client settings; an empty endpoint-identification-algorithm turns host checks off. */
    public record Ssl(
            String truststoreLocation,
            String truststorePassword,
            String truststoreType,
            String keystoreLocation,
            String keystorePassword,
            String keystoreType,
            String keyPassword,
            String endpointIdentificationAlgorithm) {}

    /**
     * @param partitions partitions of each topic PERS creates (pers.triggers, pers.partner-events)
     * @param replicationFactor replicas of each; unset: the cluster's default.replication.factor
     * @param minInsyncReplicas the topics' min.insync.replicas (producers send with acks=all); unset:
     *     the cluster's default
     */
    public record Topics(int partitions, Short replicationFactor, Integer minInsyncReplicas) {
        public Topics {
            partitions = partitions > 0 ? partitions : 3;
        }
    }

    public KafkaClientSettings {
        securityProtocol =
                blank(securityProtocol) ? "PLAINTEXT" : securityProtocol.strip().toUpperCase(Locale.ROOT);
        sasl = sasl == null ? new Sasl(null, null) : sasl;
        ssl = ssl == null ? new Ssl(null, null, null, null, null, null, null, null) : ssl;
        topics = topics == null ? new Topics(3, null, null) : topics;
        if (securityProtocol.startsWith("SASL_") && blank(sasl.jaasConfig())) {
            throw new IllegalStateException("pers.kafka.security-protocol=" + securityProtocol
                    + " needs pers.kafka.sasl.jaas-config (and pers.kafka.sasl.mechanism)");
        }
    }

    /** The Kafka client properties of these settings (security only; the bootstrap servers are the target's). */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
        put(properties, SaslConfigs.SASL_MECHANISM, sasl.mechanism());
        put(properties, SaslConfigs.SASL_JAAS_CONFIG, sasl.jaasConfig());
        put(properties, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ssl.truststoreLocation());
        put(properties, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, ssl.truststorePassword());
        put(properties, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, ssl.truststoreType());
        put(properties, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, ssl.keystoreLocation());
        put(properties, SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, ssl.keystorePassword());
        put(properties, SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, ssl.keystoreType());
        put(properties, SslConfigs.SSL_KEY_PASSWORD_CONFIG, ssl.keyPassword());
        if (ssl.endpointIdentificationAlgorithm() != null) {
            properties.put(
                    SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG,
                    ssl.endpointIdentificationAlgorithm().strip());
        }
        return properties;
    }

    /** The same settings on Camel's kafka component, whose consumers and producers the routes use. */
    void applyTo(KafkaConfiguration camel) {
        camel.setSecurityProtocol(securityProtocol);
        camel.setSaslMechanism(blank(sasl.mechanism()) ? camel.getSaslMechanism() : sasl.mechanism());
        camel.setSaslJaasConfig(sasl.jaasConfig());
        camel.setSslTruststoreLocation(ssl.truststoreLocation());
        camel.setSslTruststorePassword(ssl.truststorePassword());
        if (!blank(ssl.truststoreType())) {
            camel.setSslTruststoreType(ssl.truststoreType());
        }
        camel.setSslKeystoreLocation(ssl.keystoreLocation());
        camel.setSslKeystorePassword(ssl.keystorePassword());
        if (!blank(ssl.keystoreType())) {
            camel.setSslKeystoreType(ssl.keystoreType());
        }
        camel.setSslKeyPassword(ssl.keyPassword());
        if (ssl.endpointIdentificationAlgorithm() != null) {
            camel.setSslEndpointAlgorithm(ssl.endpointIdentificationAlgorithm().strip());
        }
    }

    private static void put(Map<String, Object> properties, String key, String value) {
        if (!blank(value)) {
            properties.put(key, value);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
