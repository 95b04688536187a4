package io.pers.chain;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.pers.api.PersException;
import io.pers.tenant.TenantContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Follower events (one log each) that could not be applied, kept for an operator: parked in the
 * follower's step so the position still moves, resolved when a retry applies them.
 */
@Component
class ParkedEvents {

    private static final int REASON_MAX_CHARS = 1000;

    record ParkedEvent(
            UUID id,
            long chainId,
            UUID contractId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger blockNumber,
            String txHash,
            long logIndex,
            String reason,
            OffsetDateTime parkedAt,
            OffsetDateTime resolvedAt) {}

    /** Open parked events of one contract, every tenant's: what the health and the metric show. */
    record Count(long chainId, String contractAddress, long parked) {}

    private final JdbcClient db;

    ParkedEvents(JdbcClient db) {
        this.db = db;
    }

    /** Parks the event, or, parked before (a re-read range, a failed retry), keeps it open with the latest reason. */
    void park(ChainContracts.Contract contract, BigInteger block, String txHash, long logIndex, String reason) {
        String shortened = reason.length() > REASON_MAX_CHARS ? reason.substring(0, REASON_MAX_CHARS) : reason;
        db.sql("""
                        insert into chain_parked_events (id, tenant_id, chain_id, contract_id, block_number, tx_hash,
                                                         log_index, reason)
                        values (?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (tenant_id, chain_id, tx_hash, log_index)
                        do update set reason = excluded.reason, resolved_at = null""")
                .params(
                        UUID.randomUUID(),
                        TenantContext.requireTenantId(),
                        contract.chainId(),
                        contract.id(),
                        new BigDecimal(block),
                        txHash,
                        logIndex,
                        shortened)
                .update();
    }

    void resolve(UUID id) {
        db.sql("update chain_parked_events set resolved_at = now() where id = ? and resolved_at is null")
                .param(id)
                .update();
    }

    /** Locked until commit: a retry applies it once. */
    ParkedEvent lock(long chainId, UUID id) {
        return db.sql("select * from chain_parked_events where chain_id = ? and id = ? for update")
                .params(chainId, id)
                .query(ParkedEvents::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("Parked event"));
    }

    ParkedEvent find(UUID id) {
        return db.sql("select * from chain_parked_events where id = ?")
                .param(id)
                .query(ParkedEvents::map)
                .single();
    }

    /** The tenant's open parked events on the chain, oldest first. */
    List<ParkedEvent> open(long chainId) {
        return db.sql("""
                        select * from chain_parked_events where chain_id = ? and resolved_at is null
                         order by parked_at, block_number, log_index limit 1000""").param(chainId).query(ParkedEvents::map).list();
    }

    long openCount(long chainId) {
        return db.sql("select count(*) from chain_parked_events where chain_id = ? and resolved_at is null")
                .param(chainId)
                .query(Long.class)
                .single();
    }

    List<Count> counts() {
        return db.sql("select chain_id, contract_address, parked from chain_parked_event_counts()")
                .query((rs, i) -> new Count(rs.getLong(1), rs.getString(2), rs.getLong(3)))
                .list();
    }

    private static ParkedEvent map(ResultSet rs, int row) throws SQLException {
        return new ParkedEvent(
                rs.getObject("id", UUID.class),
                rs.getLong("chain_id"),
                rs.getObject("contract_id", UUID.class),
                rs.getBigDecimal("block_number").toBigIntegerExact(),
                rs.getString("tx_hash"),
                rs.getLong("log_index"),
                rs.getString("reason"),
                rs.getObject("parked_at", OffsetDateTime.class),
                rs.getObject("resolved_at", OffsetDateTime.class));
    }
}
