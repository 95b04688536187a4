package io.pers.webhook;

import io.pers.workflow.TaskQueues;
import io.pers.workflow.webhook.Delivery;
import io.pers.workflow.webhook.WebhookDeliveryWorkflow;
import io.pers.workflow.webhook.WebhookTuning;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Starts the delivery workflow of a recorded message. The workflow id is the message id (and its
 * replay number), so a second start of the same delivery (a second dispatcher, the sweeper) is
 * refused by Temporal while it runs or once it completed: one delivery per message and replay.
 * Only a workflow that failed (its attempt activity gave up on the database, say) may run again
 * under the same id, which is how the sweeper revives the message it left pending.
 */
@Component
class Deliveries {

    private final WorkflowClient workflows;
    private final WebhookTuning tuning;

    Deliveries(WorkflowClient workflows, WebhookTuning tuning) {
        this.workflows = workflows;
        this.tuning = tuning;
    }

    static String workflowId(UUID messageId, int replay) {
        return "webhook-" + messageId + (replay == 0 ? "" : "-replay-" + replay);
    }

    /** False when this delivery was started already. */
    boolean start(UUID tenantId, UUID messageId, int replay) {
        WebhookDeliveryWorkflow workflow = workflows.newWorkflowStub(
                WebhookDeliveryWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(workflowId(messageId, replay))
                        .setTaskQueue(TaskQueues.WEBHOOKS)
                        .setWorkflowIdReusePolicy(
                                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
                        .setDisableEagerExecution(false)
                        .build());
        try {
            WorkflowClient.start(
                    workflow::deliver,
                    new Delivery(
                            tenantId,
                            messageId,
                            tuning.delaysMs(),
                            tuning.disableAfter().toMillis()));
            return true;
        } catch (WorkflowExecutionAlreadyStarted already) {
            return false;
        }
    }
}
