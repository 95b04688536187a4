package io.pers.chain;

import io.pers.api.PersException;
import io.pers.tenant.TenantContext;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.web3j.utils.Numeric;

/**
 * Settlement windows of contracts in ANCHORED mode. A window is a settlement batch: the items the
 * settler takes (every ledger movement of the token, claim mints included) change their holders'
 * cumulative entitlements, and the window's root covers every holder's entitlement as of that
 * window, with the tenant's ledger seal head. Both are stored in the transaction that takes the
 * items, so what the settler signs, and signs again after a crash, is always the same root.
 */
@Component
class AnchorWindows {

    /** A window as the API shows it. */
    public record AnchorWindow(
            @Schema(description = "The window's number on the contract, counting up from 1")
            long window,

            @Schema(description = "Merkle root of every holder's cumulative entitlement, 0x hex")
            String root,

            @Schema(description = "The tenant's ledger seal sequence number anchored with the root")
            long ledgerSeq,

            @Schema(description = "The seal hash at ledgerSeq: editing or truncating the ledger after it shows")
            String ledgerHead,

            @Schema(description = "Holders the root covers") int holders,

            @Schema(description = "Ledger entries the window added")
            int entries,

            @Schema(
                    types = {"string", "null"},
                    description = "The anchoring transaction, once mined and confirmed")
            String txHash,

            @Schema(
                    types = {"string", "null"},
                    description = "When the root was confirmed on chain")
            OffsetDateTime anchoredAt) {

        byte[] rootBytes() {
            return Numeric.hexStringToByteArray(root);
        }

        byte[] headBytes() {
            return Numeric.hexStringToByteArray(ledgerHead);
        }
    }

    private final JdbcClient db;
    private final SettlementQueue queue;

    AnchorWindows(JdbcClient db, SettlementQueue queue) {
        this.db = db;
        this.queue = queue;
    }

