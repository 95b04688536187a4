package io.pers.workflow.settlement;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Settles the queued mints of one contract in batches, one transaction each; started by signal-with-start. */
@WorkflowInterface
public interface SettlementWorkflow {

    @WorkflowMethod
    void run(Settler settler, Batching batching);

    /** An item was queued: the workflow takes it in its next batch. */
    @SignalMethod
    void enqueued();
}
