package io.pers.workflow.settlement;

import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers queued mints for up to the longest wait (or until a full batch is queued), settles them in
 * one transaction, and repeats while there are any; ends when the queue is empty (the next item
 * starts it again). Up to {@link Batching#inFlight()} batches of mints are on their way at once: the
 * next batch is taken and sent while earlier ones wait to be mined and confirmed, each at the next
 * nonce of the settler, so several batches land in one block. A batch of movements (which may spend
 * what earlier batches mint) is taken only when none is on its way (SettlementQueue.take). A
 * refused batch is bisected until the item the contract refuses is alone, and that one fails; the
 * rest settle.
 */
public class SettlementWorkflowImpl implements SettlementWorkflow {

    /** Runs started before batches were pipelined settle one batch at a time, as they were recorded. */
    static final String PIPELINED_BATCHES = "pipelined-batches";

    private final SettlementActivities chain = Workflow.newActivityStub(SettlementActivities.class);
    private int enqueued;
    private final List<Promise<Void>> inFlight = new ArrayList<>();

    @Override
    public void run(Settler settler, Batching batching) {
        boolean pipelined = Workflow.getVersion(PIPELINED_BATCHES, Workflow.DEFAULT_VERSION, 1) == 1;
        int maxInFlight = pipelined ? batching.inFlightOrOne() : 1;
        boolean backlog = false;
        for (int batches = 0; batches < batching.batchesPerRun(); batches++) {
            if (!backlog) {
                Workflow.await(batching.longestWait(), () -> enqueued >= batching.maxItems());
            }
            Workflow.await(() -> running() < maxInFlight);
            collectSettled();
            enqueued = 0;
            BatchRef batch = new BatchRef(
                    settler, Workflow.randomUUID(), Workflow.getInfo().getRunId());
            int size = chain.take(batch, batching.maxItems());
            // A full batch means more may be queued (items queued before this run, or a burst):
            // the next is taken at once instead of after the longest wait.
            backlog = pipelined && size == batching.maxItems();
            if (size == 0) {
                if (inFlight.isEmpty() && enqueued == 0) {
                    return;
                }
                // Nothing taken beside the batches on their way (a movement waits for them): once
                // they are settled, take again.
                settleInFlight();
            } else if (maxInFlight == 1) {
                settle(batch, size);
            } else {
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

    /**
     * Forgets the batches settled. One that failed fails the run, as a batch settled in line would,
     * once the others on their way are done (none is left with activities running behind the run).
     */
    private void collectSettled() {
        if (inFlight.stream().anyMatch(batch -> batch.isCompleted() && batch.getFailure() != null)) {
            settleInFlight();
        }
        inFlight.removeIf(Promise::isCompleted);
    }

    /** Waits for every batch on its way; the first that failed fails the run. */
    private void settleInFlight() {
        Workflow.await(() -> inFlight.stream().allMatch(Promise::isCompleted));
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
