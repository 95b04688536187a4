package io.pers.workflow.webhook;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What an attempt ended in: DELIVERED (2xx), STOPPED (the endpoint is gone, disabled or deleted,
 * or the schedule is spent), or RETRY, after at least {@code retryAfterMs} when the receiver
 * asked for it (429 or 503 with Retry-After).
 */
public record AttemptResult(Outcome outcome, long retryAfterMs) {

    public enum Outcome {
        DELIVERED,
        RETRY,
        STOPPED
    }

    public static AttemptResult of(Outcome outcome) {
        return new AttemptResult(outcome, 0);
    }

    public static AttemptResult retry(long retryAfterMs) {
        return new AttemptResult(Outcome.RETRY, retryAfterMs);
    }

    @JsonIgnore // derived, not part of the activity's result payload
    public boolean finished() {
        return outcome != Outcome.RETRY;
    }
}
