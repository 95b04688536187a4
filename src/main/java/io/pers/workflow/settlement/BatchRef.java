package io.pers.workflow.settlement;

import java.util.UUID;

/**
 * One batch of a settler: its items, and every transaction signed for them, hang off its id. The
 * id comes from the workflow ({@code Workflow.randomUUID()}), so a retried activity finds its own
 * batch; it is the idempotency key of every settlement activity.
 */
public record BatchRef(Settler settler, UUID batchId) {

    public BatchRef child(UUID childId) {
        return new BatchRef(settler, childId);
    }
}
