package io.pers.chain;

import io.pers.tenant.TenantContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The settlement tables: queued items, their batches, and each batch's signed transactions. */
@Component
class SettlementQueue {

    /** How a batch sends its items; one batch holds one kind (see V17__chain_movements.sql). */
    enum Kind {
        MINT,
        CUSTODIAL_MINT,
        MOVEMENT
    }

    /** One ledger entry to reproduce on chain: {@code sender} null mints, {@code recipient} null burns. */
    record Item(UUID entryId, Kind kind, String sender, String recipient, BigInteger onchainId, BigInteger amount) {}

    /** Where and how far an entry's item went. */
    record Placed(UUID contractId, BigInteger onchainId, String status) {}

    record Stored(String hash, String raw, BigInteger nonce, BigInteger tip, BigInteger maxFee) {}

    record Outcome(String status, String failure) {}

    private final JdbcClient db;

    SettlementQueue(JdbcClient db) {
        this.db = db;
    }

    /** Queues an item once: the ledger entry is the key. {@code claimId} null: no claim waits on it. */
    void enqueue(Item item, UUID claimId, UUID contractId) {
        db.sql("""
                        insert into settlement_items (entry_id, tenant_id, claim_id, contract_id, kind, sender,
                                                      recipient, onchain_id, amount, status)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING') on conflict (entry_id) do nothing""")
                .params(
                        item.entryId(),
                        TenantContext.requireTenantId(),
                        claimId,
                        contractId,
                        item.kind().name(),
                        item.sender(),
                        item.recipient(),
                        decimal(item.onchainId()),
                        new BigDecimal(item.amount()))
                .update();
    }

    /** The item of a ledger entry, if it has one. */
    Optional<Placed> placed(UUID entryId) {
        return db.sql("select contract_id, onchain_id, status from settlement_items where entry_id = ?")
                .param(entryId)
                .query((rs, i) ->
                        new Placed(rs.getObject(1, UUID.class), integer(rs.getBigDecimal(2)), rs.getString(3)))
                .optional();
    }

    /** When the claim's first item was queued. */
    Optional<OffsetDateTime> enqueuedAt(UUID claimId) {
        return db.sql("select min(created_at) from settlement_items where claim_id = ?")
                .param(claimId)
                .query(OffsetDateTime.class)
                .optional();
    }

    /**
     * Withdraws a claim's items, all or nothing, while none of them has gone into a batch (and so
     * into a transaction that may still be mined). Call inside a transaction: the claim's items are
     * locked against a settler taking one meanwhile.
     */
    boolean withdraw(UUID claimId) {
        List<String> statuses = db.sql("select status from settlement_items where claim_id = ? for update")
                .param(claimId)
                .query(String.class)
                .list();
        if (!statuses.stream().allMatch(s -> s.equals("PENDING") || s.equals("CANCELLED"))) {
            return false;
        }
        db.sql(
                        "update settlement_items set status = 'CANCELLED', updated_at = now() where claim_id = ? and status = 'PENDING'")
                .param(claimId)
                .update();
        return true;
    }

    List<Outcome> outcomes(UUID claimId) {
        return db.sql("select status, failure from settlement_items where claim_id = ?")
                .param(claimId)
                .query((rs, i) -> new Outcome(rs.getString(1), rs.getString(2)))
                .list();
    }

    /** Call inside a transaction: the items are locked, so two takers never share one. */
    int take(UUID contractId, UUID batchId, String runId, int maxItems) {
        if (db.sql("select 1 from settlement_batches where id = ?")
                .param(batchId)
                .query(Integer.class)
                .optional()
                .isPresent()) {
            return items(batchId).size();
        }
        int adopted = adoptOrphan(contractId, batchId, runId);
        if (adopted > 0) {
            return adopted;
        }
        // The oldest items, up to the first of another kind: a batch is one call, and order holds.
        List<Map.Entry<UUID, String>> oldest = db.sql("""
                        select entry_id, kind from settlement_items where contract_id = ? and status = 'PENDING'
                         order by seq limit ? for update skip locked""")
                .params(contractId, maxItems)
                .query((rs, i) -> Map.entry(rs.getObject(1, UUID.class), rs.getString(2)))
                .list();
        List<UUID> taken = oldest.stream()
                .takeWhile(e -> e.getValue().equals(oldest.get(0).getValue()))
                .map(Map.Entry::getKey)
                .toList();
        if (taken.isEmpty()) {
            return 0;
        }
        if (Kind.valueOf(oldest.get(0).getValue()) == Kind.MOVEMENT && runHasOpenBatches(contractId, runId)) {
            // A movement may spend what an earlier batch mints: its gas estimate and its execution
            // need those batches mined first. Mints depend on nothing and go out side by side.
            return 0;
        }
        insertBatch(batchId, contractId, runId);
        for (UUID entry : taken) {
            assign(entry, batchId);
        }
        return taken.size();
    }

