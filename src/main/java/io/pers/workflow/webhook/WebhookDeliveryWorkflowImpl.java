package io.pers.workflow.webhook;

import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Attempts on the Standard Webhooks schedule, waiting on durable timers between them (a restart
 * of the worker resumes the wait, it does not restart it); a receiver's Retry-After stretches a
 * wait, never shortens it.
 */
public class WebhookDeliveryWorkflowImpl implements WebhookDeliveryWorkflow {

    private final WebhookActivities activities = Workflow.newActivityStub(WebhookActivities.class);

    @Override
    public AttemptResult.Outcome deliver(Delivery delivery) {
        long retryAfterMs = 0;
        int attempts = delivery.delaysMs().size();
        for (int i = 0; i < attempts; i++) {
            long waitMs = Math.max(delivery.delaysMs().get(i), retryAfterMs);
            if (waitMs > 0) {
                Workflow.sleep(Duration.ofMillis(waitMs));
            }
            long nextDelayMs = i + 1 < attempts ? delivery.delaysMs().get(i + 1) : -1;
            AttemptResult result = activities.attempt(new Attempt(
                    delivery.tenantId(),
                    delivery.messageId(),
                    Workflow.currentTimeMillis(),
                    nextDelayMs,
                    delivery.disableAfterMs()));
            if (result.finished()) {
                return result.outcome();
            }
            retryAfterMs = result.retryAfterMs();
        }
        return AttemptResult.Outcome.STOPPED;
    }
}
