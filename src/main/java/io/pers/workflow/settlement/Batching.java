package io.pers.workflow.settlement;

import java.time.Duration;

/**
 * How a settler forms batches, read from {@code workflows/settlement.yaml} when the workflow starts
 * and carried as its input (a running workflow keeps the values it started with). {@code inFlight}:
 * how many batches may be sent and not yet confirmed at once (0 in inputs written before it existed: one).
 */
public record Batching(int maxItems, Duration longestWait, int batchesPerRun, int inFlight) {

    /** At least one. */
    public int inFlightOrOne() {
        return Math.max(1, inFlight);
    }
}
