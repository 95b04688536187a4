package io.pers.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.pers.tenant.TenantContext;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox relay of ingest: an event {@link IngestLog} stored but never published to the trigger
 * topic (the process died between the insert and Kafka's acknowledgement, or the topic was
 * unreachable and the connector gave up redelivering) is published here once it has waited
 * {@code pers.ingest.relay.older-than}, and marked published once Kafka acknowledged it. Each
 * tenant's batch is locked with {@code for update skip locked} for the time it is published: an
 * instance never waits on another's batch and never publishes it too. Publishing twice (the relay
 * beside a connector's redelivery, or a crash before the mark) is harmless: the matcher's claims
 * and reversals are idempotent per event and mapping ({@link TriggerMatcher#claimKey}).
 */
@Component
class IngestRelay {

    private static final Logger log = LoggerFactory.getLogger(IngestRelay.class);

    private record Unpublished(String source, String eventId, String subject, String event) {}

    private final JdbcClient db;
    private final TransactionTemplate tx;
    private final TriggerLog triggers;
    private final MeterRegistry meters;
    private final Duration olderThan;
    private final int batch;

    IngestRelay(
            JdbcClient db,
            TransactionTemplate tx,
            TriggerLog triggers,
            MeterRegistry meters,
            @Value("${pers.ingest.relay.older-than:60s}") Duration olderThan,
            @Value("${pers.ingest.relay.batch:100}") int batch) {
        this.db = db;
        this.tx = tx;
        this.triggers = triggers;
        this.meters = meters;
        this.olderThan = olderThan;
        this.batch = batch;
    }

    @Scheduled(
            initialDelayString = "${pers.ingest.relay.interval:10s}",
            fixedDelayString = "${pers.ingest.relay.interval:10s}")
    void scheduled() {
        try {
            relay();
        } catch (RuntimeException e) {
            log.warn("The ingest relay failed; its next run retries: {}", e.toString());
        }
    }

    /** Publishes every tenant's events left unpublished; returns how many it published. */
    int relay() {
        List<UUID> tenants = db.sql("select ingest_unpublished_tenants(?::interval)")
                .param(olderThan.toMillis() + " milliseconds")
                .query(UUID.class)
                .list();
        int published = 0;
        for (UUID tenant : tenants) {
            published += TenantContext.callAs(tenant, () -> tx.execute(status -> relayTenant(tenant)));
        }
        return published;
    }

    private int relayTenant(UUID tenant) {
        List<Unpublished> events = db.sql("""
                        select source, event_id, coalesce(event->>'subject', ''), event::text from ingest_events
                         where published_at is null and received_at < now() - ?::interval
                         order by received_at limit ? for update skip locked""")
                .params(olderThan.toMillis() + " milliseconds", batch)
                .query((rs, i) -> new Unpublished(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
        for (Unpublished event : events) {
            // The same key IngestLog publishes under: one user's events stay in order on the topic.
            triggers.publish(tenant + ":" + event.subject(), event.event());
            db.sql(
                            "update ingest_events set published_at = now() where source = ? and event_id = ? and published_at is null")
                    .params(event.source(), event.eventId())
                    .update();
            meters.counter("pers.ingest.relayed", "connector", event.source()).increment();
            log.info(
                    "Relayed ingest event {} of {} (tenant {}) to the trigger topic",
                    event.eventId(),
                    event.source(),
                    tenant);
        }
        return events.size();
    }
}
