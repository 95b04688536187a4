package io.pers.webhook;

import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.business.Businesses;
import io.pers.outbound.OutboundGuard;
import io.pers.tenant.TenantContext;
import io.pers.webhook.Messages.AttemptEntry;
import io.pers.webhook.Messages.Message;
import io.pers.webhook.Subscriptions.Changes;
import io.pers.webhook.Subscriptions.NewSubscription;
import io.pers.webhook.Subscriptions.Subscription;
import io.pers.workflow.webhook.WebhookTuning;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Subscriptions and the delivery log as the API offers them. A BUSINESS caller sees and makes
 * only its own business's subscriptions; admins and systems see the tenant's.
 */
@Component
class Webhooks {

    /** A subscription with its secret: the answer to a create or a rotation, the only time it is shown. */
    record WithSecret(Subscription subscription, String secret) {}

    /** A message as the log shows it, with its attempts. */
    record MessageView(Message message, List<AttemptEntry> attempts) {}

    private static final int REPLAY_LIMIT = 1000;

    private final Subscriptions subscriptions;
    private final Messages messages;
    private final Deliveries deliveries;
    private final OutboundGuard guard;
    private final Businesses businesses;
    private final WebhookTuning tuning;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    Webhooks(
            Subscriptions subscriptions,
            Messages messages,
            Deliveries deliveries,
            OutboundGuard guard,
            Businesses businesses,
            WebhookTuning tuning,
            TransactionTemplate tx,
            ObjectMapper json) {
        this.subscriptions = subscriptions;
        this.messages = messages;
        this.deliveries = deliveries;
        this.guard = guard;
        this.businesses = businesses;
        this.tuning = tuning;
        this.tx = tx;
        this.json = json;
    }

    WithSecret create(NewSubscription request) {
        guard.check(request.url(), ErrorCode.WEBHOOK_TARGET_REFUSED);
        UUID business = businessScope();
        if (business != null && request.businessId() != null && !business.equals(request.businessId())) {
            throw new PersException(ErrorCode.FORBIDDEN, "A business subscribes for itself");
        }
        NewSubscription scoped = business == null
                ? request
                : new NewSubscription(
                        business, request.url(), request.description(), request.eventTypes(), request.enabled());
        if (scoped.businessId() != null) {
            businesses.find(scoped.businessId());
        }
        byte[] key = WebhookSignatures.newKey();
        return new WithSecret(subscriptions.create(UUID.randomUUID(), scoped, key), WebhookSignatures.secret(key));
    }

    Subscription find(UUID id) {
        Subscription subscription =
                subscriptions.find(id).orElseThrow(() -> PersException.notFound("Webhook subscription"));
        UUID business = businessScope();
        if (business != null && !business.equals(subscription.businessId())) {
            throw PersException.notFound("Webhook subscription");
        }
        return subscription;
    }

    Page<Subscription> list(PageQuery page) {
        return subscriptions.list(businessScope(), page);
    }

    Subscription update(UUID id, Changes changes) {
        find(id);
        if (changes.url() != null) {
            guard.check(changes.url(), ErrorCode.WEBHOOK_TARGET_REFUSED);
        }
        return subscriptions.update(id, changes);
    }

    void delete(UUID id) {
        find(id);
        subscriptions.delete(id);
    }

    WithSecret rotate(UUID id) {
        find(id);
        byte[] key = WebhookSignatures.newKey();
        subscriptions.rotate(id, key, tuning.rotationOverlap());
        return new WithSecret(find(id), WebhookSignatures.secret(key));
    }

    /** A {@code webhook.test} message, delivered like any other (signed, retried, logged). */
    Message sendTest(UUID id) {
        Subscription subscription = find(id);
        UUID messageId = UUID.randomUUID();
        String body = WebhookBodies.body(
                json,
                "webhook.test",
                OffsetDateTime.now(ZoneOffset.UTC),
                Map.of("subscriptionId", subscription.id(), "message", "A test message from PERS"));
        messages.insert(messageId, subscription.id(), null, "webhook.test", body);
        deliveries.deliver(TenantContext.requireTenantId(), messageId, 0);
        return messages.find(messageId).orElseThrow();
    }

    Page<Message> messages(UUID subscriptionId, Messages.Status status, PageQuery page) {
        find(subscriptionId);
        return messages.list(subscriptionId, status, page);
    }

    MessageView message(UUID messageId) {
        Message message = messages.find(messageId).orElseThrow(() -> PersException.notFound("Webhook message"));
        find(message.subscriptionId());
        return new MessageView(message, messages.attempts(messageId));
    }

    /** Delivers a finished message once more, under the same webhook-id. */
    Message replay(UUID messageId) {
        message(messageId);
        int replay = messages.replay(messageId).orElseThrow(() -> new PersException(ErrorCode.WEBHOOK_MESSAGE_PENDING));
        deliveries.deliver(TenantContext.requireTenantId(), messageId, replay);
        return messages.find(messageId).orElseThrow();
    }

    /** Replays every failed message of a subscription created since an instant; how many. */
    int replayFailed(UUID subscriptionId, Instant since) {
        find(subscriptionId);
        List<UUID> failed = messages.failedSince(subscriptionId, since, REPLAY_LIMIT);
        int replayed = 0;
        for (UUID messageId : failed) {
            var replay = tx.execute(status -> messages.replay(messageId));
            if (replay != null && replay.isPresent()) {
                deliveries.deliver(TenantContext.requireTenantId(), messageId, replay.get());
                replayed++;
            }
        }
        return replayed;
    }

    private static UUID businessScope() {
        Principal caller = CurrentCaller.get();
        return caller.role() == Role.BUSINESS ? caller.businessId() : null;
    }
}
