package io.pers.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.OwnerSql;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Invariant 2, the ledger balances: asserted through the API under concurrent transfers, and
 * in the database, where the app's own role cannot break it.
 */
class LedgerIT extends ApiTest {

    private static final int WALLETS = 20;
    private static final int THREADS = 8;
    private static final int TRANSFERS_PER_THREAD = 500;
    private static final long INITIAL = 1_000;

    @Autowired
    JdbcClient db;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    Wallets wallets;

    @Test
    void concurrentRandomTransfersLoseNothingAndNeverGoNegative() throws Exception {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("PTS");
        List<UUID> users = new ArrayList<>();
        Map<UUID, BigInteger> expected = new ConcurrentHashMap<>();
        for (int i = 0; i < WALLETS; i++) {
            UUID user = tenant.createUser("holder" + i + "@ledger.test");
            tenant.mint(token, user, INITIAL);
            users.add(user);
            expected.put(user, BigInteger.valueOf(INITIAL));
        }
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            runs.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < TRANSFERS_PER_THREAD; i++) {
                    UUID from = users.get(random.nextInt(WALLETS));
                    UUID to = users.get(random.nextInt(WALLETS));
                    while (to.equals(from)) {
                        to = users.get(random.nextInt(WALLETS));
                    }
                    long amount = 1 + random.nextInt(400);
                    Api.Response response = tenant.transfer(token, from, to, amount);
                    if (response.status() == 201) {
                        expected.merge(from, BigInteger.valueOf(-amount), BigInteger::add);
                        expected.merge(to, BigInteger.valueOf(amount), BigInteger::add);
                        completed.incrementAndGet();
                    } else {
                        assertThat(response.code()).as(response.toString()).isEqualTo("INSUFFICIENT_BALANCE");
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        pool.shutdown();

        assertThat(completed.get() + refused.get()).isEqualTo(THREADS * TRANSFERS_PER_THREAD);
        assertThat(completed.get()).as("most transfers go through").isGreaterThan(THREADS * TRANSFERS_PER_THREAD / 2);
        BigInteger sum = BigInteger.ZERO;
        for (UUID user : users) {
            BigInteger balance = tenant.balance(user, token);
            assertThat(balance).as("no lost update on " + user).isEqualTo(expected.get(user));
            assertThat(balance.signum()).isGreaterThanOrEqualTo(0);
            sum = sum.add(balance);
        }
        Api.Response supply = tenant.admin().get("/v2/tokens/" + token + "/supply");
        assertThat(new BigInteger(supply.text("outstanding"))).isEqualTo(sum);
        assertThat(new BigInteger(supply.text("minted"))).isEqualTo(BigInteger.valueOf(INITIAL * WALLETS));
        // Sealing and re-hashing 4000 entries while the shared stack's background work runs can
        // outlast the default timeout on a loaded 2-core machine.
        Api.Response verification = tenant.admin().get("/v2/ledger/verification", Duration.ofMinutes(3));
        assertThat(verification.json().path("valid").asBoolean())
                .as(verification.toString())
                .isTrue();
        assertThat(verification.json().path("entries").asLong()).isEqualTo(WALLETS + completed.get());
    }

    /** Partners hear of every entry once: transaction.created and balance.changed, in its transaction. */
    @Test
    void aTransferRecordsItsEventsForPartnersOnce() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("EVT");
        UUID alice = tenant.createUser("alice@events.test");
        UUID bob = tenant.createUser("bob@events.test");
        tenant.mint(token, alice, 100);
        Api.Response transfer = tenant.transfer(token, alice, bob, 40);
        String id = transfer.text("id");

        Map<String, String> events = TenantContext.callAs(tenant.id(), () -> db
                .sql("select type, payload::text from domain_events where subject_id = ?::uuid")
                .param(id)
                .query((rs, i) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertThat(events).containsOnlyKeys("transaction.created", "balance.changed");
        assertThat(events.get("transaction.created"))
                .contains("\"amount\": \"40\"")
                .contains(bob.toString());
        assertThat(events.get("balance.changed"))
                .contains("\"amount\": \"60\"")
                .contains("\"amount\": \"40\"")
                .contains(alice.toString());
    }

    @Test
    void reversalMovesTheAmountBackOnceAndPointsAtTheOriginal() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("REV");
        UUID alice = tenant.createUser("alice@ledger.test");
        UUID bob = tenant.createUser("bob@ledger.test");
        tenant.mint(token, alice, 100);
        String transfer = tenant.transfer(token, alice, bob, 40).text("id");

        Api.Response reversal =
                tenant.admin().post("/v2/transactions/" + transfer + "/reversal", Map.of("memo", "wrong guest"));
        assertThat(reversal.status()).as(reversal.toString()).isEqualTo(201);
        assertThat(reversal.text("type")).isEqualTo("REVERSAL");
        assertThat(reversal.text("reversesId")).isEqualTo(transfer);
        assertThat(tenant.balance(alice, token)).isEqualTo(BigInteger.valueOf(100));
        assertThat(tenant.balance(bob, token)).isEqualTo(BigInteger.ZERO);

        Api.Response again = tenant.admin().post("/v2/transactions/" + transfer + "/reversal", Map.of());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("ALREADY_REVERSED");
        assertThat(tenant.balance(alice, token)).isEqualTo(BigInteger.valueOf(100));
    }

    @Test
    void statusTokensAreNotTransferableAndARefusedTransferChangesNothing() {
        TenantFixture tenant = newTenant();
        Api.Response created = tenant.admin()
                .post("/v2/tokens", Map.of("type", "STATUS", "name", "Gold status", "symbol", "GLD", "decimals", 0));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID status = UUID.fromString(created.text("id"));
        UUID alice = tenant.createUser("alice@status.test");
        UUID bob = tenant.createUser("bob@status.test");
        tenant.mint(status, alice, 1);
        long entries =
                tenant.admin().get("/v2/transactions").json().path("total").asLong();

        Api.Response transfer = tenant.transfer(status, alice, bob, 1);

        assertThat(transfer.status()).as(transfer.toString()).isEqualTo(422);
        assertThat(transfer.code()).isEqualTo("TOKEN_NOT_TRANSFERABLE");
        assertThat(tenant.balance(alice, status)).isEqualTo(BigInteger.ONE);
        assertThat(tenant.balance(bob, status)).isEqualTo(BigInteger.ZERO);
        assertThat(tenant.admin().get("/v2/transactions").json().path("total").asLong())
                .isEqualTo(entries);
    }

    @Test
    void burnReturnsToIssuanceAndUsersTransferOnlyFromTheirOwnWallet() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("BRN");
        UUID alice = tenant.createUser("alice@burn.test");
        tenant.mint(token, alice, 50);
        Api.Response burn = tenant.admin()
                .post(
                        "/v2/transactions",
                        Map.of(
                                "type",
                                "BURN",
                                "tokenId",
                                token.toString(),
                                "amount",
                                "20",
                                "sender",
                                Map.of("type", "USER", "id", alice.toString())));
        assertThat(burn.status()).as(burn.toString()).isEqualTo(201);
        Api.Response supply = tenant.admin().get("/v2/tokens/" + token + "/supply");
        assertThat(supply.text("minted")).isEqualTo("50");
        assertThat(supply.text("burned")).isEqualTo("20");
        assertThat(supply.text("outstanding")).isEqualTo("30");
        assertThat(tenant.balance(alice, token)).isEqualTo(BigInteger.valueOf(30));
    }