    /**
     * Opens the contract's next window over the batch's items, once: in queue order, a credit adds
     * to its recipient's entitlement, a debit takes from its sender's. A debit the sender's
     * entitlement does not cover (an address that changed owner's hands, a burn whose mint was
     * withdrawn) is refused alone, so one holder never stops the token's settlement; reconciliation
     * shows it. Call in the transaction that took the items (SettlementQueue.takeWindow, which
     * holds the contract's lock). Answers the items the window holds.
     */
    List<SettlementQueue.Item> open(UUID contractId, UUID batchId, List<SettlementQueue.Item> items) {
        if (forBatch(batchId).isPresent()) {
            return items;
        }
        long window = db.sql("select coalesce(max(window_no), 0) + 1 from anchor_windows where contract_id = ?")
                .param(contractId)
                .query(Long.class)
                .single();
        Map<String, BigInteger> before = entitlements(contractId, window - 1);
        Map<String, BigInteger> after = new TreeMap<>();
        List<SettlementQueue.Item> held = new ArrayList<>();
        for (SettlementQueue.Item item : items) {
            String from = item.sender() == null ? null : item.sender().toLowerCase(Locale.ROOT);
            String to = item.recipient() == null ? null : item.recipient().toLowerCase(Locale.ROOT);
            if (from != null) {
                BigInteger left = after.getOrDefault(from, before.getOrDefault(from, BigInteger.ZERO))
                        .subtract(item.amount());
                if (left.signum() < 0) {
                    queue.refuse(
                            item.entryId(),
                            "The debit exceeds the entitlement of " + from + " in anchor window " + window);
                    continue;
                }
                after.put(from, left);
            }
            if (to != null) {
                after.put(
                        to,
                        after.getOrDefault(to, before.getOrDefault(to, BigInteger.ZERO))
                                .add(item.amount()));
            }
            held.add(item);
        }
        after.forEach((address, cumulative) -> {
            if (!cumulative.equals(before.get(address))) {
                db.sql("""
                                insert into anchor_entitlements (contract_id, address, window_no, tenant_id, cumulative)
                                values (?, ?, ?, ?, ?)""")
                        .params(
                                contractId,
                                address,
                                window,
                                TenantContext.requireTenantId(),
                                new BigDecimal(cumulative))
                        .update();
            }
        });
        Map<String, BigInteger> leaves = entitlements(contractId, window);
        byte[] root = EntitlementTree.of(leaves).root();
        Map.Entry<Long, byte[]> head = db.sql("select seq, hash from ledger_seals order by seq desc limit 1")
                .query((rs, i) -> Map.entry(rs.getLong(1), rs.getBytes(2)))
                .optional()
                .orElse(Map.entry(0L, new byte[32]));
        db.sql("""
                        insert into anchor_windows (contract_id, window_no, tenant_id, batch_id, root, ledger_seq,
                                                    ledger_head, holders, entries)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        contractId,
                        window,
                        TenantContext.requireTenantId(),
                        batchId,
                        root,
                        head.getKey(),
                        head.getValue(),
                        leaves.size(),
                        held.size())
                .update();
        return held;
    }

    Optional<AnchorWindow> forBatch(UUID batchId) {
        return db.sql("select * from anchor_windows where batch_id = ?")
                .param(batchId)
                .query(AnchorWindows::window)
                .optional();
    }

    void anchored(UUID batchId, String txHash) {
        db.sql("update anchor_windows set tx_hash = ?, anchored_at = coalesce(anchored_at, now()) where batch_id = ?")
                .params(txHash, batchId)
                .update();
    }

    /** The contract's windows, newest first. */
    List<AnchorWindow> list(UUID contractId, int limit) {
        return db.sql("select * from anchor_windows where contract_id = ? order by window_no desc limit ?")
                .params(contractId, limit)
                .query(AnchorWindows::window)
                .list();
    }

    /** The newest window confirmed on chain: the only root the contract takes withdrawals against. */
    Optional<AnchorWindow> latestAnchored(UUID contractId) {
        return db.sql("""
                        select * from anchor_windows where contract_id = ? and anchored_at is not null
                         order by window_no desc limit 1""").param(contractId).query(AnchorWindows::window).optional();
    }

    /** A holder's entitlement and its proof under the newest anchored root. */
    record Proof(AnchorWindow window, String address, BigInteger cumulative, List<String> proof) {}

    Proof proof(UUID contractId, String address) {
        AnchorWindow window = latestAnchored(contractId).orElseThrow(() -> PersException.notFound("Anchored window"));
        Map<String, BigInteger> leaves = entitlements(contractId, window.window());
        BigInteger cumulative = leaves.get(address);
        if (cumulative == null) {
            throw PersException.notFound("Entitlement of " + address);
        }
        EntitlementTree tree = EntitlementTree.of(leaves);
        return new Proof(
                window,
                address,
                cumulative,
                tree.proof(address).stream().map(Numeric::toHexString).toList());
    }

    /** Every holder's cumulative entitlement as of the window (address order). */
    Map<String, BigInteger> entitlements(UUID contractId, long window) {
        Map<String, BigInteger> leaves = new TreeMap<>();
        db.sql("""
                        select distinct on (address) address, cumulative from anchor_entitlements
                         where contract_id = ? and window_no <= ? order by address, window_no desc""")
                .params(contractId, window)
                .query((rs, i) -> Map.entry(rs.getString(1), rs.getBigDecimal(2).toBigIntegerExact()))
                .list()
                .forEach(e -> leaves.put(e.getKey(), e.getValue()));
        return leaves;
    }

    private static AnchorWindow window(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new AnchorWindow(
                rs.getLong("window_no"),
                Numeric.toHexString(rs.getBytes("root")),
                rs.getLong("ledger_seq"),
                Numeric.toHexString(rs.getBytes("ledger_head")),
                rs.getInt("holders"),
                rs.getInt("entries"),
                rs.getString("tx_hash"),
                rs.getObject("anchored_at", OffsetDateTime.class));
    }
}
