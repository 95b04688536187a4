package io.pers.retention;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the tables that grow with traffic bounded (README "Retention"): idempotency records, ingest
 * events, finished webhook messages with their attempts, and audit entries older than their
 * {@code pers.retention.*} are deleted in batches of {@code batch-size}, each batch its own short
 * transaction ({@code retention_purge}, V27), so no run holds locks for long. Safe on every
 * instance at once: a batch another instance is deleting is skipped, never waited for, and a row
 * can be deleted only once. Never deleted: an ingest event not yet published, a webhook message
 * still pending, and the ledger and claims (not subject to retention at all). A retention of 0
 * keeps a table's rows for ever.
 */
@Component
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final JdbcClient db;
    private final MeterRegistry meters;
    private final boolean enabled;
    private final int batchSize;
    private final int maxBatches;
    private final Map<String, Duration> keep = new LinkedHashMap<>();

    Retention(
            JdbcClient db,
            MeterRegistry meters,
            @Value("${pers.retention.enabled:true}") boolean enabled,
            @Value("${pers.retention.batch-size:500}") int batchSize,
            @Value("${pers.retention.max-batches-per-run:200}") int maxBatches,
            @Value("${pers.retention.idempotency-keys:7d}") Duration idempotencyKeys,
            @Value("${pers.retention.ingest-events:90d}") Duration ingestEvents,
            @Value("${pers.retention.webhook-messages:30d}") Duration webhookMessages,
            @Value("${pers.retention.audit-log:400d}") Duration auditLog) {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalStateException("pers.retention.batch-size must be 1..10000");
        }
        if (!auditLog.isZero() && auditLog.compareTo(Duration.ofDays(90)) < 0) {
            throw new IllegalStateException("pers.retention.audit-log must be at least 90d (or 0: for ever)");
        }
        this.db = db;
        this.meters = meters;
        this.enabled = enabled;
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
        keep.put("idempotency_keys", idempotencyKeys);
        keep.put("ingest_events", ingestEvents);
        keep.put("webhook_messages", webhookMessages);
        keep.put("audit_log", auditLog);
    }

    @Scheduled(
            initialDelayString = "${pers.retention.initial-delay:5m}",
            fixedDelayString = "${pers.retention.interval:1h}")
    void scheduled() {
        if (!enabled) {
            return;
        }
        try {
            purgeAll();
        } catch (RuntimeException e) {
            log.warn("Retention run failed; the next run goes on where it stopped", e);
        }
    }

    /** One run over every table: the rows deleted per table. */
    public Map<String, Integer> purgeAll() {
        Map<String, Integer> deleted = new LinkedHashMap<>();
        keep.forEach((table, duration) -> deleted.put(table, duration.isZero() ? 0 : purge(table, duration)));
        log.info("Retention run: rows deleted {}", deleted);
        return deleted;
    }

    /**
     * Deletes the table's rows older than {@code keep}, batch after batch, until a batch comes back
     * short (nothing more, or another instance holds the table: it goes on) or the run's cap.
     * {@code pers_retention_deleted_total{table}} counts them.
     */
    int purge(String table, Duration keep) {
        int total = 0;
        for (int i = 0; i < maxBatches; i++) {
            int deleted = db.sql("select retention_purge(?, ?::interval, ?)")
                    .params(table, keep.toSeconds() + " seconds", batchSize)
                    .query(Integer.class)
                    .single();
            total += deleted;
            if (deleted < batchSize) {
                break;
            }
        }
        if (total > 0) {
            meters.counter("pers.retention.deleted", "table", table).increment(total);
            log.info("Retention: deleted {} rows of {} older than {}", total, table, keep);
        }
        return total;
    }
}
