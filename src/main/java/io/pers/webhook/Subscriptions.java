package io.pers.webhook;

import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.crypto.SecretBox;
import io.pers.tenant.TenantContext;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The webhook_subscriptions table. Signing keys are stored sealed and leave it only to sign. */
@Component
class Subscriptions {

    /** A subscription as the API shows it: never its secret. */
    record Subscription(
            UUID id,
            UUID businessId,
            String url,
            String description,
            List<String> eventTypes,
            boolean enabled,
            String disabledReason,
            OffsetDateTime failingSince,
            OffsetDateTime previousSecretExpiresAt,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {}

    record NewSubscription(UUID businessId, String url, String description, List<String> eventTypes, boolean enabled) {}

    /** Fields left null keep their value. */
    record Changes(String url, String description, List<String> eventTypes, Boolean enabled) {}

    private static final String COLUMNS = "id, business_id, url, description, event_types, enabled, disabled_reason,"
            + " failing_since, previous_secret_expires_at, created_at, updated_at";

    private final JdbcClient db;
    private final SecretBox box;

    Subscriptions(JdbcClient db, SecretBox box) {
        this.db = db;
        this.box = box;
    }

    Subscription create(UUID id, NewSubscription s, byte[] key) {
        db.sql("""
                        insert into webhook_subscriptions (id, tenant_id, business_id, url, description, event_types,
                                                           enabled, secret_enc)
                        values (?, ?, ?, ?, ?, ?::text[], ?, ?)""")
                .params(
                        id,
                        TenantContext.requireTenantId(),
                        s.businessId(),
                        s.url(),
                        s.description(),
                        s.eventTypes().toArray(String[]::new),
                        s.enabled(),
                        box.seal(key))
                .update();
        return find(id).orElseThrow();
    }

    /** A subscription not deleted. */
    Optional<Subscription> find(UUID id) {
        return db.sql("select " + COLUMNS + " from webhook_subscriptions where id = ? and deleted_at is null")
                .param(id)
                .query(this::map)
                .optional();
    }

    /** The subscription's tenant-wide or business scope, for callers limited to one business. */
    Page<Subscription> list(UUID businessScope, PageQuery page) {
        String where = " where deleted_at is null" + (businessScope == null ? "" : " and business_id = ?");
        List<Object> params = new ArrayList<>();
        if (businessScope != null) {
            params.add(businessScope);
        }
        long total = db.sql("select count(*) from webhook_subscriptions" + where)
                .params(params)
                .query(Long.class)
                .single();
        params.add(page.size());
        params.add(page.offset());
        return new Page<>(
                db.sql("select " + COLUMNS + " from webhook_subscriptions" + where + page.orderBy()
                                + " limit ? offset ?")
                        .params(params)
                        .query(this::map)
                        .list(),
                page.page(),
                page.size(),
                total);
    }

    /** Enabling clears the failure record: the endpoint starts afresh. */
    Subscription update(UUID id, Changes c) {
        db.sql("""
                        update webhook_subscriptions
                           set url = coalesce(?, url), description = coalesce(?, description),
                               event_types = coalesce(?::text[], event_types), enabled = coalesce(?, enabled),
                               disabled_reason = case when ? then null else disabled_reason end,
                               failing_since = case when ? then null else failing_since end,
                               updated_at = now()
                         where id = ? and deleted_at is null""")
                .params(
                        c.url(),
                        c.description(),
                        c.eventTypes() == null ? null : c.eventTypes().toArray(String[]::new),
                        c.enabled(),
                        Boolean.TRUE.equals(c.enabled()),
                        Boolean.TRUE.equals(c.enabled()),
                        id)
                .update();
        return find(id).orElseThrow(() -> PersException.notFound("Webhook subscription"));
    }

    /** Soft delete: the delivery log keeps pointing at it; pending deliveries stop at their next attempt. */
    void delete(UUID id) {
        db.sql("update webhook_subscriptions set deleted_at = now(), enabled = false, updated_at = now()"
                        + " where id = ? and deleted_at is null")
                .param(id)
                .update();
    }

    /** The new key signs from now on; the old one keeps signing beside it for {@code overlap}. */
    void rotate(UUID id, byte[] newKey, Duration overlap) {
        db.sql("""
                        update webhook_subscriptions
                           set previous_secret_enc = secret_enc, previous_secret_expires_at = ?, secret_enc = ?,
                               updated_at = now()
                         where id = ? and deleted_at is null""")
                .params(Timestamp.from(Instant.now().plus(overlap)), box.seal(newKey), id)
                .update();
    }

    /**
     * A message to send with its subscription's target and the keys to sign it with now (the
     * current one, and the previous one while its overlap lasts), in one read.
     */
    Optional<Outgoing> outgoing(UUID messageId) {
        return db.sql("""
                        select m.status, m.body, s.id, s.url, s.enabled and s.deleted_at is null, s.business_id,
                               s.secret_enc, case when s.previous_secret_expires_at > now() then s.previous_secret_enc end
                          from webhook_messages m join webhook_subscriptions s on s.id = m.subscription_id
                         where m.id = ?""")
                .param(messageId)
                .query((rs, i) -> new Outgoing(
                        messageId,
                        Messages.Status.valueOf(rs.getString(1)),
                        rs.getString(2),
                        new Target(
                                rs.getObject(3, UUID.class),
                                rs.getString(4),
                                rs.getBoolean(5),
                                rs.getObject(6, UUID.class)),
                        Stream.of(rs.getBytes(7), rs.getBytes(8))
                                .filter(Objects::nonNull)
                                .toList()))
                .optional();
    }

    /** A message as an attempt sends it; {@link #signingKeys} opens its sealed keys. */
    record Outgoing(UUID messageId, Messages.Status status, String body, Target target, List<byte[]> sealedKeys) {}

    List<byte[]> signingKeys(Outgoing outgoing) {
        return outgoing.sealedKeys().stream().map(box::open).toList();
    }

    /** The tenant's enabled subscriptions and what each takes: read once per batch of events dispatched. */
    Routing routing() {
        return new Routing(db.sql("""
                        select id, event_types, business_id from webhook_subscriptions
                         where enabled and deleted_at is null""")
                .query((rs, i) -> new Route(
                        rs.getObject(1, UUID.class), Set.copyOf(strings(rs.getArray(2))), rs.getObject(3, UUID.class)))
                .list());
    }

    /** A subscription takes an event of its types (none listed: every type), tenant-wide or for its business. */
    record Route(UUID id, Set<String> eventTypes, UUID businessId) {
        boolean takes(String eventType, UUID eventBusinessId) {
            return (businessId == null || businessId.equals(eventBusinessId))
                    && (eventTypes.isEmpty()
                            || Arrays.stream(filtersMatching(eventType)).anyMatch(eventTypes::contains));
        }
    }

    record Routing(List<Route> routes) {
        boolean isEmpty() {
            return routes.isEmpty();
        }

        List<UUID> matching(String eventType, UUID eventBusinessId) {
            return routes.stream()
                    .filter(r -> r.takes(eventType, eventBusinessId))
                    .map(Route::id)
                    .toList();
        }
    }

    /** The filters that take a type: itself and each family above it ({@code a.b.c}: a.b.c, a.*, a.b.*). */
    static String[] filtersMatching(String eventType) {
        List<String> filters = new ArrayList<>(List.of(eventType));
        for (int dot = eventType.indexOf('.'); dot > 0; dot = eventType.indexOf('.', dot + 1)) {
            filters.add(eventType.substring(0, dot) + ".*");
        }
        return filters.toArray(String[]::new);
    }

    /** A subscription's target and state, deleted or not, as a delivery attempt finds it. */
    record Target(UUID id, String url, boolean active, UUID businessId) {}

    /** Records a failure at {@code at}; returns since when the endpoint has been failing. */
    Instant failed(UUID id, Instant at) {
        return db.sql("""
                        update webhook_subscriptions set failing_since = coalesce(failing_since, ?)
                         where id = ? returning failing_since""")
                .params(Timestamp.from(at), id)
                .query(Timestamp.class)
                .single()
                .toInstant();
    }

    /** Disables an enabled subscription; false when it was disabled already. */
    boolean disable(UUID id, String reason) {
        return db.sql("""
                        update webhook_subscriptions set enabled = false, disabled_reason = ?, updated_at = now()
                         where id = ? and enabled""").params(reason, id).update() == 1;
    }

    private Subscription map(ResultSet rs, int row) throws SQLException {
        return new Subscription(
                rs.getObject("id", UUID.class),
                rs.getObject("business_id", UUID.class),
                rs.getString("url"),
                rs.getString("description"),
                strings(rs.getArray("event_types")),
                rs.getBoolean("enabled"),
                rs.getString("disabled_reason"),
                rs.getObject("failing_since", OffsetDateTime.class),
                rs.getObject("previous_secret_expires_at", OffsetDateTime.class),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
