package io.pers.ingest;

import static io.pers.ingest.IngestIT.completedClaims;
import static io.pers.ingest.IngestIT.mapping;
import static io.pers.ingest.IngestIT.standardWebhook;
import static io.pers.ingest.IngestIT.systemCampaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pers.claim.CampaignSetup;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.tenant.TenantContext;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An event stored but never published (the process died between the insert and the Kafka send)
 * is published by the relay once it has waited long enough, marked published, and becomes one
 * claim; relayed again, or published a second time, it still makes one.
 */
class IngestRelayIT extends ApiTest {

    private static final Duration CLAIMED = Duration.ofSeconds(30);

    @Autowired
    JdbcClient db;

    @Autowired
    IngestRelay relay;

    @Autowired
    TriggerLog triggers;

    @Test
    void anEventStoredButNeverPublishedIsRelayedAndClaimedOnce() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID tenant = setup.tenant.id();
        UUID campaign = systemCampaign(setup);
        Api.Response created = setup.tenant.admin().post("/v2/connectors", Map.of("connector", "pers-webhook"));
        String secret = created.text("signingSecret");
        String url = created.text("ingestUrl");
        mapping(setup, "pers-webhook", "com.example.test.visit", null, "1", campaign);
        assertThat(standardWebhook(url, secret, "msg_relay_1", IngestIT.visit("relay-1"))
                        .status())
                .isEqualTo(202);
        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 1);

        // The crash: what the route stores for relay-2, without the publish that follows it. One
        // stored two minutes ago (its process is gone) and one just now (its ingest may still be
        // waiting for Kafka: the relay leaves it alone).
        TenantContext.runAs(tenant, () -> {
            storeUnpublished("relay-1", "relay-2", "2 minutes");
            storeUnpublished("relay-1", "relay-3", "0 seconds");
        });
        assertThat(published(tenant, "relay-2")).isFalse();

        assertThat(relay.relay()).isPositive(); // other tests' stranded events too
        assertThat(published(tenant, "relay-2")).isTrue();
        assertThat(published(tenant, "relay-3")).isFalse();
        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 2);

        // Relayed once only; and a second publication of it (the relay beside a redelivery, or
        // a crash before the mark) claims nothing more: a later event's claim comes after it.
        assertThat(relay.relay()).isZero();
        String stored = TenantContext.callAs(
                tenant, () -> db.sql("select event::text from ingest_events where event_id = 'relay-2'")
                        .query(String.class)
                        .single());
        triggers.publish(tenant + ":regular@visits.test", stored);
        assertThat(standardWebhook(url, secret, "msg_relay_4", IngestIT.visit("relay-4"))
                        .status())
                .isEqualTo(202);
        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 3);
        assertThat(setup.tenant
                        .admin()
                        .get("/v2/campaigns/claims?size=100")
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(3);
        assertThat(metric("pers_ingest_relayed_total", "connector=\"pers-webhook\""))
                .isGreaterThanOrEqualTo(1);
    }

    /** A copy of a stored event under another id, stored as the route stores it, not published. */
    private void storeUnpublished(String template, String eventId, String age) {
        db.sql("""
                        insert into ingest_events (tenant_id, source, event_id, connection_id, event, received_at)
                        select tenant_id, source, ?, connection_id, jsonb_set(event, '{id}', to_jsonb(?::text)),
                               now() - ?::interval
                          from ingest_events where event_id = ?""").params(eventId, eventId, age, template).update();
    }

    private boolean published(UUID tenant, String eventId) {
        return TenantContext.callAs(
                tenant, () -> db.sql("select published_at is not null from ingest_events where event_id = ?")
                        .param(eventId)
                        .query(Boolean.class)
                        .single());
    }
}
