package io.pers.workflow.claim;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One campaign claim, from eligibility to notification; the workflow id is the claim's business key. */
@WorkflowInterface
public interface ClaimWorkflow {

    @WorkflowMethod
    ClaimOutcome decide(ClaimRef claim);
}
