package io.pers.workflow.redemption;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One redeem, from reserving supply to notification; the workflow id is the redeem's business key. */
@WorkflowInterface
public interface RedemptionWorkflow {

    @WorkflowMethod
    RedeemOutcome redeem(RedeemRef redeem);
}
