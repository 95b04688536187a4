package io.pers.workflow.redemption;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;

/**
 * reserve supply → take the cost → mint the rewards → notify. Every step is a short database
 * step and runs as a local activity; options come from {@code workflows/redemption.yaml}. Each
 * compensation is registered before the step it undoes, so a step that timed out with an
 * unknown result is undone too.
 */
public class RedemptionWorkflowImpl implements RedemptionWorkflow {

    /** The code of a failure that carries no stable one (a timeout, retries exhausted). */
    static final String UNEXPECTED = "REDEMPTION_FAILED";

    private final RedemptionActivities steps = Workflow.newLocalActivityStub(RedemptionActivities.class);

    @Override
    public RedeemOutcome redeem(RedeemRef redeem) {
        Saga saga = new Saga(new Saga.Options.Builder().build());
        try {
            saga.addCompensation(steps::releaseSupply, redeem);
            steps.reserveSupply(redeem);
            saga.addCompensation(steps::refundCost, redeem);
            steps.takeCost(redeem);
            saga.addCompensation(steps::reverseRewards, redeem);
            steps.mintRewards(redeem);
        } catch (ActivityFailure e) {
            Workflow.newDetachedCancellationScope(saga::compensate).run();
            String code = e.getCause() instanceof ApplicationFailure refusal ? refusal.getType() : UNEXPECTED;
            String reason = e.getCause() instanceof TemporalFailure failure
                    ? failure.getOriginalMessage()
                    : e.getOriginalMessage();
            steps.fail(redeem, code, reason);
            return RedeemOutcome.failed(code);
        }
        steps.notifyCompleted(redeem);
        return RedeemOutcome.completedRedeem();
    }
}
