package io.pers.claim;

import io.pers.claim.ClaimReversals.NewReversal;
import io.pers.claim.ClaimReversals.Status;
import io.pers.crypto.Secrets;
import io.pers.tenant.TenantContext;
import io.pers.workflow.TaskQueues;
import io.pers.workflow.reversal.ClaimReversalWorkflow;
import io.pers.workflow.reversal.ReversalRef;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Takes a refund: records it as a PENDING reversal under an id derived from (tenant, source,
 * refund event, mapping), then starts its ClaimReversalWorkflow. The same refund delivered again
 * finds its reversal and starts nothing new.
 */
@Component
public class ClaimReversalIntake {

    /**
     * A refund of an order.
     *
     * @param callerId who made the order's claims, e.g. {@code connector:shopify}
     * @param mappingVersion the REVERSE mapping's version that decided the reversal
     * @param eventId the refund event's id: the reversal's idempotency key, with the mapping
     * @param refunded the refunded sum, in the order total's currency; null: the whole order
     * @param occurredAt when the refund happened, for the record
     */
    public record Refund(
            UUID mappingId,
            int mappingVersion,
            String callerId,
            String eventId,
            String externalRef,
            UUID campaignId,
            BigDecimal refunded,
            Instant occurredAt) {}

    private final ClaimReversals reversals;
    private final WorkflowClient workflows;

    ClaimReversalIntake(ClaimReversals reversals, WorkflowClient workflows) {
        this.reversals = reversals;
        this.workflows = workflows;
    }

    /** @return the reversal's id */
    public UUID start(Refund refund) {
        UUID tenant = TenantContext.requireTenantId();
        UUID id = reversalId(tenant, refund.callerId(), refund.eventId(), refund.mappingId());
        String workflowId = "reversal-" + tenant + "-" + id;
        reversals.insert(new NewReversal(
                id,
                workflowId,
                refund.mappingId(),
                refund.mappingVersion(),
                refund.callerId(),
                refund.eventId(),
                refund.externalRef(),
                refund.campaignId(),
                refund.refunded(),
                refund.occurredAt()));
        if (reversals.find(id).status() == Status.PENDING) {
            start(new ReversalRef(tenant, id), workflowId);
        }
        return id;
    }

    /** Whether the tenant has a reversal for this refund event and REVERSE mapping. */
    public boolean started(String callerId, String eventId, UUID mappingId) {
        return reversals
                .find(reversalId(TenantContext.requireTenantId(), callerId, eventId, mappingId), false)
                .isPresent();
    }

    /** One reversal per (refund event, REVERSE mapping): the refund's idempotency key. */
    private static UUID reversalId(UUID tenant, String callerId, String eventId, UUID mappingId) {
        return Secrets.derivedId("reversal:" + tenant + ":" + callerId + ":" + eventId + ":" + mappingId);
    }

    /** Starts the reversal's workflow; false when it is running already. */
    boolean start(ReversalRef ref, String workflowId) {
        ClaimReversalWorkflow workflow = workflows.newWorkflowStub(
                ClaimReversalWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(workflowId)
                        .setTaskQueue(TaskQueues.REVERSALS)
                        .build());
        try {
            WorkflowClient.start(workflow::reverse, ref);
            return true;
        } catch (WorkflowExecutionAlreadyStarted alreadyRunning) {
            return false;
        }
    }
}