    /**
     * The next window of an ANCHORED contract: every pending item, whatever its kind, up to
     * {@code maxItems}, taken only while no window of the contract is on its way (the contract takes
     * window n only after n - 1). Call inside a transaction, as {@link #take}. An item the window
     * cannot apply (a debit its address's entitlement does not cover) is taken out again by
     * {@link #refuse}.
     */
    List<Item> takeWindow(UUID contractId, UUID batchId, String runId, int maxItems) {
        // One taker at a time per contract, before anything is looked at: a retried take that
        // overlaps the first attempt waits for it and then finds its batch. NO KEY UPDATE leaves the
        // contract's foreign keys free, so ledger posts queueing items of the token do not wait.
        db.sql("select 1 from chain_contracts where id = ? for no key update")
                .param(contractId)
                .query(Integer.class)
                .single();
        if (db.sql("select 1 from settlement_batches where id = ?")
                        .param(batchId)
                        .query(Integer.class)
                        .optional()
                        .isPresent()
                || adoptOrphan(contractId, batchId, runId) > 0) {
            return items(batchId);
        }
        if (db.sql("select exists (select 1 from settlement_batches where contract_id = ? and status = 'OPEN')")
                .param(contractId)
                .query(Boolean.class)
                .single()) {
            return List.of();
        }
        List<UUID> taken =
                db.sql("""
                        select entry_id from settlement_items where contract_id = ? and status = 'PENDING'
                         order by seq limit ? for update skip locked""").params(contractId, maxItems).query(UUID.class).list();
        if (taken.isEmpty()) {
            return List.of();
        }
        insertBatch(batchId, contractId, runId);
        for (UUID entry : taken) {
            assign(entry, batchId);
        }
        return items(batchId);
    }

    /** Takes an item out of its batch, refused for good with the reason. */
    void refuse(UUID entryId, String reason) {
        db.sql("""
                        update settlement_items set status = 'FAILED', failure = ?, batch_id = null, updated_at = now()
                         where entry_id = ?""").params(reason, entryId).update();
    }

    /** Whether the run has batches on their way (taken, not yet settled or split). */
    private boolean runHasOpenBatches(UUID contractId, String runId) {
        return runId != null
                && db.sql("select exists (select 1 from settlement_batches where contract_id = ? and run_id = ?"
                                + " and status = 'OPEN')")
                        .params(contractId, runId)
                        .query(Boolean.class)
                        .single();
    }

    /**
     * A batch left OPEN by a settler run that is gone (the embedded Temporal server loses its runs
     * when PERS is killed) is taken over: one run per contract lives at a time, and a run finishes
     * its batches before it continues as new, so an OPEN batch of another run has no live owner
     * (without a run id, from before batches were pipelined: any OPEN batch). Its items and signed
     * transactions move to the new batch: a transaction that may be mined is looked up and sent
     * again as it is, never signed anew. The old batch ends SPLIT (its items went on).
     */
    private int adoptOrphan(UUID contractId, UUID batchId, String runId) {
        Optional<UUID> orphan =
                db.sql("""
                        select b.id from settlement_batches b where b.contract_id = ? and b.status = 'OPEN'
                           and (?::text is null or b.run_id is distinct from ?::text)
                           and exists (select 1 from settlement_items i where i.batch_id = b.id)
                         order by b.created_at limit 1 for update of b skip locked""").params(contractId, runId, runId).query(UUID.class).optional();
        if (orphan.isEmpty()) {
            return 0;
        }
        insertBatch(batchId, contractId, runId);
        db.sql("update settlement_items set batch_id = ?, updated_at = now() where batch_id = ?")
                .params(batchId, orphan.get())
                .update();
        db.sql("update settlement_transactions set batch_id = ? where batch_id = ?")
                .params(batchId, orphan.get())
                .update();
        db.sql("update anchor_windows set batch_id = ? where batch_id = ?")
                .params(batchId, orphan.get())
                .update();
        batchStatus(orphan.get(), "SPLIT", null, null);
        return items(batchId).size();
    }

