package io.pers.workflow;

/** Every task queue PERS's workers poll, in one place. */
public final class TaskQueues {

    public static final String CLAIMS = "pers-claims";
    public static final String WEBHOOKS = "pers-webhooks";
    public static final String SETTLEMENT = "pers-settlement";
    public static final String REDEMPTIONS = "pers-redemptions";
    public static final String REVERSALS = "pers-reversals";

    private TaskQueues() {}
}
