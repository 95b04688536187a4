package io.pers.webhook;

import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The delivery log: webhook_messages (one per event and subscription) and webhook_attempts. */
@Component
class Messages {

    enum Status {
        PENDING,
        DELIVERED,
        FAILED
    }

    record Message(
            UUID id,
            UUID subscriptionId,
            UUID eventId,
            String eventType,
            String body,
            Status status,
            int replays,
            int attempts,
            OffsetDateTime nextAttemptAt,
            String lastError,
            OffsetDateTime deliveredAt,
            OffsetDateTime createdAt) {}

    record AttemptEntry(
            int attempt, Integer statusCode, int latencyMs, String responseExcerpt, String error, OffsetDateTime at) {}

    private static final String COLUMNS =
            "m.*, (select count(*) from webhook_attempts a where a.message_id = m.id) as attempt_count";

    private final JdbcClient db;

    Messages(JdbcClient db) {
        this.db = db;
    }

    /** Records a message; false when this event already has one for this subscription. */
    boolean insert(UUID id, UUID subscriptionId, UUID eventId, String eventType, String body) {
        return db.sql("""
                                insert into webhook_messages (id, tenant_id, subscription_id, event_id, event_type, body, status)
                                values (?, ?, ?, ?, ?, ?, 'PENDING')
                                on conflict do nothing""")
                        .params(id, TenantContext.requireTenantId(), subscriptionId, eventId, eventType, body)
                        .update()
                == 1;
    }

    Optional<Message> find(UUID id) {
        return db.sql("select " + COLUMNS + " from webhook_messages m where m.id = ?")
                .param(id)
                .query(this::map)
                .optional();
    }

    Page<Message> list(UUID subscriptionId, Status status, PageQuery page) {
        String where = " where m.subscription_id = ?" + (status == null ? "" : " and m.status = ?");
        List<Object> params = new ArrayList<>();
        params.add(subscriptionId);
        if (status != null) {
            params.add(status.name());
        }
        long total = db.sql("select count(*) from webhook_messages m" + where)
                .params(params)
                .query(Long.class)
                .single();
        params.add(page.size());
        params.add(page.offset());
        return new Page<>(
                db.sql("select " + COLUMNS + " from webhook_messages m" + where + page.orderBy("m.id")
                                + " limit ? offset ?")
                        .params(params)
                        .query(this::map)
                        .list(),
                page.page(),
                page.size(),
                total);
    }

    List<AttemptEntry> attempts(UUID messageId) {
        return db.sql("select * from webhook_attempts where message_id = ? order by attempt")
                .param(messageId)
                .query((rs, i) -> new AttemptEntry(
                        rs.getInt("attempt"),
                        (Integer) rs.getObject("status_code"),
                        rs.getInt("latency_ms"),
                        rs.getString("response_excerpt"),
                        rs.getString("error"),
                        rs.getObject("at", OffsetDateTime.class)))
                .list();
    }

    void recordAttempt(UUID messageId, WebhookSender.Response response) {
        db.sql("""
                        insert into webhook_attempts (message_id, tenant_id, attempt, status_code, latency_ms,
                                                      response_excerpt, error)
                        select ?, ?, coalesce(max(attempt), 0) + 1, ?, ?, ?, ?
                          from webhook_attempts where message_id = ?""").params(attemptParams(messageId, response)).update();
    }

    private static List<Object> attemptParams(UUID messageId, WebhookSender.Response response) {
        return Arrays.asList(
                messageId,
                TenantContext.requireTenantId(),
                response.statusCode(),
                (int) Math.min(Integer.MAX_VALUE, response.latencyMs()),
                response.excerpt(),
                response.error(),
                messageId);
    }

    /**
     * Records a delivered attempt in one statement (one round trip, its own commit): the attempt,
     * the message DELIVERED, and its endpoint no longer failing.
     */
    void recordDelivered(UUID id, UUID subscriptionId, WebhookSender.Response response) {
        db.sql("""
                        with attempt as (
                               insert into webhook_attempts (message_id, tenant_id, attempt, status_code, latency_ms,
                                                             response_excerpt, error)
                               select ?, ?, coalesce(max(attempt), 0) + 1, ?, ?, ?, ?
                                 from webhook_attempts where message_id = ?),
                             endpoint as (
                               update webhook_subscriptions set failing_since = null
                                where id = ? and failing_since is not null)
                        update webhook_messages set status = 'DELIVERED', delivered_at = now(), next_attempt_at = null,
                               last_error = null, updated_at = now()
                         where id = ?""")
                .params(attemptParams(id, response))
                .params(subscriptionId, id)
                .update();
    }

    void failed(UUID id, String error) {
        db.sql("""
                        update webhook_messages set status = 'FAILED', next_attempt_at = null, last_error = ?,
                               updated_at = now()
                         where id = ?""").params(error, id).update();
    }

    void retryAt(UUID id, Instant next, String error) {
        db.sql("update webhook_messages set next_attempt_at = ?, last_error = ?, updated_at = now() where id = ?")
                .params(Timestamp.from(next), error, id)
                .update();
    }

    /** Puts a finished message back to PENDING for one more delivery; its replay number, or empty when pending. */
    Optional<Integer> replay(UUID id) {
        return db.sql("""
                        update webhook_messages set status = 'PENDING', replays = replays + 1, next_attempt_at = null,
                               updated_at = now()
                         where id = ? and status <> 'PENDING' returning replays""").param(id).query(Integer.class).optional();
    }

    /** Failed messages of a subscription created since an instant, oldest first. */
    List<UUID> failedSince(UUID subscriptionId, Instant since, int limit) {
        return db.sql("""
                        select id from webhook_messages
                         where subscription_id = ? and status = 'FAILED' and created_at >= ?
                         order by created_at, id limit ?""")
                .params(subscriptionId, Timestamp.from(since), limit)
                .query(UUID.class)
                .list();
    }

    private Message map(ResultSet rs, int row) throws SQLException {
        return new Message(
                rs.getObject("id", UUID.class),
                rs.getObject("subscription_id", UUID.class),
                rs.getObject("event_id", UUID.class),
                rs.getString("event_type"),
                rs.getString("body"),
                Status.valueOf(rs.getString("status")),
                rs.getInt("replays"),
                rs.getInt("attempt_count"),
                rs.getObject("next_attempt_at", OffsetDateTime.class),
                rs.getString("last_error"),
                rs.getObject("delivered_at", OffsetDateTime.class),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
