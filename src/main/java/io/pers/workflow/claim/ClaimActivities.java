package io.pers.workflow.claim;

import io.temporal.activity.ActivityInterface;

/**
 * The steps of a claim. Each takes the claim and, where a rule depends on time, the workflow's
 * clock ({@code decidedAtMillis}), so replays and time-skipping tests judge the same instant.
 * Every step is idempotent by the claim id.
 */
@ActivityInterface
public interface ClaimActivities {

    /** Checks every rule; returns the rejection code of the first that fails, or null. */
    String checkEligibility(ClaimRef claim, long decidedAtMillis);

    /**
     * Re-checks the counting rules under the claim's locks, takes budget and mints, all in one
     * database transaction: a rejection, or minted once whatever the retries.
     */
    MintOutcome mint(ClaimRef claim, long decidedAtMillis);

    /** Records a rejection; the claim ends REJECTED with its code. */
    void reject(ClaimRef claim, String code, long decidedAtMillis);

    /** Settles the claim's mint on chain and marks it SETTLED. */
    void settle(ClaimRef claim);

    /** Records the {@code claim.completed} event for partners. */
    void notifyCompleted(ClaimRef claim);

    /**
     * Compensation of {@link #mint}: reverses its ledger entries, gives the budget back, marks
     * the claim FAILED with the reason and records {@code claim.failed}. A no-op when nothing
     * was minted or it was already compensated.
     */
    void compensateMint(ClaimRef claim, String reason);
}
