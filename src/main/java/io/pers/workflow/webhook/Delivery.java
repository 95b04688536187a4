package io.pers.workflow.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One message to deliver, with the retry schedule and the failing period after which its endpoint
 * is disabled, both taken from {@code workflows/webhook.yaml} when the delivery starts: a running
 * delivery keeps the schedule it began with, whatever the file says later.
 *
 * @param delaysMs the wait before each attempt (the first is usually 0: immediately)
 * @param disableAfterMs how long an endpoint may fail, without one success, before it is disabled
 */
public record Delivery(UUID tenantId, UUID messageId, List<Long> delaysMs, long disableAfterMs) {

    /** Whether the first attempt is due at once (the default schedule), so it may be made without a workflow. */
    public boolean firstAttemptImmediate() {
        return delaysMs.get(0) == 0;
    }

    /** The first attempt, made now. */
    public Attempt firstAttempt(long nowMillis) {
        return new Attempt(tenantId, messageId, nowMillis, delaysMs.size() > 1 ? delaysMs.get(1) : -1, disableAfterMs);
    }

    /**
     * What remains after a first attempt that must be retried: the rest of the schedule, its first
     * wait stretched to the receiver's Retry-After as the workflow would have.
     */
    public Delivery afterFirstAttempt(long retryAfterMs) {
        List<Long> rest = new ArrayList<>(delaysMs.subList(1, delaysMs.size()));
        rest.set(0, Math.max(rest.get(0), retryAfterMs));
        return new Delivery(tenantId, messageId, List.copyOf(rest), disableAfterMs);
    }
}
