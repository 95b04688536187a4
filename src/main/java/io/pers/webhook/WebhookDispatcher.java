package io.pers.webhook;

import io.pers.event.DomainEvents;
import io.pers.event.WokenJob;
import io.pers.tenant.TenantContext;
import io.pers.workflow.webhook.WebhookTuning;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns domain events into webhook messages, durably and once. It reads the events behind a
 * persisted cursor in the order their transactions started, only once no older transaction is
 * still running (V28: nothing can commit behind the cursor), records in one transaction per tenant
 * and batch a message for every matching subscription (unique per event and subscription), hands
 * them to {@link Deliveries}, then moves the cursor. A crash in between re-reads the batch, whose
 * messages exist already; pending messages whose delivery was lost are re-driven by {@link #sweep}.
 * Several instances may run: the unique keys and the workflow ids make a second dispatch a no-op.
 * A transaction that records events wakes it on commit ({@link WokenJob}); idle, it looks every
 * few seconds. Most events match no subscription (every ledger post makes two): those cost nothing
 * but their read.
 */
@Component
class WebhookDispatcher implements WokenJob.Owner {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private record Event(
            UUID id, UUID tenantId, String type, String payload, OffsetDateTime createdAt, Position position) {}

    /** Where an event stands in the dispatch order: its transaction's id, then its sequence number. */
    private record Position(String txid, long seq) {}

    private record Overdue(UUID messageId, UUID tenantId, int replays) {}

    private final JdbcClient db;
    private final Subscriptions subscriptions;
    private final Messages messages;
    private final Deliveries deliveries;
    private final WebhookTuning tuning;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final WokenJob dispatching;

    WebhookDispatcher(
            JdbcClient db,
            Subscriptions subscriptions,
            Messages messages,
            Deliveries deliveries,
            WebhookTuning tuning,
            TransactionTemplate tx,
            ObjectMapper json,
            DomainEvents events) {
        this.db = db;
        this.subscriptions = subscriptions;
        this.messages = messages;
        this.deliveries = deliveries;
        this.tuning = tuning;
        this.tx = tx;
        this.json = json;
        this.dispatching = new WokenJob(
                "webhook-dispatcher",
                tuning.dispatcher().interval(),
                tuning.dispatcher().idleInterval(),
                this::dispatch);
        events.wakeOnCommit(dispatching);
    }

    @Override
    public WokenJob wokenJob() {
        return dispatching;
    }

    void dispatch() {
        List<Event> events;
        do {
            Position cursor = db.sql("select txid::text, seq from webhook_dispatch_cursor")
                    .query((rs, i) -> new Position(rs.getString(1), rs.getLong(2)))
                    .single();
            events = db.sql("select * from webhook_events_after(?::xid8, ?, ?)")
                    .params(cursor.txid(), cursor.seq(), tuning.dispatcher().batch())
                    .query((rs, i) -> new Event(
                            rs.getObject(1, UUID.class),
                            rs.getObject(2, UUID.class),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class),
                            new Position(rs.getString(6), rs.getLong(7))))
                    .list();
            Map<UUID, List<Event>> byTenant = new LinkedHashMap<>();
            events.forEach(e -> byTenant.computeIfAbsent(e.tenantId(), t -> new ArrayList<>())
                    .add(e));
            for (Map.Entry<UUID, List<Event>> tenant : byTenant.entrySet()) {
                if (!dispatch(tenant.getKey(), tenant.getValue())) {
                    return; // the next run reads the batch again; a batch that keeps failing must not spin here
                }
            }
            if (!events.isEmpty()) {
                advance(events.get(events.size() - 1).position());
            }
        } while (events.size() == tuning.dispatcher().batch() && dispatching.isRunning());
    }

    /**
     * Moves the cursor past a recorded batch, never back (a second instance may have moved it
     * further). A crash before this re-reads the batch: its messages exist and are not recorded again.
     */
    private void advance(Position to) {
        db.sql("update webhook_dispatch_cursor set txid = ?::xid8, seq = ? where (txid, seq) < (?::xid8, ?)")
                .params(to.txid(), to.seq(), to.txid(), to.seq())
                .update();
    }

    /** False when the events could not be recorded (they stay undispatched and are tried again). */
    private boolean dispatch(UUID tenantId, List<Event> events) {
        List<UUID> recorded;
        try {
            recorded = TenantContext.callAs(tenantId, () -> tx.execute(status -> record(events)));
        } catch (RuntimeException e) {
            log.warn(
                    "Could not dispatch {} domain events of tenant {} (from {}); retrying on the next run",
                    events.size(),
                    tenantId,
                    events.get(0).id(),
                    e);
            return false;
        }
        for (UUID message : recorded) {
            deliveries.deliver(tenantId, message, 0);
        }
        return true;
    }

    /** One tenant's events: their messages, in one transaction; the messages recorded (not those that existed). */
    private List<UUID> record(List<Event> events) {
        Subscriptions.Routing routing = subscriptions.routing();
        List<UUID> recorded = new ArrayList<>();
        for (Event event : routing.isEmpty() ? List.<Event>of() : events) {
            List<UUID> takers = routing.matching(event.type(), businessOf(event));
            String body = takers.isEmpty() ? null : body(event);
            for (UUID subscription : takers) {
                UUID messageId = messageId(event.id(), subscription);
                if (messages.insert(messageId, subscription, event.id(), event.type(), body)) {
                    recorded.add(messageId);
                }
            }
        }
        return recorded;
    }

    /** The Standard Webhooks payload: {type, timestamp, data}, written once and sent as is on every attempt. */
    private String body(Event event) {
        return WebhookBodies.body(
                json,
                event.type(),
                event.createdAt().withOffsetSameInstant(ZoneOffset.UTC),
                json.readTree(event.payload()));
    }

    private UUID businessOf(Event event) {
        String business = json.readTree(event.payload()).path("businessId").asString("");
        try {
            return business.isEmpty() ? null : UUID.fromString(business);
        } catch (IllegalArgumentException notAnId) {
            return null; // only tenant-wide subscriptions take it
        }
    }

    /** Derived, so the same event and subscription always give the same webhook-id. */
    static UUID messageId(UUID eventId, UUID subscriptionId) {
        return UUID.nameUUIDFromBytes(("webhook-message:" + eventId + ":" + subscriptionId).getBytes());
    }

    @Scheduled(fixedDelayString = "${pers.workflows.webhook.sweeper.interval}")
    void sweep() {
        db.sql("select * from webhook_overdue_messages(?::interval, ?)")
                .params(
                        tuning.sweeper().grace().toMillis() + " milliseconds",
                        tuning.sweeper().batch())
                .query((rs, i) -> new Overdue(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3)))
                .list()
                .forEach(m -> {
                    if (deliveries.redrive(m.tenantId(), m.messageId(), m.replays())) {
                        log.info("Re-drove overdue webhook message {}", m.messageId());
                    }
                });
    }
}
