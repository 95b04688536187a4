package io.pers.ledger;

import io.pers.tenant.TenantContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Chains each tenant's journal entries with SHA-256: entry n's hash covers entry n-1's hash and
 * entry n's content, so changing or dropping any sealed entry breaks every hash after it.
 *
 * <p>Sealing runs shortly after the write rather than inside it: chaining inside the write would
 * serialise every ledger write of a tenant on one row. Entries are sealed in commit-visible
 * order, and an advisory lock per tenant lets several instances run the sealer safely.
 */
@Component
public class LedgerSealer {

    private static final Logger log = LoggerFactory.getLogger(LedgerSealer.class);
    private static final byte[] GENESIS = new byte[32];
    private static final int BATCH = 1_000;

    public record Verification(
            long entries,
            long sealedThrough,
            String headHash,
            boolean valid,
            Long firstBrokenSeq,
            long unbalancedEntries,
            long balanceMismatches) {}

    private record Head(long seq, byte[] hash) {}

    private record Entry(UUID id, String content) {}

    private final JdbcClient db;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    LedgerSealer(JdbcClient db, JdbcTemplate jdbc, TransactionTemplate tx) {
        this.db = db;
        this.jdbc = jdbc;
        this.tx = tx;
    }

    @Scheduled(fixedDelayString = "${pers.ledger.seal-interval:500ms}")
    void sealAll() {
        List<UUID> tenants =
                db.sql("select unsealed_tenants()").query(UUID.class).list();
        for (UUID tenant : tenants) {
            try {
                // Another instance sealing this tenant right now will get it done: skip it.
                TenantContext.runAs(tenant, () -> seal(false));
            } catch (RuntimeException e) {
                log.warn("Sealing the ledger of tenant {} failed; will retry", tenant, e);
            }
        }
    }

    /**
     * @param waitForOtherSealer true when the caller needs everything committed sealed on return
     *     (verification): it waits for a sealer at work instead of leaving that batch to it
     */
    private void seal(boolean waitForOtherSealer) {
        int sealed;
        do {
            sealed = Objects.requireNonNull(tx.execute(status -> sealBatch(waitForOtherSealer)));
        } while (sealed == BATCH);
    }

    private int sealBatch(boolean waitForOtherSealer) {
        String tenantLock = "hashtext('ledger-seal:' || ?)";
        if (waitForOtherSealer) {
            db.sql("select pg_advisory_xact_lock(" + tenantLock + ")")
                    .param(TenantContext.requireTenantId().toString())
                    .query(Object.class)
                    .list();
        } else if (!db.sql("select pg_try_advisory_xact_lock(" + tenantLock + ")")
                .param(TenantContext.requireTenantId().toString())
                .query(Boolean.class)
                .single()) {
            return 0;
        }
        List<Entry> pending = db.sql(
                        "select e.id, " + CONTENT + " from journal_entries e join postings p on p.entry_id = e.id"
                                + " where e.id in (select entry_id from ledger_unsealed)"
                                + " group by e.id order by e.created_at, e.id limit " + BATCH)
                .query(LedgerSealer::entry)
                .list();
        if (pending.isEmpty()) {
            return 0;
        }
        Head head = db.sql("select seq, hash from ledger_seals order by seq desc limit 1")
                .query((rs, i) -> new Head(rs.getLong(1), rs.getBytes(2)))
                .optional()
                .orElse(new Head(0, GENESIS));
        List<Object[]> rows = new ArrayList<>();
        long seq = head.seq();
        byte[] previous = head.hash();
        for (Entry entry : pending) {
            byte[] hash = hash(previous, entry.content());
            rows.add(new Object[] {entry.id(), TenantContext.requireTenantId(), ++seq, previous, hash});
            previous = hash;
        }
        jdbc.batchUpdate(
                "insert into ledger_seals (entry_id, tenant_id, seq, prev_hash, hash) values (?, ?, ?, ?, ?)", rows);
        jdbc.batchUpdate(
                "delete from ledger_unsealed where entry_id = ?",
                rows.stream().map(r -> new Object[] {r[0]}).toList());
        return pending.size();
    }

    /**
     * Checks the current tenant's ledger from both sides: every sealed hash recomputed from the
     * entries as stored, every entry's postings summing to zero, every balance row equal to the
     * sum of its postings.
     */
    public Verification verify() {
        seal(true);
        long[] count = {0};
        Long[] broken = {null};
        byte[][] previous = {GENESIS};
        db.sql("select e.id, " + CONTENT + ", s.seq, s.prev_hash, s.hash from journal_entries e"
                        + " join postings p on p.entry_id = e.id join ledger_seals s on s.entry_id = e.id"
                        + " group by e.id, s.seq, s.prev_hash, s.hash order by s.seq")
                .query((ResultSet rs) -> {
                    count[0]++;
                    byte[] expected = hash(previous[0], entry(rs, 0).content());
                    if (broken[0] == null
                            && (!MessageDigest.isEqual(rs.getBytes("prev_hash"), previous[0])
                                    || !MessageDigest.isEqual(rs.getBytes("hash"), expected))) {
                        broken[0] = rs.getLong("seq");
                    }
                    previous[0] = rs.getBytes("hash");
                });
        long unbalanced = db.sql(
                        "select count(*) from (select entry_id from postings group by entry_id having sum(amount) <> 0) u")
                .query(Long.class)
                .single();
        long mismatches = db.sql("""
                        select count(*) from balances b
                         where b.amount <> (select coalesce(sum(p.amount), 0) from postings p
                                              join journal_entries e on e.id = p.entry_id
                                             where p.wallet_id = b.wallet_id and e.token_id = b.token_id)""").query(Long.class).single();
        return new Verification(
                count[0],
                count[0],
                HexFormat.of().formatHex(previous[0]),
                broken[0] == null && unbalanced == 0 && mismatches == 0,
                broken[0],
                unbalanced,
                mismatches);
    }

    /** An entry's content in a fixed, unambiguous form: fields by position, postings by wallet. */
    private static final String CONTENT = """
            concat_ws('|', e.id, e.kind, e.token_id, e.reason_type, coalesce(e.reason_ref, ''),
                      e.actor_type, e.actor_id, coalesce(e.reverses_entry_id::text, ''), coalesce(e.memo, ''),
                      (extract(epoch from e.created_at) * 1000000)::bigint,
                      string_agg(p.wallet_id || ':' || p.amount, ',' order by p.wallet_id)) as content""";

    private static Entry entry(ResultSet rs, int row) throws SQLException {
        return new Entry(rs.getObject("id", UUID.class), rs.getString("content"));
    }

    private static byte[] hash(byte[] previous, String content) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(previous);
            sha.update(content.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
