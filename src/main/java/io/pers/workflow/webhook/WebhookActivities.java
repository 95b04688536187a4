package io.pers.workflow.webhook;

import io.temporal.activity.ActivityInterface;

/** The step of a webhook delivery: one signed POST to the partner, recorded in the delivery log. */
@ActivityInterface
public interface WebhookActivities {

    /**
     * Sends the message once (unless it is already delivered), records the attempt, and decides:
     * delivered, retry, or stop (410 or a failing period past its limit disable the endpoint and
     * record {@code webhook.endpoint.disabled}; a spent schedule fails the message).
     */
    AttemptResult attempt(Attempt attempt);
}
