package io.pers.workflow.settlement;

/** Where a batch's transaction stands: pending in the pool, mined, or refused by the contract. */
public record Sent(Status status, String reason) {

    public enum Status {
        PENDING,
        MINED,
        REVERTED
    }

    public static Sent of(Status status) {
        return new Sent(status, null);
    }

    public static Sent reverted(String reason) {
        return new Sent(Status.REVERTED, reason);
    }
}
