package io.pers.ledger;

import io.pers.crypto.SecretBox;
import io.pers.crypto.Secrets;
import io.pers.event.WokenJob;
import io.pers.tenant.TenantContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Chains each tenant's journal entries with SHA-256: entry n's hash covers entry n-1's hash and
 * entry n's content, so changing or dropping any sealed entry breaks every hash after it. The
 * chain's head is signed into ledger_checkpoints as it is sealed (HMAC under a key derived from
 * the master key, which the database never holds): the tail cut off together with its seals
 * leaves a chain that still links, but ends before the head PERS signed.
 *
 * <p>Sealing runs shortly after the write rather than inside it: chaining inside the write would
 * serialise every ledger write of a tenant on one row. The commit of a new entry wakes the sealer
 * ({@link WokenJob}); an idle ledger is looked at every few seconds only. Entries are sealed in
 * commit-visible order, and an advisory lock per tenant lets several instances run the sealer safely.
 */
@Component
public class LedgerSealer implements WokenJob.Owner {

    private static final Logger log = LoggerFactory.getLogger(LedgerSealer.class);
    private static final byte[] GENESIS = new byte[32];
    private static final int BATCH = 1_000;

    /** How many problems the verification names; the counts cover them all. */
    private static final int NAMED = 20;

    /**
     * {@code entries} counts the journal as stored, {@code sealedThrough} is the last seal of the
     * chain, {@code unsealedEntries} the entries with neither a seal nor a place in the sealer's
     * queue, {@code checkpointSeq} the head PERS signed; {@code problems} says what broke where.
     */
    public record Verification(
            long entries,
            long sealedThrough,
            long unsealedEntries,
            String headHash,
            Long checkpointSeq,
            boolean valid,
            Long firstBrokenSeq,
            long unbalancedEntries,
            long balanceMismatches,
            List<String> problems) {}

    private record Head(long seq, byte[] hash) {}

    private record Checkpoint(long seq, byte[] hash, byte[] mac) {}

    private static final String CHECKPOINT_PURPOSE = "ledger-checkpoint";

    private record Entry(UUID id, String content) {}

    private final JdbcClient db;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TransactionTemplate snapshot;
    private final SecretBox secrets;
    private final WokenJob sealing;

    LedgerSealer(
            JdbcClient db,
            JdbcTemplate jdbc,
            TransactionTemplate tx,
            SecretBox secrets,
            @Value("${pers.ledger.seal-interval:500ms}") Duration interval,
            @Value("${pers.ledger.seal-idle-interval:5s}") Duration idleInterval) {
        this.sealing = new WokenJob("ledger-sealer", interval, idleInterval, this::sealAll);
        this.db = db;
        this.jdbc = jdbc;
        this.tx = tx;
        // Every check in one snapshot: the signed head with the very seals it covers.
        this.snapshot = new TransactionTemplate(tx.getTransactionManager());
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
        this.secrets = secrets;
    }

    /** A new entry wakes the sealer once its transaction commits. */
    @EventListener
    void posted(Ledger.Posted posted) {
        sealing.wakeAfterCommit();
    }

