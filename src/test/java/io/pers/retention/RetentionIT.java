package io.pers.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Retention on the real PostgreSQL: rows past their table's retention go, newer ones stay, rows
 * still needed stay whatever their age (an ingest event not yet published, a webhook message
 * still pending), and two runs at once (two instances) delete each row once between them.
 */
class RetentionIT extends ApiTest {

    @Autowired
    JdbcClient db;

    @Autowired
    MeterRegistry meters;

    /** A run as an instance would make it, in batches of {@code batch}, with the shipped defaults. */
    private Retention retention(int batch) {
        return new Retention(
                db,
                meters,
                true,
                batch,
                1000,
                Duration.ofDays(7),
                Duration.ofDays(90),
                Duration.ofDays(30),
                Duration.ofDays(400));
    }

    @Test
    void oldRowsGoNewAndNeededRowsStayAndTwoRunsAtOnceDeleteEachRowOnce() throws Exception {
        TenantFixture tenant = newTenant();
        UUID t = tenant.id();
        Api.Response connected = tenant.admin().post("/v2/connectors", Map.of("connector", "pers-webhook"));
        assertThat(connected.status()).as(connected.toString()).isEqualTo(201);
        UUID connection =
                UUID.fromString(connected.json().path("connection").path("id").asString());
        Api.Response subscribed = tenant.admin().post("/v2/webhooks", Map.of("url", "http://127.0.0.1:9/hooks"));
        assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);
        UUID subscription = UUID.fromString(
                subscribed.json().path("subscription").path("id").asString());

        int oldKeys = 7;
        TenantContext.runAs(t, () -> {
            for (int i = 0; i < oldKeys; i++) {
                idempotencyKey(t, "old-" + i, "8 days");
            }
            idempotencyKey(t, "recent", "6 days");
            ingestEvent(t, connection, "old-published", "91 days", true);
            ingestEvent(t, connection, "old-published-2", "200 days", true);
            ingestEvent(t, connection, "old-unpublished", "91 days", false);
            ingestEvent(t, connection, "recent-published", "89 days", true);
            message(t, subscription, "old-delivered", "DELIVERED", "31 days", 3);
            message(t, subscription, "old-failed", "FAILED", "40 days", 8);
            message(t, subscription, "old-pending", "PENDING", "60 days", 2);
            message(t, subscription, "recent-delivered", "DELIVERED", "29 days", 1);
            audit(t, "old", "401 days");
            audit(t, "old-2", "800 days");
            audit(t, "recent", "399 days");
        });

        // Two instances at once, in batches of 2: every old row goes once, whichever deleted it.
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Map<String, Integer>>> runs = List.of(1, 2).stream()
                .map(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return retention(2).purgeAll();
                }))
                .toList();
        start.countDown();
        Map<String, Integer> first = runs.get(0).get();
        Map<String, Integer> second = runs.get(1).get();
        // A run that met the other on a table leaves the rest to the next run: run until none left.
        Map<String, Integer> rest = retention(2).purgeAll();
        assertThat(sum(first, second, rest, "idempotency_keys")).isEqualTo(oldKeys);
        assertThat(sum(first, second, rest, "ingest_events")).isEqualTo(2);
        assertThat(sum(first, second, rest, "webhook_messages")).isEqualTo(2);
        assertThat(sum(first, second, rest, "audit_log")).isEqualTo(2);
        assertThat(retention(2).purgeAll())
                .allSatisfy((table, n) -> assertThat(n).as(table).isZero());

        TenantContext.runAs(t, () -> {
            assertThat(strings("select key from idempotency_keys where caller = 'retention-it'"))
                    .containsExactly("recent");
            assertThat(strings("select event_id from ingest_events where source = 'retention-it' order by 1"))
                    .containsExactly("old-unpublished", "recent-published");
            assertThat(strings("select event_type from webhook_messages where subscription_id = '" + subscription
                            + "' order by 1"))
                    .containsExactly("old-pending", "recent-delivered");
            assertThat(strings("select m.event_type || ':' || count(*) from webhook_attempts a"
                            + " join webhook_messages m on m.id = a.message_id where m.subscription_id = '"
                            + subscription + "' group by m.event_type order by 1"))
                    .containsExactly("old-pending:2", "recent-delivered:1");
            assertThat(strings("select path from audit_log where method = 'RETENTION-IT'"))
                    .containsExactly("recent");
        });
    }

    @Test
    void theAuditLogStaysAppendOnlyOutsideRetention() {
        TenantFixture tenant = newTenant();
        TenantContext.runAs(tenant.id(), () -> audit(tenant.id(), "young", "1 day"));
        // Not past a retention of at least 90 days: the function refuses a shorter one.
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> db.sql("select retention_purge('audit_log', '1 hour'::interval, 10)")
                                .query(Integer.class)
                                .single())
                .hasMessageContaining("at least 90 days");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> db.sql("select retention_purge('journal_entries', '1 day'::interval, 10)")
                                .query(Integer.class)
                                .single())
                .hasMessageContaining("not subject to retention");
        TenantContext.runAs(
                tenant.id(), () -> assertThat(strings("select path from audit_log where method = 'RETENTION-IT'"))
                        .containsExactly("young"));
    }

    private static int sum(Map<String, Integer> a, Map<String, Integer> b, Map<String, Integer> c, String table) {
        return a.get(table) + b.get(table) + c.get(table);
    }

    private List<String> strings(String sql) {
        return db.sql(sql).query(String.class).list();
    }

    private void idempotencyKey(UUID tenant, String key, String age) {
        db.sql("insert into idempotency_keys (tenant_id, caller, key, request_hash, created_at)"
                        + " values (?, 'retention-it', ?, '\\x00', now() - ?::interval)")
                .params(tenant, key, age)
                .update();
    }

    private void ingestEvent(UUID tenant, UUID connection, String id, String age, boolean published) {
        db.sql(
                        "insert into ingest_events (tenant_id, source, event_id, connection_id, event, received_at, published_at)"
                                + " values (?, 'retention-it', ?, ?, '{}'::jsonb, now() - ?::interval,"
                                + " case when ? then now() - ?::interval end)")
                .params(tenant, id, connection, age, published, age)
                .update();
    }

    private void message(UUID tenant, UUID subscription, String type, String status, String age, int attempts) {
        UUID id = UUID.randomUUID();
        // A pending message's next attempt is far ahead: the webhook sweeper leaves it alone.
        db.sql("insert into webhook_messages (id, tenant_id, subscription_id, event_type, body, status,"
                        + " next_attempt_at, created_at, updated_at)"
                        + " values (?, ?, ?, ?, '{}', ?, now() + interval '1 day', now() - ?::interval,"
                        + " now() - ?::interval)")
                .params(id, tenant, subscription, type, status, age, age)
                .update();
        for (int i = 1; i <= attempts; i++) {
            db.sql("insert into webhook_attempts (message_id, tenant_id, attempt, status_code, latency_ms, at)"
                            + " values (?, ?, ?, 500, 10, now() - ?::interval)")
                    .params(id, tenant, i, age)
                    .update();
        }
    }

    private void audit(UUID tenant, String path, String age) {
        db.sql("insert into audit_log (id, tenant_id, actor_role, method, path, status, created_at)"
                        + " values (?, ?, 'ADMIN', 'RETENTION-IT', ?, 200, now() - ?::interval)")
                .params(UUID.randomUUID(), tenant, path, age)
                .update();
    }
}
