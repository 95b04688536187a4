package io.pers.workflow.claim;

import io.pers.workflow.WorkerSettings;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The ClaimWorkflow's tuning, from {@code workflows/claim.yaml} (documented there). */
@ConfigurationProperties("pers.workflows.claim")
public record ClaimTuning(
        Step decision,
        Step settlement,
        Step notification,
        Step reversal,
        Duration unknownOrderWait,
        Duration decisionWait,
        EventTime eventTime,
        Sweeper sweeper,
        WorkerSettings worker,
        WorkerSettings reversalWorker) {

    public record Step(Duration startToCloseTimeout, Retry retry) {}

    public record Retry(
            Duration initialInterval, double backoffCoefficient, Duration maximumInterval, int maximumAttempts) {}

    /**
     * How far a connector event's time may lie from the decision: ahead by at most maxSkew (clock
     * drift), behind by at most maxAge (the horizon); beyond, EVENT_TIME_OUT_OF_RANGE.
     */
    public record EventTime(Duration maxSkew, Duration maxAge) {

        /** Whether an event of {@code occurredAt} may be judged at {@code at}. */
        public boolean believable(Instant occurredAt, Instant at) {
            return !occurredAt.isAfter(at.plus(maxSkew)) && !occurredAt.isBefore(at.minus(maxAge));
        }
    }

    public record Sweeper(Duration interval, Duration olderThan, int batch) {}
}
