package io.pers.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.springframework.stereotype.Component;

/**
 * The last step of the routes that consume PERS's topics (routes/trigger-matcher.yaml,
 * routes/partner-events.yaml): the record is done, its offset may be committed. A failure in an
 * earlier step skips this one, and the partition reads the record again.
 */
@Component("kafkaOffsets")
class KafkaOffsets {

    public void commit(Exchange exchange) {
        KafkaManualCommit commit = exchange.getIn().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (commit != null) {
            commit.commit();
        }
    }
}
