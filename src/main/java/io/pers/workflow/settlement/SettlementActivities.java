package io.pers.workflow.settlement;

import io.temporal.activity.ActivityInterface;

/**
 * The chain side of a settler. Each step takes the batch it works on and is idempotent by its id:
 * a retried step finds what it already did (a stored transaction is looked up and sent again,
 * never signed anew at another nonce while it may still be mined).
 */
@ActivityInterface
public interface SettlementActivities {

    /** Moves up to {@code maxItems} queued items into the batch; returns its size (0: queue empty). */
    int take(BatchRef batch, int maxItems);

    /**
     * Makes sure a transaction of the batch is out: looks up the ones already signed, broadcasts the
     * latest again, or signs one at the settler's next nonce (stored before broadcast). A used nonce
     * ("nonce too low") resyncs the settler's nonce from the chain and signs again. REVERTED when
     * the contract refuses the batch.
     */
    Sent send(BatchRef batch);

    /** Waits, up to the configured mining time, for one of the batch's transactions to be mined. */
    Sent awaitMined(BatchRef batch);

    /** Replaces the stuck transaction: the same nonce, fees raised by the chain's fee policy. */
    Sent bumpFee(BatchRef batch);

    /**
     * Waits for the chain's confirmations, reads the receipt again (a reorg may have dropped it) and
     * marks every item SETTLED with the transaction hash; false when the transaction is gone.
     */
    boolean confirm(BatchRef batch);

    /** Splits a refused batch: the first half of its items into {@code first}, the rest into {@code second}. */
    int split(BatchRef batch, BatchRef first, BatchRef second);

    /** Fails the batch's only item for good: its claim is compensated. */
    void fail(BatchRef batch, String reason);
}
