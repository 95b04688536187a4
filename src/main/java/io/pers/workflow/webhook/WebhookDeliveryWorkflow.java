package io.pers.workflow.webhook;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Delivers one webhook message; the workflow id is derived from the message id (and its replay). */
@WorkflowInterface
public interface WebhookDeliveryWorkflow {

    /** Returns how the delivery ended: DELIVERED or STOPPED. */
    @WorkflowMethod
    AttemptResult.Outcome deliver(Delivery delivery);
}
