package io.pers.workflow.claim;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;

/**
 * eligibility → mint → settle → notify. Eligibility, mint and notify (recording claim.completed
 * for the webhook dispatcher) are short database steps and run as local activities, so a claim
 * that needs no settlement is decided and reported in the one workflow task its eager start runs;
 * settlement reaches outside and runs as a regular activity. Timeouts and retries come from
 * {@code workflows/claim.yaml}, set per activity at the worker.
 */
public class ClaimWorkflowImpl implements ClaimWorkflow {

    /** Claims started before notify became a local activity replay it as a regular one. */
    static final String LOCAL_NOTIFY = "local-notify";

    private final ClaimActivities local = Workflow.newLocalActivityStub(ClaimActivities.class);
    private final ClaimActivities remote = Workflow.newActivityStub(ClaimActivities.class);
    private String failure = "unknown failure";

    @Override
    public ClaimOutcome decide(ClaimRef claim) {
        long decidedAt = Workflow.currentTimeMillis();
        String rejection = local.checkEligibility(claim, decidedAt);
        if (rejection != null) {
            return rejected(claim, rejection, decidedAt);
        }
        Saga saga = new Saga(new Saga.Options.Builder().build());
        try {
            // Registered before the mint: a mint that timed out with an unknown result is undone too.
            saga.addCompensation(() -> local.compensateMint(claim, failure));
            MintOutcome minted = local.mint(claim, decidedAt);
            if (minted.isRejected()) {
                return rejected(claim, minted.rejectionCode(), decidedAt);
            }
            status(minted.settlementRequired() ? "PENDING_SETTLEMENT" : "COMPLETED");
            if (minted.settlementRequired()) {
                remote.settle(claim);
                status("SETTLED");
            }
            if (Workflow.getVersion(LOCAL_NOTIFY, Workflow.DEFAULT_VERSION, 1) == 1) {
                local.notifyCompleted(claim);
            } else {
                remote.notifyCompleted(claim);
            }
            return ClaimOutcome.of(
                    minted.settlementRequired() ? ClaimOutcome.Status.SETTLED : ClaimOutcome.Status.COMPLETED);
        } catch (ActivityFailure e) {
            failure = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            Workflow.newDetachedCancellationScope(saga::compensate).run();
            status("FAILED");
            return ClaimOutcome.of(ClaimOutcome.Status.FAILED);
        }
    }

    private ClaimOutcome rejected(ClaimRef claim, String code, long decidedAt) {
        local.reject(claim, code, decidedAt);
        status("REJECTED");
        return ClaimOutcome.rejected(code);
    }

    /** Mirrors the claim's status into its search attribute, when the claim was started with one. */
    private static void status(String status) {
        if (Workflow.getTypedSearchAttributes().containsKey(ClaimSearchAttributes.STATUS)) {
            Workflow.upsertTypedSearchAttributes(ClaimSearchAttributes.STATUS.valueSet(status));
        }
    }
}
