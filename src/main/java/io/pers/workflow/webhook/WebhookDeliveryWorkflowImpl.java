package io.pers.workflow.webhook;

import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Attempts on the Standard Webhooks schedule, waiting on durable timers between them (a restart
 * of the worker resumes the wait, it does not restart it); a receiver's Retry-After stretches a
 * wait, never shortens it. An attempt due at once (the first, on the default schedule) is a local
 * activity: a delivery the partner accepts is then one workflow task, with no activity task to
 * schedule, poll and report (most deliveries); attempts after a wait are regular activities.
 */
public class WebhookDeliveryWorkflowImpl implements WebhookDeliveryWorkflow {

    /** Deliveries started before the immediate attempt became a local activity replay it as a regular one. */
    static final String LOCAL_IMMEDIATE_ATTEMPT = "local-immediate-attempt";

    private final WebhookActivities activities = Workflow.newActivityStub(WebhookActivities.class);
    private final WebhookActivities local = Workflow.newLocalActivityStub(WebhookActivities.class);

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
            WebhookActivities attempter = i == 0
                            && waitMs == 0
                            && Workflow.getVersion(LOCAL_IMMEDIATE_ATTEMPT, Workflow.DEFAULT_VERSION, 1) == 1
                    ? local
                    : activities;
            AttemptResult result = attempter.attempt(new Attempt(
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
