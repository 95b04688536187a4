package io.pers.ledger;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.event.DomainEvents;
import io.pers.ledger.Transactions.Status;
import io.pers.ledger.Transactions.Transaction;
import io.pers.ledger.Wallets.Owner;
import io.pers.ledger.Wallets.OwnerType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.postgresql.util.PSQLException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes to the double-entry journal. Each entry moves an amount of one token between two
 * wallets through {@code ledger_post}, which keeps the invariants in the database: postings sum
 * to zero, user and business balances never go negative nor past uint256, entries are never
 * changed (a correction is a REVERSAL entry pointing at what it reverses).
 *
 * <p>Entry ids are chosen by the caller: a caller that derives the id from a business key (a
 * claim id, a redeem id) gets exactly one entry however often it retries.
 */
@Component
public class Ledger {

    public enum Kind {
        MINT,
        TRANSFER,
        BURN,
        REVERSAL
    }

    /** Why an entry exists. */
    public enum Reason {
        CLAIM,
        REDEEM,
        CONVERSION,
        PURCHASE,
        TRANSFER,
        ADMIN_ADJUSTMENT,
        REVERSAL,
        /** The unspent rest of an expired lot, burned back to the issuance account (io.pers.expiry). */
        EXPIRY
    }

    /** Who made the entry: a role and the id of the user, admin, business or API key. */
    public record Actor(String type, String id) {}

    public record Posting(
            UUID entryId,
            Kind kind,
            UUID tokenId,
            UUID fromWallet,
            UUID toWallet,
            BigInteger amount,
            Reason reason,
            String reference,
            Actor actor,
            UUID reverses,
            String memo) {}

    /**
     * Published inside the posting's transaction, so what depends on balances (status tiers) is
     * updated atomically with them: the users whose balance of {@code tokenId} the entry changed.
     * Only for tokens a status tier counts: no other balance can move a tier.
     */
    public record BalancesChanged(UUID tokenId, List<UUID> userIds) {}

    /**
     * Published inside the posting's transaction for every new entry, so what mirrors the ledger
     * elsewhere (the chain's settlement queue) records it atomically with it.
     */
    public record Posted(Transaction transaction) {}

    private final JdbcClient db;
    private final Transactions transactions;
    private final DomainEvents events;
    private final ApplicationEventPublisher publisher;

    Ledger(JdbcClient db, Transactions transactions, DomainEvents events, ApplicationEventPublisher publisher) {
        this.db = db;
        this.transactions = transactions;
        this.events = events;
        this.publisher = publisher;
    }

    /**
     * Posts the entry, or returns the one already posted under this id (ledger_post then changes
     * nothing). One round trip posts it and answers what the events need, and one more records the
     * events: the balance rows the entry locks are held no longer than that and the commit.
     */
    @Transactional
    public Transaction post(Posting p) {
        Amounts.requirePositive(p.amount());
        Optional<NewEntry> posted;
        try {
            posted = db.sql("select * from ledger_post(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(
                            p.entryId(),
                            p.kind().name(),
                            p.tokenId(),
                            p.fromWallet(),
                            p.toWallet(),
                            new BigDecimal(p.amount()),
                            p.reason().name(),
                            p.reference(),
                            p.actor().type(),
                            p.actor().id(),
                            p.reverses(),
                            p.memo())
                    .query(Ledger::newEntry)
                    .optional();
        } catch (DataAccessException e) {
            throw translate(e, p);
        }
        if (posted.isEmpty()) { // posted before under this id, and told then
            return transactions.find(p.entryId());
        }
        Transaction transaction = posted.get().transaction(p);
        tellPartners(transaction, posted.get());
        publisher.publishEvent(new Posted(transaction));
        return transaction;
    }

    /** What ledger_post answers for a new entry: its time, both parties and their new balances. */
    private record NewEntry(OffsetDateTime createdAt, Party sender, Party recipient, boolean tierCounted) {

        Transaction transaction(Posting p) {
            return new Transaction(
                    p.entryId(),
                    p.kind(),
                    Status.COMPLETED, // nothing can have reversed an entry not yet committed
                    p.tokenId(),
                    p.amount(),
                    sender.owner(),
                    recipient.owner(),
                    p.reason().name(),
                    p.reference(),
                    p.actor(),
                    p.reverses(),
                    p.memo(),
                    createdAt,
                    p.fromWallet(),
                    p.toWallet());
        }
    }

    /** A party of the entry; {@code balance} is null for accounts that keep none (issuance). */
    private record Party(Owner owner, BigInteger balance) {}

    private static NewEntry newEntry(ResultSet rs, int row) throws SQLException {
        return new NewEntry(
                rs.getObject("created_at", OffsetDateTime.class),
                party(rs, "sender"),
                party(rs, "recipient"),
                rs.getBoolean("tier_counted"));
    }

