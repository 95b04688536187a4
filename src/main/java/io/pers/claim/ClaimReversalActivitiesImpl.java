package io.pers.claim;

import io.pers.campaign.CampaignCatalog;
import io.pers.claim.ClaimReversals.Line;
import io.pers.claim.ClaimReversals.Prior;
import io.pers.claim.ClaimReversals.Reversal;
import io.pers.claim.ClaimReversals.Status;
import io.pers.claim.Claims.Claim;
import io.pers.claim.Claims.MintedUnit;
import io.pers.crypto.Secrets;
import io.pers.ledger.Balances;
import io.pers.ledger.Ledger;
import io.pers.ledger.Ledger.Actor;
import io.pers.ledger.Ledger.Kind;
import io.pers.ledger.Ledger.Posting;
import io.pers.ledger.Ledger.Reason;
import io.pers.ledger.Transactions;
import io.pers.ledger.Wallets;
import io.pers.ledger.Wallets.Owner;
import io.pers.ledger.Wallets.OwnerType;
import io.pers.tenant.TenantContext;
import io.pers.workflow.claim.ClaimTuning;
import io.pers.workflow.reversal.ClaimReversalActivities;
import io.pers.workflow.reversal.ReversalRef;
import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A refund's steps against the database. A claim's reversal is measured cumulatively: after
 * refunds summing to R of an order of total B, floor(minted x min(R, B) / B) of each minted unit
 * is due in all, so partial refunds add up to exactly the minted amount once they reach the
 * order's total, whatever the rounding of each. A claim or refund without an amount is reversed
 * whole.
 */
@Component
class ClaimReversalActivitiesImpl implements ClaimReversalActivities {

    private static final Actor ACTOR = new Actor("SYSTEM", "claim-reversal");

    private final ClaimReversals reversals;
    private final Claims claims;
    private final CampaignCatalog catalog;
    private final Ledger ledger;
    private final Transactions transactions;
    private final Wallets wallets;
    private final Balances balances;
    private final TransactionTemplate tx;
    private final ClaimTuning tuning;

    ClaimReversalActivitiesImpl(
            ClaimReversals reversals,
            Claims claims,
            CampaignCatalog catalog,
            Ledger ledger,
            Transactions transactions,
            Wallets wallets,
            Balances balances,
            TransactionTemplate tx,
            ClaimTuning tuning) {
        this.reversals = reversals;
        this.claims = claims;
        this.catalog = catalog;
        this.ledger = ledger;
        this.transactions = transactions;
        this.wallets = wallets;
        this.balances = balances;
        this.tx = tx;
        this.tuning = tuning;
    }

    @Override
    public List<UUID> claimsToReverse(ReversalRef ref) {
        return inTransaction(ref, () -> {
            Reversal reversal = reversals.find(ref.reversalId());
            List<Claim> earned = claims.ofExternalRef(reversal.source(), reversal.externalRef(), reversal.campaignId());
            if (earned.isEmpty()
                    && reversal.createdAt()
                            .toInstant()
                            .plus(tuning.unknownOrderWait())
                            .isAfter(Instant.now())) {
                throw ApplicationFailure.newFailure(
                        "No claim of order " + reversal.externalRef() + " yet: its payment may still be on its way",
                        "OrderNotSeenYet");
            }
            for (Claim claim : earned) {
                if (!isFinal(claim.status())) {
                    // Reversing while the claim may still fail and be compensated would take the points twice.
                    throw ApplicationFailure.newFailure(
                            "Claim " + claim.id() + " of order " + reversal.externalRef() + " is still "
                                    + claim.status(),
                            "ClaimNotFinal");
                }
            }
            return earned.stream()
                    .filter(c -> c.status().minted())
                    .map(Claim::id)
                    .toList();
        });
    }

    private static boolean isFinal(Claims.Status status) {
        return status != Claims.Status.PENDING && status != Claims.Status.PENDING_SETTLEMENT;
    }

