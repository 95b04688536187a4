package io.pers.workflow.settlement;

import io.temporal.workflow.Workflow;

/**
 * Gathers queued mints for up to the longest wait (or until a full batch is queued), settles them in
 * one transaction, and repeats while there are any; ends when the queue is empty (the next item
 * starts it again). A refused batch is bisected until the item the contract refuses is alone, and
 * that one fails; the rest settle.
 */
public class SettlementWorkflowImpl implements SettlementWorkflow {

    private final SettlementActivities chain = Workflow.newActivityStub(SettlementActivities.class);
    private int enqueued;

    @Override
    public void run(Settler settler, Batching batching) {
        for (int batches = 0; batches < batching.batchesPerRun(); batches++) {
            Workflow.await(batching.longestWait(), () -> enqueued >= batching.maxItems());
            enqueued = 0;
            BatchRef batch = new BatchRef(settler, Workflow.randomUUID());
            int size = chain.take(batch, batching.maxItems());
            if (size == 0 && enqueued == 0) {
                return;
            }
            if (size > 0) {
                settle(batch, size);
            }
        }
        // A long-lived settler starts afresh now and then, so its history stays short.
        Workflow.continueAsNew(settler, batching);
    }

    @Override
    public void enqueued(int items) {
        enqueued += items;
    }

    private void settle(BatchRef batch, int size) {
        Sent sent = chain.send(batch);
        while (sent.status() != Sent.Status.REVERTED) {
            if (sent.status() == Sent.Status.MINED) {
                if (chain.confirm(batch)) {
                    return;
                }
                sent = chain.send(batch); // a reorg dropped it: the same transaction goes out again
            } else {
                sent = chain.awaitMined(batch);
                if (sent.status() == Sent.Status.PENDING) {
                    sent = chain.bumpFee(batch);
                }
            }
        }
        if (size == 1) {
            chain.fail(batch, sent.reason());
            return;
        }
        BatchRef first = batch.child(Workflow.randomUUID());
        BatchRef second = batch.child(Workflow.randomUUID());
        int firstSize = chain.split(batch, first, second);
        settle(first, firstSize);
        settle(second, size - firstSize);
    }
}
