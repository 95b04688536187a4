package io.pers.chain;

import io.pers.workflow.settlement.Settler;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Wakes the settler of every contract with an item pending for longer than {@link #WAITED}: an
 * entry's settler is signalled after its commit, and a process that died in between left the item
 * queued with nobody told. Signal-with-start is idempotent, so waking a running settler is harmless.
 */
@Component
class SettlementSweeper {

    private static final Logger log = LoggerFactory.getLogger(SettlementSweeper.class);
    private static final String WAITED = "30 seconds";
    private static final long INTERVAL_MS = 30_000;

    private final JdbcClient db;
    private final ChainSettlement settlement;

    SettlementSweeper(JdbcClient db, ChainSettlement settlement) {
        this.db = db;
        this.settlement = settlement;
    }

    @Scheduled(fixedDelay = INTERVAL_MS, initialDelay = INTERVAL_MS)
    void sweep() {
        db.sql("select tenant_id, contract_id from settlement_waiting_contracts(?::interval)")
                .param(WAITED)
                .query((rs, i) -> new Settler(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .list()
                .forEach(settler -> {
                    try {
                        settlement.wake(settler);
                    } catch (RuntimeException e) {
                        log.warn("Could not wake settler {}: {}", settler.workflowId(), e.toString());
                    }
                });
    }
}
