package io.pers.webhook;

import io.pers.api.Allow;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.api.Role;
import io.pers.webhook.Messages.Message;
import io.pers.webhook.Subscriptions.Changes;
import io.pers.webhook.Subscriptions.NewSubscription;
import io.pers.webhook.Subscriptions.Subscription;
import io.pers.webhook.Webhooks.MessageView;
import io.pers.webhook.Webhooks.WithSecret;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Partner webhooks: subscriptions, secret rotation, the delivery log, replay and test sends. */
@RestController
class WebhookController {

    /** An event type ({@code claim.completed}), a family ({@code claim.*}), or {@code *} for all. */
    static final String EVENT_TYPE = "^(\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*(\\.\\*)?)$";

    record SubscriptionBody(
            @Size(min = 1, max = 2000) String url,
            @Size(max = 500) String description,
            @Size(max = 50) List<@NotNull @Pattern(regexp = EVENT_TYPE) @Size(max = 100) String> eventTypes,
            UUID businessId,
            Boolean enabled) {

        /** Empty or {@code *} alone: every type. */
        List<String> types() {
            return eventTypes == null || eventTypes.contains("*")
                    ? List.of()
                    : eventTypes.stream().distinct().toList();
        }
    }

    record ReplayBody(@NotNull OffsetDateTime since) {}

    private static final Map<String, String> SUBSCRIPTIONS_SORTABLE = Map.of("createdAt", "created_at", "url", "url");
    private static final Map<String, String> MESSAGES_SORTABLE = Map.of("createdAt", "m.created_at");

    private final Webhooks webhooks;

    WebhookController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @Operation(
            operationId = "createWebhook",
            summary = "Subscribe to events",
            description = "Subscribes a URL to PERS events (`eventTypes`: a type such as `claim.completed`, a family "
                    + "`claim.*`, or `*`/none for all), delivered as Standard Webhooks (`webhook-id`, "
                    + "`webhook-timestamp`, `webhook-signature`), retried on failure. Answers the subscription and "
                    + "its `whsec_` secret, shown this once. A business subscribes to its own events. The URL must "
                    + "resolve to an address PERS may reach.")
    @Fails({ErrorCode.WEBHOOK_TARGET_REFUSED})
    @PostMapping("/v2/webhooks")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow({Role.ADMIN, Role.SYSTEM, Role.BUSINESS})
    WithSecret create(@Valid @RequestBody SubscriptionBody body) {
        if (body.url() == null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "url is required");
        }
        return webhooks.create(new NewSubscription(
                body.businessId(),
                body.url(),
                body.description(),
                body.types(),
                body.enabled() == null || body.enabled()));
    }

    @Operation(
            operationId = "listWebhooks",
            summary = "List webhook subscriptions",
            description = "The caller's subscriptions (a business sees its own), without secrets.")
    @GetMapping("/v2/webhooks")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.BUSINESS})
    Page<Subscription> list(
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        return webhooks.list(PageQuery.of(page, size, sort, SUBSCRIPTIONS_SORTABLE));
    }

    @Operation(
            operationId = "getWebhook",
            summary = "Get a webhook subscription",
            description = "One subscription, without its secret.")
    @GetMapping("/v2/webhooks/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.BUSINESS})
    Subscription get(@PathVariable UUID id) {
        return webhooks.find(id);
    }

    @Operation(
            operationId = "updateWebhook",
            summary = "Update a webhook subscription",
            description = "Changes the URL, description, event types or enabled flag; fields left out keep their value."
                    + " `businessId` cannot change.")
    @Fails({ErrorCode.WEBHOOK_TARGET_REFUSED})
    @PatchMapping("/v2/webhooks/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.BUSINESS})
    Subscription update(@PathVariable UUID id, @Valid @RequestBody SubscriptionBody body) {
        if (body.businessId() != null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "businessId cannot change");
        }
        return webhooks.update(
                id,
                new Changes(
                        body.url(),
                        body.description(),
                        body.eventTypes() == null ? null : body.types(),
                        body.enabled()));
    }

    @Operation(
            operationId = "deleteWebhook",
            summary = "Delete a webhook subscription",
            description = "Stops deliveries to the subscription; its delivery log goes with it.")
    @DeleteMapping("/v2/webhooks/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Allow({Role.ADMIN, Role.SYSTEM, Role.BUSINESS})
    void delete(@PathVariable UUID id) {
        webhooks.delete(id);
    }

    /** A new secret, shown once; the old one keeps signing beside it for the rotation overlap. */
    @Operation(
            operationId = "rotateWebhookSecret",
            summary = "Rotate a subscription's secret",
            description = "Answers a new secret, shown once. For the rotation overlap, deliveries carry signatures by "
                    + "both the new and the old secret, so a receiver can switch without losing messages.")
    @PostMapping("/v2/webhooks/{id}/rotate-secret")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.BUSINESS})
    WithSecret rotate(@PathVariable UUID id) {
        return webhooks.rotate(id);
    }

    @Operation(
            operationId = "sendTestWebhook",
            summary = "Send a test event",
            description = "Queues a `webhook.test` message to the subscription and answers it; follow its delivery at "
                    + "`GET /v2/webhooks/messages/{messageId}`.")
    @PostMapping("/v2/webhooks/{id}/test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Allow({Role.ADMIN, Role.SYSTEM, Role.BUSINESS})
    Message sendTest(@PathVariable UUID id) {
        return webhooks.sendTest(id);
    }

    @Operation(
            operationId = "listWebhookMessages",
            summary = "List a subscription's messages",
            description = "The delivery log: messages sent to the subscription with their status and attempts, newest "
                    + "first; paged.")
    @GetMapping("/v2/webhooks/{id}/messages")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.BUSINESS})
    Page<Message> messages(
            @PathVariable UUID id,
            @RequestParam(required = false) Messages.Status status,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        return webhooks.messages(id, status, PageQuery.of(page, size, sort, MESSAGES_SORTABLE));
    }

    /** Every failed message of the subscription created since {@code since}, delivered once more. */
    @Operation(
            operationId = "replayFailedWebhooks",
            summary = "Redeliver failed messages",
            description = "Delivers once more every failed message of the subscription created since `since`.")
    @PostMapping("/v2/webhooks/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Allow({Role.ADMIN, Role.SYSTEM, Role.BUSINESS})
    Map<String, Integer> replayFailed(@PathVariable UUID id, @Valid @RequestBody ReplayBody body) {
        return Map.of("replayed", webhooks.replayFailed(id, body.since().toInstant()));
    }

    @Operation(
            operationId = "getWebhookMessage",
            summary = "Get a webhook message",
            description = "One message with its payload and every delivery attempt (status, answer, time).")
    @GetMapping("/v2/webhooks/messages/{messageId}")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.BUSINESS})
    MessageView message(@PathVariable UUID messageId) {
        return webhooks.message(messageId);
    }

    @Operation(
            operationId = "replayWebhookMessage",
            summary = "Redeliver a message",
            description = "Delivers the message once more. A message still being delivered is refused with 409 "
                    + "`WEBHOOK_MESSAGE_PENDING`.")
    @Fails({ErrorCode.WEBHOOK_MESSAGE_PENDING})
    @PostMapping("/v2/webhooks/messages/{messageId}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Allow({Role.ADMIN, Role.SYSTEM, Role.BUSINESS})
    Message replay(@PathVariable UUID messageId) {
        return webhooks.replay(messageId);
    }
}
