package io.pers.redemption;

import java.util.UUID;

/**
 * Whether a user has reached a redemption's minimum status tier. The tier capability answers
 * (io.pers.tier), so redemptions depend on this question and not on how tiers are kept.
 */
public interface StatusTiers {

    boolean exists(UUID tierId);

    /** True when the user's tier ranks at or above the minimum tier. */
    boolean reaches(UUID userId, UUID minimumTierId);
}
