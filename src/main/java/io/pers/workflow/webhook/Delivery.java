package io.pers.workflow.webhook;

import java.util.List;
import java.util.UUID;

/**
 * One message to deliver, with the retry schedule and the failing period after which its endpoint
 * is disabled, both taken from {@code workflows/webhook.yaml} when the workflow starts: a running
 * delivery keeps the schedule it began with, whatever the file says later.
 *
 * @param delaysMs the wait before each attempt (the first is usually 0: immediately)
 * @param disableAfterMs how long an endpoint may fail, without one success, before it is disabled
 */
public record Delivery(UUID tenantId, UUID messageId, List<Long> delaysMs, long disableAfterMs) {}
