package io.pers.workflow.reversal;

import io.temporal.activity.ActivityInterface;
import java.util.List;
import java.util.UUID;

/** The steps of a refund's reversal; each is idempotent by the reversal id (and the claim id). */
@ActivityInterface
public interface ClaimReversalActivities {

    /**
     * The refunded order's claims on the campaign that minted, once every one of them is final
     * (COMPLETED or SETTLED): fails, to be retried, while one is still being decided or settled,
     * or while the order has no claim yet and the refund is younger than {@code unknown-order-wait}.
     * Empty when the order earned nothing (e.g. it was paid before PERS was connected).
     */
    List<UUID> claimsToReverse(ReversalRef reversal);

    /**
     * Takes back the refund's share of one claim's points, in one database transaction: a
     * reversal entry in the ledger, the budget back to the campaign, and a line recording what
     * was due and what the user's balance allowed (policy "floor", workflows/claim.yaml). A retry
     * finds its line and does nothing.
     */
    void reverseClaim(ReversalRef reversal, UUID claimId);

    /** Records the outcome and the {@code claim.reversed} event for partners; returns the outcome. */
    String finish(ReversalRef reversal);
}
