package io.pers.purchase;

import io.pers.crypto.Secrets;
import io.pers.event.DomainEvents;
import io.pers.ledger.Balances;
import io.pers.ledger.Ledger;
import io.pers.ledger.Ledger.Actor;
import io.pers.ledger.Ledger.Kind;
import io.pers.ledger.Ledger.Posting;
import io.pers.ledger.Ledger.Reason;
import io.pers.ledger.Wallets;
import io.pers.ledger.Wallets.Owner;
import io.pers.ledger.Wallets.OwnerType;
import io.pers.purchase.Purchases.Purchase;
import io.pers.purchase.Purchases.Reversal;
import io.pers.purchase.Purchases.Status;
import io.pers.tenant.TenantContext;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Stripe's webhook events on purchases. Each is applied in one transaction holding the
 * purchase's row lock, so a duplicate or concurrent delivery of the same event waits and then
 * finds its work done: the mint's entry id is derived from the purchase, one mint per purchase.
 *
 * <p>Refunds and disputes take tokens back cumulatively: Stripe reports the charge's total
 * refunded ({@code amount_refunded}) and a dispute's amount, and after them floor(quantity x
 * min(refunded + disputed, amount) / amount) is due in all, so partial refunds add up to the
 * whole purchase exactly, and a redelivered or late event calls for nothing more. A dispute is
 * treated as a refund of its amount: Stripe takes the disputed funds from the balance when the
 * dispute is opened. Policy "floor", as claim refunds: the user's balance never goes negative;
 * what was spent already is recorded as shortfall.
 */
@Component
class PaymentEvents {

    private static final Logger log = LoggerFactory.getLogger(PaymentEvents.class);
    private static final Actor ACTOR = new Actor("SYSTEM", "stripe");

    /** What the webhook answers; Stripe only looks at the status. */
    record Outcome(String eventId, String result) {}

    private final Stripe stripe;
    private final Purchases purchases;
    private final Ledger ledger;
    private final Wallets wallets;
    private final Balances balances;
    private final DomainEvents events;
    private final JdbcClient db;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    PaymentEvents(
            Stripe stripe,
            Purchases purchases,
            Ledger ledger,
            Wallets wallets,
            Balances balances,
            DomainEvents events,
            JdbcClient db,
            TransactionTemplate tx,
            ObjectMapper json) {
        this.stripe = stripe;
        this.purchases = purchases;
        this.ledger = ledger;
        this.wallets = wallets;
        this.balances = balances;
        this.events = events;
        this.db = db;
        this.tx = tx;
        this.json = json;
    }

    /** Verifies the delivery, then applies it; nothing is read from an unverified body. */
    Outcome receive(String signature, byte[] payload) {
        stripe.verify(signature, payload);
        JsonNode event = json.readTree(payload);
        String eventId = event.path("id").asString("");
        String type = event.path("type").asString("");
        JsonNode object = event.path("data").path("object");
        String intent =
                switch (type) {
                    case "payment_intent.succeeded" -> object.path("id").asString("");
                    case "charge.refunded", "charge.dispute.created" ->
                        object.path("payment_intent").asString("");
                    default -> "";
                };
        if (intent.isEmpty()) {
            return new Outcome(eventId, "ignored");
        }
        UUID tenant = db.sql("select resolve_purchase_tenant(?)")
                .param(intent)
                .query(UUID.class)
                .optional()
                .orElse(null);
        if (tenant == null) { // another application's payment on the same Stripe account
            log.info("Stripe event {} ({}) names no purchase: ignored", eventId, type);
            return new Outcome(eventId, "ignored");
        }
        return TenantContext.callAs(
                tenant,
                () -> tx.execute(status -> {
                    Purchase purchase = purchases.lockByPaymentIntent(intent).orElseThrow();
                    switch (type) {
                        case "payment_intent.succeeded" -> mint(purchase);
                        case "charge.refunded" ->
                            purchases.recordTakenBack(
                                    purchase.id(),
                                    object.path("amount_refunded").asLong(),
                                    0);
                        default ->
                            purchases.recordTakenBack(
                                    purchase.id(), 0, object.path("amount").asLong());
                    }
                    takeBack(purchases.find(purchase.id()), eventId, type);
                    return new Outcome(eventId, "applied");
                }));
    }

    private void mint(Purchase purchase) {
        if (purchase.mintTransactionId() != null) {
            return; // minted by an earlier delivery
        }
        UUID entry = Secrets.derivedId("purchase-mint:" + purchase.id());
        ledger.post(new Posting(
                entry,
                Kind.MINT,
                purchase.tokenId(),
                wallets.issuance(),
                wallets.walletOf(new Owner(OwnerType.USER, purchase.userId())),
                purchase.quantity(),
                Reason.PURCHASE,
                purchase.id().toString(),
                ACTOR,
                null,
                "PaymentIntent " + purchase.paymentIntentId()));
        purchases.completed(purchase.id(), entry);
        events.record("purchase.completed", purchase.id(), purchases.find(purchase.id()));
    }

    /** Reverses what the refunds and disputes so far call for beyond what earlier events took. */
    private void takeBack(Purchase purchase, String eventId, String eventType) {
        if (purchase.mintTransactionId() == null || purchases.hasReversal(purchase.id(), eventId)) {
            return; // nothing minted yet (the mint applies it), or this event was applied
        }
        long takenBack = Math.min(purchase.refundedAmount() + purchase.disputedAmount(), purchase.amount());
        BigInteger dueInAll = purchase.quantity()
                .multiply(BigInteger.valueOf(takenBack))
                .divide(BigInteger.valueOf(purchase.amount()));
        BigInteger due = dueInAll.subtract(purchase.reversedDue());
        if (due.signum() <= 0) {
            return;
        }
        Owner user = new Owner(OwnerType.USER, purchase.userId());
        BigInteger reversed = due.min(balance(user, purchase.tokenId()));
        UUID entry = null;
        if (reversed.signum() > 0) {
            entry = Secrets.derivedId("purchase-reversal:" + purchase.id() + ":" + eventId);
            ledger.post(new Posting(
                    entry,
                    Kind.REVERSAL,
                    purchase.tokenId(),
                    wallets.walletOf(user),
                    wallets.issuance(),
                    reversed,
                    Reason.REVERSAL,
                    purchase.mintTransactionId().toString(), // points at the mint it (partly) reverses
                    ACTOR,
                    null,
                    eventType + " " + eventId));
        }
        Reversal line = new Reversal(eventId, eventType, due, reversed, due.subtract(reversed), entry, null);
        Status status = dueInAll.equals(purchase.quantity()) ? Status.REFUNDED : Status.PARTIALLY_REFUNDED;
        purchases.addReversal(purchase.id(), line, dueInAll, status);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("purchaseId", purchase.id());
        data.put("userId", purchase.userId());
        data.put("tokenId", purchase.tokenId());
        data.put("cause", eventType);
        data.put("due", due.toString());
        data.put("reversed", reversed.toString());
        data.put("shortfall", due.subtract(reversed).toString());
        data.put("status", status);
        if (entry != null) {
            data.put("transactionId", entry);
        }
        events.record(
                "purchase.refunded", Secrets.derivedId("purchase-refunded:" + purchase.id() + ":" + eventId), data);
    }

    private BigInteger balance(Owner owner, UUID tokenId) {
        return balances.of(owner, tokenId).stream()
                .map(Balances.Balance::amount)
                .findFirst()
                .orElse(BigInteger.ZERO);
    }
}