    @Test
    void theDatabaseRefusesWhatTheLedgerForbidsEvenToTheAppRole() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("DB");
        UUID alice = tenant.createUser("alice@db.test");
        UUID entry = tenant.mint(token, alice, 10);

        TenantContext.runAs(tenant.id(), () -> {
            assertThatThrownBy(() -> db.sql("update journal_entries set memo = 'edited' where id = ?")
                            .param(entry)
                            .update())
                    .as("entries are append-only")
                    .isInstanceOf(DataAccessException.class);
            assertThatThrownBy(() -> db.sql("delete from postings where entry_id = ?")
                            .param(entry)
                            .update())
                    .as("postings are append-only")
                    .isInstanceOf(DataAccessException.class);
            assertThatThrownBy(() -> db.sql("update balances set amount = -1 where token_id = ?")
                            .param(token)
                            .update())
                    .as("balances never go negative")
                    .isInstanceOf(DataAccessException.class);
            assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
                        UUID wallet = db.sql("select wallet_id from postings where entry_id = ? and amount > 0")
                                .param(entry)
                                .query(UUID.class)
                                .single();
                        UUID forged = UUID.randomUUID();
                        db.sql(
                                        "insert into journal_entries (id, tenant_id, kind, token_id, reason_type, actor_type, actor_id, created_at)"
                                                + " values (?, ?, 'MINT', ?, 'TEST', 'TEST', 'test', now())")
                                .params(forged, tenant.id(), token)
                                .update();
                        db.sql("insert into postings (entry_id, tenant_id, wallet_id, amount) values (?, ?, ?, 5)")
                                .params(forged, tenant.id(), wallet)
                                .update();
                    }))
                    .as("an entry whose postings do not sum to zero cannot commit")
                    .hasStackTraceContaining("does not balance");
        });
        assertThat(tenant.balance(alice, token)).isEqualTo(BigInteger.TEN);
        assertThat(tenant.admin()
                        .get("/v2/ledger/verification")
                        .json()
                        .path("valid")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void aWalletMadeUnderASavepointThatRolledBackIsNotRememberedOnceTheTransactionCommits() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("SVP");
        UUID user = tenant.createUser("savepoint@ledger.test");
        Wallets.Owner owner = new Wallets.Owner(Wallets.OwnerType.USER, user);
        TransactionTemplate savepoint = new TransactionTemplate(tx.getTransactionManager());
        savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        // As the chain follower applies an event that then fails: its savepoint is undone, the step commits.
        UUID undone = TenantContext.callAs(
                tenant.id(),
                () -> tx.execute(outer -> savepoint.execute(inner -> {
                    inner.setRollbackOnly();
                    return wallets.walletOf(owner);
                })));

        UUID wallet = TenantContext.callAs(tenant.id(), () -> wallets.walletOf(owner));
        assertThat(wallet).isNotEqualTo(undone);
        tenant.mint(token, user, 5);
        assertThat(tenant.balance(user, token)).isEqualTo(BigInteger.valueOf(5));
    }

    @Test
    void verificationDetectsATamperedEntry() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("TMP");
        UUID alice = tenant.createUser("alice@tamper.test");
        tenant.mint(token, alice, 10);
        UUID second = tenant.mint(token, alice, 5);
        tenant.mint(token, alice, 7);
        assertThat(tenant.admin()
                        .get("/v2/ledger/verification")
                        .json()
                        .path("valid")
                        .asBoolean())
                .isTrue();

        // Only the owner (or a superuser) could do this; the chain must still tell.
        OwnerSql.run(
                db,
                "alter table journal_entries disable trigger journal_entries_append_only",
                // Row-level security is forced, so even the owner only sees a tenant it names.
                "select set_config('pers.tenant_id', '" + tenant.id() + "', false)",
                "update journal_entries set memo = 'rewritten' where id = '" + second + "'",
                "alter table journal_entries enable trigger journal_entries_append_only");
        Api.Response verification = tenant.admin().get("/v2/ledger/verification");
        assertThat(verification.json().path("valid").asBoolean()).isFalse();
        assertThat(verification.json().path("firstBrokenSeq").asLong()).isEqualTo(2);
    }

    /**
     * The tail cut off with its seals: first the last seal alone (its entry stays, unsealed), then
     * the entry, its postings and the balance they moved, so what is left chains, sums to zero and
     * matches its balances. The real count of entries and the head PERS signed show both; and the
     * sealer does not sign a new head onto the cut chain.
     */
    @Test
    void verificationSeesTheTailCutOffTogetherWithItsSeals() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("CUT");
        UUID alice = tenant.createUser("alice@cut.test");
        tenant.mint(token, alice, 10);
        tenant.mint(token, alice, 5);
        UUID last = tenant.mint(token, alice, 7);
        JsonNode intact = verification(tenant);
        assertThat(intact.path("valid").asBoolean()).as(intact.toString()).isTrue();
        assertThat(intact.path("entries").asLong()).isEqualTo(3);
        assertThat(intact.path("sealedThrough").asLong()).isEqualTo(3);
        assertThat(intact.path("checkpointSeq").asLong()).isEqualTo(3);

        tamper(tenant, "delete from ledger_seals where entry_id = '" + last + "'");
        JsonNode unsealed = verification(tenant);
        assertThat(unsealed.path("valid").asBoolean()).isFalse();
        assertThat(unsealed.path("entries").asLong()).isEqualTo(3);
        assertThat(unsealed.path("sealedThrough").asLong()).isEqualTo(2);
        assertThat(unsealed.path("unsealedEntries").asLong()).isEqualTo(1);
        String cut = "the chain ends at seal 2 but PERS signed its head at seal 3:"
                + " the entries sealed after seal 2 were removed";
        assertThat(problems(unsealed)).containsExactlyInAnyOrder("entry " + last + " has no seal", cut);

        tamper(
                tenant,
                "update balances b set amount = b.amount - p.amount from postings p" + " where p.entry_id = '" + last
                        + "' and p.wallet_id = b.wallet_id",
                "delete from postings where entry_id = '" + last + "'",
                "delete from journal_entries where id = '" + last + "'");
        JsonNode truncated = verification(tenant);
        assertThat(truncated.path("valid").asBoolean()).as(truncated.toString()).isFalse();
        assertThat(truncated.path("entries").asLong()).isEqualTo(2);
        assertThat(truncated.path("sealedThrough").asLong()).isEqualTo(2);
        assertThat(truncated.path("unbalancedEntries").asLong()).isZero();
        assertThat(truncated.path("balanceMismatches").asLong()).isZero();
        assertThat(problems(truncated)).containsExactly(cut);

        tenant.mint(token, alice, 1);
        JsonNode later = verification(tenant);
        assertThat(later.path("checkpointSeq").asLong()).isEqualTo(3);
        assertThat(problems(later)).as("a new entry does not seal over the cut").containsExactly(cut);
    }

    /** An amount edited on both sides of a transfer (it still sums to zero, balances made to match). */
    @Test
    void verificationNamesTheEntryWhoseAmountWasEdited() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("EDT");
        UUID alice = tenant.createUser("alice@edit.test");
        UUID bob = tenant.createUser("bob@edit.test");
        tenant.mint(token, alice, 100);
        UUID transfer = UUID.fromString(tenant.transfer(token, alice, bob, 4).text("id"));
        tenant.mint(token, alice, 7);
        assertThat(verification(tenant).path("valid").asBoolean()).isTrue();

        tamper(
                tenant,
                "update balances b set amount = b.amount + 9 * p.amount from postings p" + " where p.entry_id = '"
                        + transfer + "' and p.wallet_id = b.wallet_id",
                "update postings set amount = amount * 10 where entry_id = '" + transfer + "'");
        JsonNode edited = verification(tenant);
        assertThat(edited.path("valid").asBoolean()).isFalse();
        assertThat(edited.path("firstBrokenSeq").asLong()).isEqualTo(2);
        assertThat(edited.path("unbalancedEntries").asLong()).isZero();
        assertThat(edited.path("balanceMismatches").asLong()).isZero();
        assertThat(problems(edited))
                .containsExactly(
                        "seal 2 (entry " + transfer + "): the entry or its postings differ from what was sealed");
    }

    /** One side of a transfer removed: the seal, the entry's sum and the recipient's balance each say so. */
    @Test
    void verificationNamesTheEntryThatLostAPosting() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("RMV");
        UUID alice = tenant.createUser("alice@remove.test");
        UUID bob = tenant.createUser("bob@remove.test");
        tenant.mint(token, alice, 10);
        UUID transfer = UUID.fromString(tenant.transfer(token, alice, bob, 4).text("id"));
        assertThat(verification(tenant).path("valid").asBoolean()).isTrue();

        tamper(tenant, "delete from postings where entry_id = '" + transfer + "' and amount > 0");
        JsonNode removed = verification(tenant);
        assertThat(removed.path("valid").asBoolean()).isFalse();
        assertThat(removed.path("firstBrokenSeq").asLong()).isEqualTo(2);
        assertThat(removed.path("unbalancedEntries").asLong()).isEqualTo(1);
        assertThat(removed.path("balanceMismatches").asLong()).isEqualTo(1);
        assertThat(problems(removed))
                .contains(
                        "seal 2 (entry " + transfer + "): the entry or its postings differ from what was sealed",
                        "the postings of entry " + transfer + " sum to -4, not zero")
                .anySatisfy(problem -> assertThat(problem).contains("balance 4 but its postings sum to 0"));
    }

    private static JsonNode verification(TenantFixture tenant) {
        Api.Response verification = tenant.admin().get("/v2/ledger/verification");
        assertThat(verification.status()).as(verification.toString()).isEqualTo(200);
        return verification.json();
    }

    private static List<String> problems(JsonNode verification) {
        return verification
                .path("problems")
                .valueStream()
                .map(JsonNode::asString)
                .toList();
    }

    /** As the owner with the append-only triggers off: what only a database owner could do. */
    private void tamper(TenantFixture tenant, String... statements) {
        List<String> all = new ArrayList<>();
        for (String table : List.of("journal_entries", "postings", "ledger_seals")) {
            all.add("alter table " + table + " disable trigger " + table + "_append_only");
        }
        all.add("select set_config('pers.tenant_id', '" + tenant.id() + "', false)");
        all.addAll(List.of(statements));
        for (String table : List.of("journal_entries", "postings", "ledger_seals")) {
            all.add("alter table " + table + " enable trigger " + table + "_append_only");
        }
        OwnerSql.run(db, all.toArray(String[]::new));
    }
}
