package io.pers.workflow.settlement;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Settles the queued mints of one contract in batches, one transaction each; started by signal-with-start. */
@WorkflowInterface
public interface SettlementWorkflow {

    @WorkflowMethod
    void run(Settler settler, Batching batching);

    /**
     * Items were queued (or claims wait for them): the workflow takes them in its next batch. One
     * signal stands for all the wakes an instance gathered in a short window (ChainSettlement).
     */
    @SignalMethod
    void enqueued(int items);
}
