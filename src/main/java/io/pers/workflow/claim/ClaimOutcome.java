package io.pers.workflow.claim;

/** How a claim ended: rejected with an eligibility code, completed, or failed and compensated. */
public record ClaimOutcome(Status status, String code) {

    public enum Status {
        REJECTED,
        COMPLETED,
        SETTLED,
        FAILED
    }

    public static ClaimOutcome rejected(String code) {
        return new ClaimOutcome(Status.REJECTED, code);
    }

    public static ClaimOutcome of(Status status) {
        return new ClaimOutcome(status, null);
    }
}