    List<Item> items(UUID batchId) {
        return db.sql("select entry_id, kind, sender, recipient, onchain_id, amount from settlement_items"
                        + " where batch_id = ? order by seq")
                .param(batchId)
                .query((rs, i) -> new Item(
                        rs.getObject(1, UUID.class),
                        Kind.valueOf(rs.getString(2)),
                        rs.getString(3),
                        rs.getString(4),
                        integer(rs.getBigDecimal(5)),
                        integer(rs.getBigDecimal(6))))
                .list();
    }

    /** Moves the first {@code firstSize} items to {@code first}, the rest to {@code second}, both of run {@code runId}. */
    void split(UUID contractId, UUID batchId, String runId, UUID first, UUID second, int firstSize) {
        List<Item> items = items(batchId);
        insertBatch(first, contractId, runId);
        insertBatch(second, contractId, runId);
        for (int i = 0; i < items.size(); i++) {
            assign(items.get(i).entryId(), i < firstSize ? first : second);
        }
        batchStatus(batchId, "SPLIT", null, null);
    }

    String batchStatus(UUID batchId) {
        return db.sql("select status from settlement_batches where id = ?")
                .param(batchId)
                .query(String.class)
                .single();
    }

    void settled(UUID batchId, String txHash) {
        batchStatus(batchId, "SETTLED", txHash, null);
        db.sql("update settlement_items set status = 'SETTLED', tx_hash = ?, updated_at = now() where batch_id = ?")
                .params(txHash, batchId)
                .update();
    }

    void failed(UUID batchId, String reason) {
        batchStatus(batchId, "REVERTED", null, reason);
        db.sql("update settlement_items set status = 'FAILED', failure = ?, updated_at = now() where batch_id = ?")
                .params(reason, batchId)
                .update();
    }

    List<Stored> transactions(UUID batchId) {
        return db.sql("select hash, raw, nonce, tip, max_fee from settlement_transactions where batch_id = ?"
                        + " order by created_at, hash")
                .param(batchId)
                .query((rs, i) -> new Stored(
                        rs.getString(1),
                        rs.getString(2),
                        integer(rs.getBigDecimal(3)),
                        integer(rs.getBigDecimal(4)),
                        integer(rs.getBigDecimal(5))))
                .list();
    }

    void store(UUID batchId, ChainClient.SignedTransaction signed) {
        db.sql("""
                        insert into settlement_transactions (hash, tenant_id, batch_id, nonce, max_fee, tip, raw)
                        values (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        signed.hash(),
                        TenantContext.requireTenantId(),
                        batchId,
                        new BigDecimal(signed.nonce()),
                        new BigDecimal(signed.maxFee()),
                        new BigDecimal(signed.tip()),
                        signed.raw())
                .update();
        db.sql("update settlement_batches set nonce = ?, updated_at = now() where id = ?")
                .params(new BigDecimal(signed.nonce()), batchId)
                .update();
    }

    /** Items queued or in flight on the chain's contracts. */
    long depth(long chainId) {
        return db.sql("""
                        select count(*) from settlement_items i join chain_contracts c on c.id = i.contract_id
                         where c.chain_id = ? and i.status in ('PENDING', 'BATCHED')""").param(chainId).query(Long.class).single();
    }

    private void insertBatch(UUID batchId, UUID contractId, String runId) {
        db.sql("""
                        insert into settlement_batches (id, tenant_id, contract_id, status, run_id) values (?, ?, ?, 'OPEN', ?)
                        on conflict (id) do nothing""")
                .params(batchId, TenantContext.requireTenantId(), contractId, runId)
                .update();
    }

    private void assign(UUID entryId, UUID batchId) {
        db.sql("update settlement_items set status = 'BATCHED', batch_id = ?, updated_at = now() where entry_id = ?")
                .params(batchId, entryId)
                .update();
    }

    private void batchStatus(UUID batchId, String status, String txHash, String failure) {
        db.sql("""
                        update settlement_batches set status = ?, tx_hash = coalesce(?, tx_hash),
                               failure = coalesce(?, failure), updated_at = now() where id = ?""").params(status, txHash, failure, batchId).update();
    }

    private static BigDecimal decimal(BigInteger value) {
        return value == null ? null : new BigDecimal(value);
    }

    private static BigInteger integer(BigDecimal value) {
        return value == null ? null : value.toBigIntegerExact();
    }
}
