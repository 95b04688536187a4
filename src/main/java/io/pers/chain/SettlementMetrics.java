package io.pers.chain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigInteger;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code pers_settlement_queue_depth{chain}}: items queued or in a batch on the chain's contracts,
 * every tenant's, read every few seconds; {@code pers_settlement_gas_total{chain, contract}}: gas
 * of the settled batches (receipt gasUsed), counted when a batch is confirmed.
 */
@Component
class SettlementMetrics {

    private static final long REFRESH_MS = 5_000;

    private final JdbcClient db;
    private final MeterRegistry meters;
    private final Map<Long, AtomicLong> depths = new ConcurrentHashMap<>();

    SettlementMetrics(JdbcClient db, MeterRegistry meters) {
        this.db = db;
        this.meters = meters;
    }

    void gasSpent(long chainId, String contractAddress, BigInteger gasUsed) {
        Counter.builder("pers.settlement.gas")
                .description("Gas used by settled batch transactions")
                .tag("chain", String.valueOf(chainId))
                .tag("contract", contractAddress)
                .register(meters)
                .increment(gasUsed.doubleValue());
    }

    @Scheduled(fixedDelay = REFRESH_MS, initialDelay = 0)
    void refreshDepths() {
        db.sql("select chain_id, depth from settlement_queue_depths()")
                .query((rs, i) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                .list()
                .forEach(d -> depths.computeIfAbsent(d.getKey(), this::gauge).set(d.getValue()));
    }

    private AtomicLong gauge(long chainId) {
        AtomicLong depth = new AtomicLong();
        Gauge.builder("pers.settlement.queue.depth", depth, AtomicLong::get)
                .description("Settlement items queued or in a batch, per chain")
                .tag("chain", String.valueOf(chainId))
                .register(meters);
        return depth;
    }
}