    private static Party party(ResultSet rs, String role) throws SQLException {
        BigDecimal balance = rs.getBigDecimal(role + "_balance");
        return new Party(
                new Owner(OwnerType.valueOf(rs.getString(role + "_type")), rs.getObject(role + "_id", UUID.class)),
                balance == null ? null : balance.toBigIntegerExact());
    }

    /**
     * transaction.created with the entry as the API shows it, and balance.changed with the new
     * balances of the users and businesses it touched (the issuance and external accounts are not news).
     */
    private void tellPartners(Transaction transaction, NewEntry posted) {
        List<Party> changed = Stream.of(posted.sender(), posted.recipient())
                .filter(party ->
                        party.owner().type() == OwnerType.USER || party.owner().type() == OwnerType.BUSINESS)
                .sorted(Comparator.comparing(
                                (Party party) -> party.owner().type().name())
                        .thenComparing(party -> party.owner().id()))
                .toList();
        List<DomainEvents.Event> told = new ArrayList<>();
        told.add(new DomainEvents.Event("transaction.created", transaction.id(), transaction));
        if (!changed.isEmpty()) {
            List<Map<String, Object>> balances = changed.stream()
                    .map(party -> Map.<String, Object>of(
                            "owner",
                                    Map.of(
                                            "type",
                                            party.owner().type().name(),
                                            "id",
                                            party.owner().id()),
                            "amount", party.balance().toString()))
                    .toList();
            told.add(new DomainEvents.Event(
                    "balance.changed",
                    transaction.id(),
                    Map.of("transactionId", transaction.id(), "tokenId", transaction.tokenId(), "balances", balances)));
        }
        events.record(told);
        List<UUID> users = changed.stream()
                .filter(party -> party.owner().type() == OwnerType.USER)
                .map(party -> party.owner().id())
                .toList();
        if (posted.tierCounted() && !users.isEmpty()) {
            publisher.publishEvent(new BalancesChanged(transaction.tokenId(), users));
        }
    }

    /** Reverses an entry: the same amount back from its recipient to its sender. */
    @Transactional
    public Transaction reverse(UUID entryId, UUID reversalId, Actor actor, String memo) {
        Transaction original = transactions.find(entryId);
        if (original.type() == Kind.REVERSAL) {
            throw new PersException(ErrorCode.NOT_REVERSIBLE, "A reversal cannot itself be reversed");
        }
        // Checked first so a second reversal says so, not that the balance is short; the unique
        // key on reverses_entry_id still decides a race.
        if (db.sql("select 1 from journal_entries where reverses_entry_id = ?")
                .param(entryId)
                .query(Integer.class)
                .optional()
                .isPresent()) {
            throw new PersException(ErrorCode.ALREADY_REVERSED, "Transaction " + entryId + " is already reversed");
        }
        return post(new Posting(
                reversalId,
                Kind.REVERSAL,
                original.tokenId(),
                original.recipientWallet(),
                original.senderWallet(),
                original.amount(),
                Reason.REVERSAL,
                original.id().toString(),
                actor,
                entryId,
                memo));
    }

    private static RuntimeException translate(DataAccessException e, Posting p) {
        PSQLException cause = rootPsql(e);
        String state = cause == null ? null : cause.getSQLState();
        String constraint = cause == null || cause.getServerErrorMessage() == null
                ? null
                : cause.getServerErrorMessage().getConstraint();
        if ("23505".equals(state) && "journal_entries_pkey".equals(constraint)) {
            // The same entry id posted concurrently: the other post won; a retry reads it.
            return new PersException(ErrorCode.IDEMPOTENCY_KEY_IN_USE, "Entry " + p.entryId() + " is being posted");
        }
        return switch (state == null ? "" : state) {
            case "PE001" -> new PersException(ErrorCode.INSUFFICIENT_BALANCE, "The sender's balance is insufficient");
            case "PE002" -> new PersException(ErrorCode.TOKEN_INACTIVE, "Token is unknown or inactive");
            case "PE003" -> PersException.notFound("Wallet");
            case "PE004" -> new PersException(ErrorCode.INVALID_AMOUNT);
            case "PE005" -> new PersException(ErrorCode.TOKEN_NOT_TRANSFERABLE);
            case "23514" -> new PersException(ErrorCode.BALANCE_OVERFLOW);
            case "23505" ->
                new PersException(ErrorCode.ALREADY_REVERSED, "Transaction " + p.reverses() + " is already reversed");
            default -> e;
        };
    }

    private static PSQLException rootPsql(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException psql) {
                return psql;
            }
            if (t instanceof SQLException sql && sql.getNextException() instanceof PSQLException next) {
                return next;
            }
        }
        return null;
    }
}
