package io.pers.workflow.redemption;

import io.temporal.activity.ActivityInterface;

/**
 * The steps of a redeem and their compensations. Each takes the redeem, whose id is its
 * idempotency key: ledger entry ids are derived from it, and each step reads the redeem's
 * recorded state first, so a retry finds its own earlier effect. A step that is refused for a
 * business reason (no supply, insufficient balance, an inactive token) fails without retrying,
 * with the stable error code as the failure's type.
 */
@ActivityInterface
public interface RedemptionActivities {

    /** Checks the redemption's rules (active, country, status tier, max per user) and takes one unit of supply. */
    void reserveSupply(RedeemRef redeem);

    /** Compensation of {@link #reserveSupply}: gives the unit back; a no-op when none is held. */
    void releaseSupply(RedeemRef redeem);

    /** Takes the cost from the user: burned, or transferred to the partner business when so configured. */
    void takeCost(RedeemRef redeem);

    /** Compensation of {@link #takeCost}: reverses the cost entry; a no-op when there is none. */
    void refundCost(RedeemRef redeem);

    /** Mints the reward units to the user and marks the redeem COMPLETED, in one transaction. */
    void mintRewards(RedeemRef redeem);

    /** Compensation of {@link #mintRewards}: reverses the reward mints; a no-op when there are none. */
    void reverseRewards(RedeemRef redeem);

    /** Records {@code redemption.completed} for partners. */
    void notifyCompleted(RedeemRef redeem);

    /** Marks the redeem FAILED with the code and reason, and records {@code redemption.failed}. */
    void fail(RedeemRef redeem, String code, String reason);
}
