package io.pers.workflow.settlement;

import java.util.UUID;

/**
 * One batch of a settler: its items, and every transaction signed for them, hang off its id. The
 * id comes from the workflow ({@code Workflow.randomUUID()}), so a retried activity finds its own
 * batch; it is the idempotency key of every settlement activity. {@code runId}: the settler run
 * that owns it (null in inputs written before it existed), so a run taking a batch adopts only
 * batches of runs that are gone, never one of its own still on its way.
 */
public record BatchRef(Settler settler, UUID batchId, String runId) {

    public BatchRef child(UUID childId) {
        return new BatchRef(settler, childId, runId);
    }
}
