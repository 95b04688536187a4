package io.pers.workflow.settlement;

import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers queued mints for up to the longest wait (or until a full batch is queued), settles them in
 * one transaction, and repeats while there are any; ends when the queue is empty (the next item
 * starts it again). Up to {@link Batching#inFlight()} batches are on their way at once: the next
 * batch is taken and sent while earlier ones wait to be mined and confirmed, each at the next
 * nonce of the settler, so several batches land in one block. A refused batch is bisected until
 * the item the contract refuses is alone, and that one fails; the rest settle.
 */
public class SettlementWorkflowImpl implements SettlementWorkflow {

    /** Runs started before batches were pipelined settle one batch at a time, as they were recorded. */
    static final String PIPELINED_BATCHES = "pipelined-batches";

    private final SettlementActivities chain = Workflow.newActivityStub(SettlementActivities.class);
    private int enqueued;
    private final List<Promise<Void>> inFlight = new ArrayList<>();

    @Override
    public void run(Settler settler, Batching batching) {
        int maxInFlight =
                Workflow.getVersion(PIPELINED_BATCHES, Workflow.DEFAULT_VERSION, 1) == 1 ? batching.inFlightOrOne() : 1;
        for (int batches = 0; batches < batching.batchesPerRun(); batches++) {
            Workflow.await(batching.longestWait(), () -> enqueued >= batching.maxItems());
            Workflow.await(() -> running() < maxInFlight);
            collectSettled();
            enqueued = 0;
            BatchRef batch = new BatchRef(
                    settler, Workflow.randomUUID(), Workflow.getInfo().getRunId());
            int size = chain.take(batch, batching.maxItems());
            if (size == 0 && enqueued == 0) {
                settleInFlight();
                if (enqueued == 0) {
                    return;
                }
            } else if (size > 0 && maxInFlight == 1) {
                settle(batch, size);
            } else if (size > 0) {
                inFlight.add(Async.procedure(() -> settle(batch, size)));
            }
        }
        settleInFlight();
        // A long-lived settler starts afresh now and then, so its history stays short.
        Workflow.continueAsNew(settler, batching);
    }

    private long running() {
        return inFlight.stream().filter(batch -> !batch.isCompleted()).count();
    }

    /** Forgets the batches settled; one that failed fails the run, as a batch settled in line would. */
    private void collectSettled() {
        inFlight.removeIf(batch -> {
            if (batch.isCompleted()) {
                batch.get();
                return true;
            }
            return false;
        });
    }

    /** Waits for every batch on its way. */
    private void settleInFlight() {
        inFlight.forEach(Promise::get);
        inFlight.clear();
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
