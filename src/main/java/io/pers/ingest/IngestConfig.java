package io.pers.ingest;

import io.pers.stack.KafkaClients;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Camel's {@code kafka} component, pointed at the trigger log's brokers (with the cluster's
 * security settings: KafkaClients) before any route starts.
 * (Without camel-kafka's starter, which is not served, {@code camel.component.kafka.*} properties
 * do nothing; and the bean name {@code kafka} is the stack's KafkaTarget, so the component is
 * added to the Camel context directly.)
 */
@Configuration
class IngestConfig {

    @Bean
    CamelContextConfiguration kafkaComponent(KafkaClients clients) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                KafkaComponent kafka = new KafkaComponent();
                clients.configure(kafka.getConfiguration());
                // A fetch waits in the broker until a record arrives (then answers at once) or
                // this long: an idle consumer asks every 5 s instead of every 500 ms (the default).
                kafka.getConfiguration().setFetchWaitMaxMs(5000);
                camel.addComponent("kafka", kafka);
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {}
        };
    }
}