    @Override
    public void reverseClaim(ReversalRef ref, UUID claimId) {
        inTransaction(ref, () -> {
            Claim claim = claims.find(claimId, true).orElseThrow(); // serialises the order's refunds
            if (reversals.hasLines(ref.reversalId(), claimId)) {
                return null;
            }
            Reversal reversal = reversals.find(ref.reversalId());
            Owner user = new Owner(OwnerType.USER, claim.userId());
            for (MintedUnit minted : claims.mints(claimId)) {
                Prior prior = reversals.prior(claimId, minted.tokenUnitId(), reversal.id());
                BigInteger due = dueInAll(claim, minted.amount(), reversal.refunded(), prior)
                        .subtract(prior.due())
                        .max(BigInteger.ZERO);
                UUID tokenId = transactions.find(minted.entryId()).tokenId();
                // Policy "floor": balances never go negative, so take what the user still holds.
                BigInteger reversed = due.min(balance(user, tokenId));
                UUID entry = null;
                if (reversed.signum() > 0) {
                    entry = Secrets.derivedId("claim-refund:" + reversal.id() + ":" + minted.entryId());
                    ledger.post(new Posting(
                            entry,
                            Kind.REVERSAL,
                            tokenId,
                            wallets.walletOf(user),
                            wallets.issuance(),
                            reversed,
                            Reason.REVERSAL,
                            minted.entryId().toString(), // points at the mint it partly reverses
                            ACTOR,
                            null,
                            "Refund " + reversal.eventId() + " of order " + reversal.externalRef()));
                    catalog.releaseBudget(minted.tokenUnitId(), reversed);
                }
                reversals.addLine(new Line(
                        reversal.id(), claimId, minted.tokenUnitId(), reversal.refunded(), due, reversed, entry));
            }
            return null;
        });
    }

    /** What all refunds so far, this one included, call for of a minted amount. */
    private static BigInteger dueInAll(Claim claim, BigInteger minted, BigDecimal refunded, Prior prior) {
        if (claim.basis() == null || refunded == null || prior.wholeOrder()) {
            return minted;
        }
        BigDecimal refundedInAll = prior.refunded().add(refunded).min(claim.basis());
        return new BigDecimal(minted)
                .multiply(refundedInAll)
                .divide(claim.basis(), 0, RoundingMode.FLOOR)
                .toBigIntegerExact();
    }

    private BigInteger balance(Owner owner, UUID tokenId) {
        return balances.of(owner, tokenId).stream()
                .map(Balances.Balance::amount)
                .findFirst()
                .orElse(BigInteger.ZERO);
    }

    @Override
    public String finish(ReversalRef ref) {
        return inTransaction(ref, () -> {
            Reversal reversal = reversals.find(ref.reversalId(), true).orElseThrow();
            if (reversal.status() != Status.PENDING) {
                return reversal.status().name();
            }
            Status outcome = reversal.lines().isEmpty()
                    ? Status.NOTHING_TO_REVERSE
                    : reversal.lines().stream().anyMatch(l -> l.shortfall().signum() > 0)
                            ? Status.PARTIALLY_REVERSED
                            : Status.REVERSED;
            reversals.decide(reversal.id(), outcome, Instant.now());
            claims.recordEvent(reversal.id(), "claim.reversed", event(reversal, outcome));
            return outcome.name();
        });
    }

    private Map<String, Object> event(Reversal reversal, Status outcome) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("reversalId", reversal.id());
        payload.put("status", outcome.name());
        payload.put("campaignId", reversal.campaignId());
        payload.put("externalRef", reversal.externalRef());
        payload.put("eventId", reversal.eventId());
        payload.put(
                "lines",
                reversal.lines().stream()
                        .map(l -> Map.of(
                                "claimId", l.claimId(),
                                "userId", claims.find(l.claimId()).userId(),
                                "due", l.due().toString(),
                                "reversed", l.reversed().toString(),
                                "shortfall", l.shortfall().toString()))
                        .toList());
        return payload;
    }

    private <T> T inTransaction(ReversalRef ref, Supplier<T> work) {
        return TenantContext.callAs(ref.tenantId(), () -> tx.execute(status -> work.get()));
    }
}
