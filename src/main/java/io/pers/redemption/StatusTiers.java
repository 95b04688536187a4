package io.pers.redemption;

import java.math.BigInteger;
import java.util.UUID;

/**
 * Whether a user has reached a redemption's minimum status tier. The tier capability answers
 * (io.pers.tier), so redemptions depend on this question and not on how tiers are kept.
 */
public interface StatusTiers {

    boolean exists(UUID tierId);

    /** True when the user's tier ranks at or above the minimum tier. */
    boolean reaches(UUID userId, UUID minimumTierId);

    /** The user's current tier and its discount; {@link Discount#NONE} without a tier. */
    Discount discountOf(UUID userId);

    /** @param bps basis points off a redemption's cost (0..10000) */
    record Discount(String tierName, int bps) {
        public static final Discount NONE = new Discount(null, 0);

        private static final BigInteger WHOLE = BigInteger.valueOf(10_000);

        /**
         * The cost after the discount. The discount is rounded down, so the rounding favours the
         * program: 250 bps off 99 is 2 (not 2.475), the user pays 97. Any cost of 1 or more stays
         * at least 1 unless the discount is the whole 10000 bps, when the redeem is free.
         */
        public BigInteger apply(BigInteger listCost) {
            return listCost.subtract(listCost.multiply(BigInteger.valueOf(bps)).divide(WHOLE));
        }
    }
}
