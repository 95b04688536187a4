package io.pers.workflow.reversal;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A refund taking back what its order earned; the workflow id is the refund event's business key. */
@WorkflowInterface
public interface ClaimReversalWorkflow {

    /** @return how it ended: REVERSED, PARTIALLY_REVERSED or NOTHING_TO_REVERSE */
    @WorkflowMethod
    String reverse(ReversalRef reversal);
}
