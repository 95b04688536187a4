package io.pers.redemption;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.business.Businesses;
import io.pers.crypto.Secrets;
import io.pers.redemption.Redeems.Redeem;
import io.pers.redemption.Redeems.Status;
import io.pers.redemption.Redemptions.Redemption;
import io.pers.tenant.TenantContext;
import io.pers.user.Users;
import io.pers.workflow.TaskQueues;
import io.pers.workflow.redemption.RedeemOutcome;
import io.pers.workflow.redemption.RedeemRef;
import io.pers.workflow.redemption.RedemptionTuning;
import io.pers.workflow.redemption.RedemptionWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Takes a redeem: records it as PENDING under an id derived from (tenant, caller, idempotency
 * key), starts its RedemptionWorkflow under that id, and waits a bounded time for the outcome. A
 * second request with the same key finds the same redeem and gets the same answer.
 */
@Component
class RedeemIntake {

    /** A redeem request, already checked for shape by the API. */
    record Request(UUID redemptionId, UUID businessId, String userIdentifier, String countryCode) {}

    /** A redeem as its request left it, and whether an earlier request under the same key made it. */
    record Submission(Redeem redeem, boolean replayed) {}

    private final Redeems redeems;
    private final Redemptions redemptions;
    private final Users users;
    private final Businesses businesses;
    private final WorkflowClient workflows;
    private final RedemptionTuning tuning;
    private final StatusTiers tiers;

    RedeemIntake(
            Redeems redeems,
            Redemptions redemptions,
            Users users,
            Businesses businesses,
            WorkflowClient workflows,
            RedemptionTuning tuning,
            StatusTiers tiers) {
        this.redeems = redeems;
        this.redemptions = redemptions;
        this.users = users;
        this.businesses = businesses;
        this.workflows = workflows;
        this.tuning = tuning;
        this.tiers = tiers;
    }

    /**
     * @param idempotencyKey the caller's Idempotency-Key, or null for a one-off redeem
     * @return the redeem once decided, or still PENDING when the outcome takes longer than configured
     */
    Submission submit(Request request, Principal caller, String idempotencyKey) {
        UUID tenant = TenantContext.requireTenantId();
        Redemption redemption = redemptions.find(request.redemptionId(), false);
        UUID userId = redeemer(request, caller);
        UUID businessId = business(request, caller);
        String source =
                idempotencyKey == null ? UUID.randomUUID().toString() : caller.callerKey() + "|" + idempotencyKey;
        String sourceHash = HexFormat.of().formatHex(Secrets.sha256(source)).substring(0, 40);
        UUID id = Secrets.derivedId("redeem-" + tenant + "-" + sourceHash);
        String workflowId = "redeem-" + tenant + "-" + id;
        byte[] requestHash = Secrets.sha256(request.toString());
        StatusTiers.Discount discount = tiers.discountOf(userId);
        Redeem asked = new Redeem(
                id,
                workflowId,
                redemption.id(),
                userId,
                businessId,
                request.countryCode(),
                caller.role().name(),
                caller.subjectId().toString(),
                redemption.costTokenId(),
                discount.apply(redemption.costAmount()),
                redemption.costAmount(),
                discount.bps(),
                discount.tierName(),
                Status.PENDING,
                false,
                null,
                null,
                null,
                null,
                requestHash);
        boolean replayed = !redeems.insert(asked);
        if (replayed) {
            Redeem earlier = redeems.find(id);
            if (!Secrets.equal(earlier.requestHash(), requestHash)) {
                throw new PersException(
                        ErrorCode.IDEMPOTENCY_KEY_REUSED, "This idempotency key was used for another redeem");
            }
            if (earlier.status() != Status.PENDING) {
                return new Submission(earlier, true);
            }
        }
        start(new RedeemRef(tenant, id), workflowId);
        awaitOutcome(workflowId);
        return new Submission(redeems.find(id), replayed);
    }

    /** Starts the workflow; a duplicate request finds it started (a workflow id runs once). */
    private void start(RedeemRef ref, String workflowId) {
        RedemptionWorkflow workflow = workflows.newWorkflowStub(
                RedemptionWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(workflowId)
                        .setTaskQueue(TaskQueues.REDEMPTIONS)
                        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                        .setDisableEagerExecution(false)
                        .build());
        try {
            WorkflowClient.start(workflow::redeem, ref);
        } catch (WorkflowExecutionAlreadyStarted duplicate) {
            // the running (or finished) workflow decides; its outcome is awaited below
        }
    }

    private void awaitOutcome(String workflowId) {
        try {
            workflows
                    .newUntypedWorkflowStub(workflowId)
                    .getResult(tuning.decisionWait().toMillis(), TimeUnit.MILLISECONDS, RedeemOutcome.class);
        } catch (TimeoutException | WorkflowException e) {
            // answered from the redeems table, which stays the record: 202 while still PENDING
        }
    }

    /** Users redeem for themselves; businesses, systems and admins name the user. */
    private UUID redeemer(Request request, Principal caller) {
        if (caller.role() == Role.USER) {
            if (request.userIdentifier() != null) {
                throw new PersException(
                        ErrorCode.VALIDATION_FAILED, "A user redeems for themselves: omit userIdentifier");
            }
            return caller.subjectId();
        }
        if (request.userIdentifier() == null) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED, "userIdentifier (email, externalId or id) is required");
        }
        return users.findByIdentifier(request.userIdentifier())
                .orElseThrow(() -> PersException.notFound("User"))
                .id();
    }

    /** A business redeems as itself; otherwise the named business, if any. */
    private UUID business(Request request, Principal caller) {
        if (caller.role() == Role.BUSINESS) {
            if (request.businessId() != null && !request.businessId().equals(caller.businessId())) {
                throw new PersException(ErrorCode.FORBIDDEN, "A business redeems as itself");
            }
            return caller.businessId();
        }
        if (request.businessId() != null) {
            businesses.find(request.businessId());
        }
        return request.businessId();
    }
}
