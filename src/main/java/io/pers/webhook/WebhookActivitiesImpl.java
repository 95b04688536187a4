package io.pers.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.pers.event.DomainEvents;
import io.pers.tenant.TenantContext;
import io.pers.webhook.Subscriptions.Outgoing;
import io.pers.webhook.Subscriptions.Target;
import io.pers.workflow.webhook.Attempt;
import io.pers.workflow.webhook.AttemptResult;
import io.pers.workflow.webhook.AttemptResult.Outcome;
import io.pers.workflow.webhook.WebhookActivities;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One attempt: read the message with its endpoint and keys (one query), sign, POST, then record
 * the answer and decide: a delivery in one statement, a failure in one transaction. A message found
 * already finished is not sent again, so an attempt retried after a crash resends (same webhook-id)
 * only when the crash came between the POST and that record; a first attempt made without a
 * workflow that fails to record its answer is retried by the workflow it then starts.
 */
@Component
class WebhookActivitiesImpl implements WebhookActivities {

    private final Messages messages;
    private final Subscriptions subscriptions;
    private final WebhookSender sender;
    private final TransactionTemplate tx;
    private final DomainEvents events;
    private final MeterRegistry meters;

    WebhookActivitiesImpl(
            Messages messages,
            Subscriptions subscriptions,
            WebhookSender sender,
            TransactionTemplate tx,
            DomainEvents events,
            MeterRegistry meters) {
        this.messages = messages;
        this.subscriptions = subscriptions;
        this.sender = sender;
        this.tx = tx;
        this.events = events;
        this.meters = meters;
    }

    @Override
    public AttemptResult attempt(Attempt attempt) {
        AttemptResult result = TenantContext.callAs(attempt.tenantId(), () -> attemptAsTenant(attempt));
        meters.counter("pers.webhook.attempts", "outcome", result.outcome().name())
                .increment();
        return result;
    }

    private AttemptResult attemptAsTenant(Attempt attempt) {
        Outgoing message = subscriptions.outgoing(attempt.messageId()).orElseThrow();
        if (message.status() != Messages.Status.PENDING) {
            return AttemptResult.of(
                    message.status() == Messages.Status.DELIVERED ? Outcome.DELIVERED : Outcome.STOPPED);
        }
        Target target = message.target();
        if (!target.active()) {
            messages.failed(message.messageId(), "The endpoint is disabled or deleted");
            return AttemptResult.of(Outcome.STOPPED);
        }
        // The wall clock, not the workflow's: receivers compare webhook-timestamp with their own.
        Map<String, String> headers = WebhookSignatures.headers(
                subscriptions.signingKeys(message),
                message.messageId().toString(),
                Instant.now().getEpochSecond(),
                message.body());
        WebhookSender.Response response = sender.post(target.url(), headers, message.body());
        if (response.delivered()) { // most attempts: one statement, no transaction around it
            messages.recordDelivered(message.messageId(), target.id(), response);
            return AttemptResult.of(Outcome.DELIVERED);
        }
        return tx.execute(status -> recordFailure(attempt, message.messageId(), target, response));
    }

    private AttemptResult recordFailure(
            Attempt attempt, UUID messageId, Target target, WebhookSender.Response response) {
        messages.recordAttempt(messageId, response);
        String error = response.statusCode() == null ? response.error() : "HTTP " + response.statusCode();
        if (response.statusCode() != null && response.statusCode() == 410) {
            return stop(messageId, target, "The endpoint answered 410 Gone", true);
        }
        Instant at = Instant.ofEpochMilli(attempt.attemptedAtMillis());
        Instant failingSince = subscriptions.failed(target.id(), at);
        if (Duration.between(failingSince, at).toMillis() >= attempt.disableAfterMs()) {
            return stop(messageId, target, "The endpoint has failed every attempt since " + failingSince, true);
        }
        if (attempt.last()) {
            return stop(messageId, target, "Every scheduled attempt failed; last: " + error, false);
        }
        messages.retryAt(messageId, at.plusMillis(Math.max(attempt.nextDelayMs(), response.retryAfterMs())), error);
        return AttemptResult.retry(response.retryAfterMs());
    }

    private AttemptResult stop(UUID messageId, Target target, String reason, boolean disableEndpoint) {
        messages.failed(messageId, reason);
        if (disableEndpoint && subscriptions.disable(target.id(), reason)) {
            recordDisabled(target, reason);
        }
        return AttemptResult.of(Outcome.STOPPED);
    }

    /** Tells the tenant's other subscriptions, through the same outbox as every domain event. */
    private void recordDisabled(Target target, String reason) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("subscriptionId", target.id());
        payload.put("url", target.url());
        payload.put("reason", reason);
        if (target.businessId() != null) {
            payload.put("businessId", target.businessId());
        }
        // A fresh subject per disabling: an endpoint re-enabled and disabled again is news again.
        events.record("webhook.endpoint.disabled", UUID.randomUUID(), payload);
    }
}
