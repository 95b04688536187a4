package io.pers.workflow.webhook;

import java.util.UUID;

/**
 * One attempt of a message. The message id is the idempotency key: it is the {@code webhook-id}
 * every attempt sends, and an attempt retried after a crash finds the message already delivered.
 *
 * @param attemptedAtMillis when the attempt is made (the workflow's clock for retries, the wall clock
 *     for a first attempt made without a workflow), which judges how long the endpoint has been failing
 * @param nextDelayMs the wait before the next attempt, or -1 when this is the last one
 */
public record Attempt(UUID tenantId, UUID messageId, long attemptedAtMillis, long nextDelayMs, long disableAfterMs) {

    public boolean last() {
        return nextDelayMs < 0;
    }
}
