package io.pers.purchase;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PagedQuery;
import io.pers.api.PersException;
import io.pers.crypto.Secrets;
import io.pers.purchase.PurchasableTokens.PurchasableToken;
import io.pers.tenant.TenantContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The purchases table and its reversal lines. */
@Component
class Purchases {

    enum Status {
        /** The PaymentIntent exists; Stripe has not said it succeeded. */
        PENDING_PAYMENT,
        COMPLETED,
        /** Refunds or disputes called for part of the tokens back. */
        PARTIALLY_REFUNDED,
        /** Refunds or disputes called for all of the tokens back. */
        REFUNDED
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Purchase(
            UUID id,
            UUID userId,
            UUID purchasableTokenId,
            UUID tokenId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger quantity,
            String currency,
            long amount,
            String paymentIntentId,
            Status status,
            UUID mintTransactionId,
            long refundedAmount,
            long disputedAmount,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger reversedDue,
            OffsetDateTime createdAt,
            OffsetDateTime completedAt,
            List<Reversal> reversals) {}

    /**
     * What one provider event (a refund, a dispute) took back.
     *
     * @param due what the event called for beyond earlier events
     * @param reversed what the user's balance allowed; {@code shortfall = due - reversed}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Reversal(
            String eventId,
            String eventType,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger due,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger reversed,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger shortfall,
            UUID transactionId,
            OffsetDateTime createdAt) {}

    private final JdbcClient db;

    Purchases(JdbcClient db) {
        this.db = db;
    }

    /** The purchase a caller's Idempotency-Key names: the same key always names the same purchase. */
    static UUID idOf(UUID tenantId, String callerKey, String idempotencyKey) {
        return Secrets.derivedId("purchase:" + tenantId + ":" + callerKey + ":" + idempotencyKey);
    }

    void insert(UUID id, UUID userId, PurchasableToken entry, long quantity, long amount, String paymentIntentId) {
        db.sql("""
                        insert into purchases (id, tenant_id, user_id, purchasable_id, token_id, quantity, currency,
                                               amount, payment_intent_id, status)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING_PAYMENT')""")
                .params(
                        id,
                        TenantContext.requireTenantId(),
                        userId,
                        entry.id(),
                        entry.tokenId(),
                        quantity,
                        entry.currency(),
                        amount,
                        paymentIntentId)
                .update();
    }

    Purchase find(UUID id) {
        return db.sql(SELECT + " where id = ?")
                .param(id)
                .query(Purchases::map)
                .optional()
                .map(this::withReversals)
                .orElseThrow(() -> PersException.notFound("Purchase"));
    }

    /** The purchase, locked for the rest of the transaction: the provider's events on it take turns. */
    Optional<Purchase> lockByPaymentIntent(String paymentIntentId) {
        return db.sql(SELECT + " where payment_intent_id = ? for update")
                .param(paymentIntentId)
                .query(Purchases::map)
                .optional();
    }

    Page<Purchase> list(UUID userId, Status status, PageQuery page) {
        return PagedQuery.from("purchases")
                .and("user_id = ?", userId)
                .and("status = ?", status)
                .page(db, COLUMNS, page, Purchases::map);
    }

    void completed(UUID id, UUID mintEntryId) {
        db.sql("""
                        update purchases set status = 'COMPLETED', mint_entry_id = ?, completed_at = now(),
                                             updated_at = now() where id = ?""").params(mintEntryId, id).update();
    }

    /** Keeps the provider's cumulative figures; an older event arriving late lowers nothing. */
    void recordTakenBack(UUID id, long refunded, long disputed) {
        db.sql("""
                        update purchases set refunded_amount = greatest(refunded_amount, ?),
                                             disputed_amount = greatest(disputed_amount, ?), updated_at = now()
                         where id = ?""").params(refunded, disputed, id).update();
    }

    void addReversal(UUID purchaseId, Reversal r, BigInteger reversedDue, Status status) {
        db.sql("""
                        insert into purchase_reversals (purchase_id, event_id, tenant_id, event_type, due, reversed,
                                                        entry_id)
                        values (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        purchaseId,
                        r.eventId(),
                        TenantContext.requireTenantId(),
                        r.eventType(),
                        new BigDecimal(r.due()),
                        new BigDecimal(r.reversed()),
                        r.transactionId())
                .update();
        db.sql("update purchases set reversed_due = ?, status = ?, updated_at = now() where id = ?")
                .params(new BigDecimal(reversedDue), status.name(), purchaseId)
                .update();
    }

    boolean hasReversal(UUID purchaseId, String eventId) {
        return db.sql("select exists (select 1 from purchase_reversals where purchase_id = ? and event_id = ?)")
                .params(purchaseId, eventId)
                .query(Boolean.class)
                .single();
    }

    private Purchase withReversals(Purchase p) {
        List<Reversal> reversals = db.sql("""
                        select event_id, event_type, due, reversed, entry_id, created_at from purchase_reversals
                         where purchase_id = ? order by created_at, event_id""")
                .param(p.id())
                .query((rs, i) -> {
                    BigInteger due = rs.getBigDecimal(3).toBigIntegerExact();
                    BigInteger reversed = rs.getBigDecimal(4).toBigIntegerExact();
                    return new Reversal(
                            rs.getString(1),
                            rs.getString(2),
                            due,
                            reversed,
                            due.subtract(reversed),
                            rs.getObject(5, UUID.class),
                            rs.getObject(6, OffsetDateTime.class));
                })
                .list();
        return new Purchase(
                p.id(),
                p.userId(),
                p.purchasableTokenId(),
                p.tokenId(),
                p.quantity(),
                p.currency(),
                p.amount(),
                p.paymentIntentId(),
                p.status(),
                p.mintTransactionId(),
                p.refundedAmount(),
                p.disputedAmount(),
                p.reversedDue(),
                p.createdAt(),
                p.completedAt(),
                reversals);
    }

    private static final String COLUMNS = """
            id, user_id, purchasable_id, token_id, quantity, currency, amount, payment_intent_id, status,
            mint_entry_id, refunded_amount, disputed_amount, reversed_due, created_at, completed_at""";
    private static final String SELECT = "select " + COLUMNS + " from purchases";

    private static Purchase map(ResultSet rs, int row) throws SQLException {
        return new Purchase(
                rs.getObject("id", UUID.class),
                rs.getObject("user_id", UUID.class),
                rs.getObject("purchasable_id", UUID.class),
                rs.getObject("token_id", UUID.class),
                rs.getBigDecimal("quantity").toBigIntegerExact(),
                rs.getString("currency"),
                rs.getLong("amount"),
                rs.getString("payment_intent_id"),
                Status.valueOf(rs.getString("status")),
                rs.getObject("mint_entry_id", UUID.class),
                rs.getLong("refunded_amount"),
                rs.getLong("disputed_amount"),
                rs.getBigDecimal("reversed_due").toBigIntegerExact(),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("completed_at", OffsetDateTime.class),
                null);
    }
}
