package io.pers.workflow.settlement;

import java.time.Duration;

/**
 * How a settler forms batches, read from {@code workflows/settlement.yaml} when the workflow starts
 * and carried as its input (a running workflow keeps the values it started with).
 */
public record Batching(int maxItems, Duration longestWait, int batchesPerRun) {}
