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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Events read again: by the matcher after it died between starting a claim and committing the
 * offset, and by a backfill through mappings added after the events arrived.
 */
class TriggerReplayIT extends ApiTest {

    private static final Duration CLAIMED = Duration.ofSeconds(60);

    @Autowired
    CamelContext camel;

    @Test
    void aMatcherThatDiesBetweenTheClaimStartAndTheOffsetCommitStartsNoSecondClaim() throws Exception {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = systemCampaign(setup);
        Api.Response created = setup.tenant.admin().post("/v2/connectors", Map.of("connector", "pers-webhook"));
        mapping(setup, "pers-webhook", "com.example.test.crash", null, "1", campaign);
        String crashing = "crash-" + UUID.randomUUID();
        AtomicInteger reads = new AtomicInteger();
        // The matcher "dies" after its claim step, before the commit step, on the first reading of
        // this one event: the record stays uncommitted and its partition reads it again.
        AdviceWith.adviceWith(camel, "trigger-matcher", route -> route.weaveById("trigger-matcher-commit")
                .before()
                .process(exchange -> {
                    String body = exchange.getIn().getBody(String.class);
                    if (body.contains(crashing) && reads.incrementAndGet() == 1) {
                        throw new IllegalStateException("the matcher died before committing");
                    }
                }));

        Api.Response delivered = standardWebhook(
                created.text("ingestUrl"), created.text("signingSecret"), "msg_" + crashing, event(crashing));
        assertThat(delivered.status()).as(delivered.toString()).isEqualTo(202);

        await().atMost(CLAIMED).until(() -> reads.get() >= 2 && completedClaims(setup) == 1);
        assertThat(reads.get())
                .as("read again after the failure, then committed")
                .isEqualTo(2);
        assertThat(claims(setup).path("total").asLong()).isEqualTo(1);
        assertThat(setup.tenant.balance(user(setup, "crash@replay.test"), setup.token))
                .isEqualTo(java.math.BigInteger.ONE);
    }

    @Test
    void aBackfillReportsWhatNewMappingsWouldStartAppliesItOnceAndAgainNothing() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = systemCampaign(setup);
        Api.Response created = setup.tenant.admin().post("/v2/connectors", Map.of("connector", "pers-webhook"));
        OffsetDateTime from = OffsetDateTime.now().minusMinutes(1);
        for (int i = 0; i < 3; i++) {
            String id = "visit-" + i + "-" + UUID.randomUUID();
            assertThat(standardWebhook(created.text("ingestUrl"), created.text("signingSecret"), "msg_" + id, event(id))
                            .status())
                    .isEqualTo(202);
        }
        OffsetDateTime to = OffsetDateTime.now().plusMinutes(1);
        assertThat(claims(setup).path("total").asLong()).as("no mapping yet").isZero();

        UUID late = mapping(setup, "pers-webhook", "com.example.test.crash", null, "2", campaign);
        JsonNode dryRun = backfill(setup, from, to, false);
        assertThat(dryRun.path("events").asInt()).isEqualTo(3);
        assertThat(dryRun.path("changeCount").asInt()).isEqualTo(3);
        assertThat(dryRun.path("unchanged").asInt()).isZero();
        assertThat(dryRun.path("changes").get(0).path("mappingId").asString()).isEqualTo(late.toString());
        assertThat(dryRun.path("changes").get(0).path("multiplier").asLong()).isEqualTo(2);
        assertThat(claims(setup).path("total").asLong())
                .as("a dry run starts nothing")
                .isZero();

        JsonNode applied = backfill(setup, from, to, true);
        assertThat(applied.path("applied").asBoolean()).isTrue();
        assertThat(applied.path("changeCount").asInt()).isEqualTo(3);
        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 3);

        JsonNode again = backfill(setup, from, to, true);
        assertThat(again.path("changeCount").asInt()).isZero();
        assertThat(again.path("unchanged").asInt()).isEqualTo(3);
        assertThat(claims(setup).path("total").asLong()).isEqualTo(3);
        assertThat(setup.tenant.balance(user(setup, "crash@replay.test"), setup.token))
                .isEqualTo(java.math.BigInteger.valueOf(6));

        Api.Response backwards = setup.tenant
                .admin()
                .post("/v2/trigger-mappings/backfill", Map.of("from", to.toString(), "to", from.toString()));
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.code()).isEqualTo("VALIDATION_FAILED");
        Api.Response missing = setup.tenant.admin().post("/v2/trigger-mappings/backfill", Map.of("apply", true));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(claims(setup).path("total").asLong()).isEqualTo(3);
    }

    private static JsonNode backfill(CampaignSetup setup, OffsetDateTime from, OffsetDateTime to, boolean apply) {
        Api.Response response = setup.tenant
                .admin()
                .post(
                        "/v2/trigger-mappings/backfill",
                        Map.of("from", from.toString(), "to", to.toString(), "apply", apply));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static byte[] event(String id) {
        return Api.JSON.writeValueAsBytes(Map.of(
                "specversion",
                "1.0",
                "id",
                id,
                "source",
                "https://door.example",
                "type",
                "com.example.test.crash",
                "subject",
                "crash@replay.test",
                "data",
                Map.of("door", "main")));
    }

    private static JsonNode claims(CampaignSetup setup) {
        return setup.tenant.admin().get("/v2/campaigns/claims?size=100").json();
    }

    private static UUID user(CampaignSetup setup, String email) {
        return UUID.fromString(setup.tenant
                .admin()
                .get("/v2/users?email=" + email)
                .json()
                .path("items")
                .get(0)
                .path("id")
                .asString());
    }
}