    @Override
    public WokenJob wokenJob() {
        return sealing;
    }

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
        if (!atSignedHead(head)) {
            // Sealing on would sign the cut chain's head and hide the cut: leave it for verification.
            log.error(
                    "The ledger seals of tenant {} end at seal {}, not at the head PERS signed: not sealing",
                    TenantContext.requireTenantId(),
                    head.seq());
            return 0;
        }
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
        UUID tenant = TenantContext.requireTenantId();
        db.sql("""
                        insert into ledger_checkpoints (tenant_id, seq, hash, mac) values (?, ?, ?, ?)
                        on conflict (tenant_id) do update
                           set seq = excluded.seq, hash = excluded.hash, mac = excluded.mac, signed_at = now()""").params(tenant, seq, previous, mac(tenant, seq, previous)).update();
        return pending.size();
    }

    /** Whether the chain ends where PERS last signed it (a tenant sealed before checkpoints has none yet). */
    private boolean atSignedHead(Head head) {
        return checkpoint()
                .map(signed -> signed.seq() == head.seq()
                        && MessageDigest.isEqual(signed.hash(), head.hash())
                        && signedByPers(TenantContext.requireTenantId(), signed))
                .orElse(true);
    }

    /**
     * Checks the current tenant's ledger from both sides: every sealed hash recomputed from the
     * entries as stored, every entry sealed, the chain reaching the head PERS signed, every entry's
     * postings summing to zero, every balance row equal to the sum of its postings.
     */
    public Verification verify() {
        seal(true);
        return snapshot.execute(status -> check());
    }

    private Verification check() {
        UUID tenant = TenantContext.requireTenantId();
        List<String> problems = new ArrayList<>();
        Optional<Checkpoint> checkpoint = checkpoint();
        long[] seq = {0};
        Long[] broken = {null};
        byte[][] previous = {GENESIS};
        byte[][] atCheckpoint = {null};
        // Left joins: a seal whose entry lost every posting is still walked, and fails its hash.
        db.sql("select s.seq, s.entry_id, s.prev_hash, s.hash, " + CONTENT + " from ledger_seals s"
                        + " left join journal_entries e on e.id = s.entry_id left join postings p on p.entry_id = e.id"
                        + " group by s.seq, s.entry_id, s.prev_hash, s.hash, e.id order by s.seq")
                .query((ResultSet rs) -> {
                    long at = rs.getLong("seq");
                    String seal = "seal " + at + " (entry " + rs.getString("entry_id") + ")";
                    String problem = null;
                    if (at != seq[0] + 1) {
                        problem = seal + " follows seal " + seq[0] + ": the seals between are gone";
                    } else if (!MessageDigest.isEqual(rs.getBytes("prev_hash"), previous[0])) {
                        problem = seal + " does not chain to the seal before it";
                    } else if (!MessageDigest.isEqual(
                            rs.getBytes("hash"), hash(previous[0], rs.getString("content")))) {
                        problem = seal + ": the entry or its postings differ from what was sealed";
                    }
                    if (problem != null) {
                        note(problems, problem);
                        broken[0] = broken[0] == null ? at : broken[0];
                    }
                    seq[0] = at;
                    previous[0] = rs.getBytes("hash");
                    if (checkpoint.isPresent() && checkpoint.get().seq() == at) {
                        atCheckpoint[0] = previous[0];
                    }
                });
        checkpoint.ifPresentOrElse(signed -> checkAgainst(tenant, signed, seq[0], atCheckpoint[0], problems), () -> {
            if (seq[0] > 0) {
                note(problems, "no signed checkpoint of the chain's head: removed, or sealed before there were any");
            }
        });
        List<String> unsealed = db.sql("""
                        select e.id::text from journal_entries e
                         where not exists (select 1 from ledger_seals s where s.entry_id = e.id)
                           and not exists (select 1 from ledger_unsealed u where u.entry_id = e.id)""").query(String.class).list();
        unsealed.forEach(id -> note(problems, "entry " + id + " has no seal"));
        List<String> unbalanced = db.sql("""
                        select 'the postings of entry ' || entry_id || ' sum to ' || sum(amount) || ', not zero'
                          from postings group by entry_id having sum(amount) <> 0""").query(String.class).list();
        unbalanced.forEach(problem -> note(problems, problem));
        List<String> mismatches = db.sql("""
                        select 'wallet ' || wallet_id || ', token ' || token_id || ': balance ' || amount
                               || ' but its postings sum to ' || posted
                          from (select b.wallet_id, b.token_id, b.amount,
                                       (select coalesce(sum(p.amount), 0) from postings p
                                          join journal_entries e on e.id = p.entry_id
                                         where p.wallet_id = b.wallet_id and e.token_id = b.token_id) as posted
                                  from balances b) w
                         where amount <> posted""").query(String.class).list();
        mismatches.forEach(problem -> note(problems, problem));
        long entries =
                db.sql("select count(*) from journal_entries").query(Long.class).single();
        return new Verification(
                entries,
                seq[0],
                unsealed.size(),
                HexFormat.of().formatHex(previous[0]),
                checkpoint.map(Checkpoint::seq).orElse(null),
                problems.isEmpty(),
                broken[0],
                unbalanced.size(),
                mismatches.size(),
                List.copyOf(problems));
    }

    /** The chain against the head PERS signed: it reaches it, with the same hash there. */
    private void checkAgainst(
            UUID tenant, Checkpoint signed, long sealedThrough, byte[] hashThere, List<String> problems) {
        if (!signedByPers(tenant, signed)) {
            note(problems, "the checkpoint at seal " + signed.seq() + " is not signed by PERS");
        } else if (signed.seq() > sealedThrough) {
            note(
                    problems,
                    "the chain ends at seal " + sealedThrough + " but PERS signed its head at seal " + signed.seq()
                            + ": the entries sealed after seal " + sealedThrough + " were removed");
        } else if (!MessageDigest.isEqual(hashThere, signed.hash())) {
            note(problems, "seal " + signed.seq() + " differs from the head PERS signed");
        }
    }

    private Optional<Checkpoint> checkpoint() {
        return db.sql("select seq, hash, mac from ledger_checkpoints")
                .query((rs, i) -> new Checkpoint(rs.getLong(1), rs.getBytes(2), rs.getBytes(3)))
                .optional();
    }

    private static void note(List<String> problems, String problem) {
        if (problems.size() < NAMED) {
            problems.add(problem);
        }
    }

    /** Signed with the current master key's checkpoint key. */
    private byte[] mac(UUID tenant, long seq, byte[] hash) {
        return mac(secrets.deriveKey(CHECKPOINT_PURPOSE), tenant, seq, hash);
    }

    private static byte[] mac(byte[] key, UUID tenant, long seq, byte[] hash) {
        return Secrets.hmacSha256(
                key, (tenant + ":" + seq + ":" + HexFormat.of().formatHex(hash)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Signed under any configured master key: a checkpoint signed before a key rotation verifies
     * until {@link #resignCheckpoint()} (the re-seal command) or the next seal signs it anew.
     */
    private boolean signedByPers(UUID tenant, Checkpoint signed) {
        return secrets.derivedKeys(CHECKPOINT_PURPOSE).values().stream()
                .anyMatch(key -> MessageDigest.isEqual(signed.mac(), mac(key, tenant, signed.seq(), signed.hash())));
    }

    /**
     * Signs the current tenant's checkpoint again under the current master key, when it verifies
     * under another configured one (a master key rotation). One that verifies under none is left as
     * it is, for the verification to report. True when it was signed anew.
     */
    public boolean resignCheckpoint() {
        UUID tenant = TenantContext.requireTenantId();
        return Boolean.TRUE.equals(tx.execute(status -> db.sql(
                        "select seq, hash, mac from ledger_checkpoints for update")
                .query((rs, i) -> new Checkpoint(rs.getLong(1), rs.getBytes(2), rs.getBytes(3)))
                .optional()
                .filter(signed -> !MessageDigest.isEqual(signed.mac(), mac(tenant, signed.seq(), signed.hash())))
                .filter(signed -> signedByPers(tenant, signed))
                .map(signed -> db.sql("update ledger_checkpoints set mac = ? where seq = ? and mac = ?")
                                .params(mac(tenant, signed.seq(), signed.hash()), signed.seq(), signed.mac())
                                .update()
                        > 0)
                .orElse(false)));
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
