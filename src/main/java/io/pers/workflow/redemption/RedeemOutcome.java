package io.pers.workflow.redemption;

/** How a redeem ended: COMPLETED, or FAILED with the stable code of why. */
public record RedeemOutcome(boolean completed, String failureCode) {

    public static RedeemOutcome completedRedeem() {
        return new RedeemOutcome(true, null);
    }

    public static RedeemOutcome failed(String code) {
        return new RedeemOutcome(false, code);
    }
}
