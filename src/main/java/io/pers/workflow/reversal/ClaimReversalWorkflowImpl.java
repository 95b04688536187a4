package io.pers.workflow.reversal;

import io.temporal.workflow.Workflow;
import java.util.UUID;

/**
 * A refund: wait for the order's claims to be final, take back each one's share, record the
 * outcome. Nothing here needs undoing: each claim's reversal is one atomic, idempotent step
 * retried until done (workflows/claim.yaml, reversal), never left half-way.
 */
public class ClaimReversalWorkflowImpl implements ClaimReversalWorkflow {

    private final ClaimReversalActivities steps = Workflow.newActivityStub(ClaimReversalActivities.class);

    @Override
    public String reverse(ReversalRef reversal) {
        for (UUID claim : steps.claimsToReverse(reversal)) {
            steps.reverseClaim(reversal, claim);
        }
        return steps.finish(reversal);
    }
}
