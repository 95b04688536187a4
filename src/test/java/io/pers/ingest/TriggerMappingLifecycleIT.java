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
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A trigger mapping's life through the API, on the embedded stack: read one by one, changed (each
 * change a version, the next event earning by it and its claim naming it), switched off and on,
 * deleted; every change checked as a new mapping is; simulate running a draft over a sample and a
 * connection's last events; another tenant seeing none of it.
 */
class TriggerMappingLifecycleIT extends ApiTest {

    private static final Duration CLAIMED = Duration.ofSeconds(30);
    private static final String VISIT = "com.example.test.visit";
    private static final String SUBJECT = "regular@visits.test";

    @Test
    void anEditIsTheNextVersionTheNextEventEarnsByItAndItsClaimNamesIt() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = systemCampaign(setup);
        Connection door = connect(setup);
        UUID mapping = mapping(setup, "pers-webhook", VISIT, null, "1", campaign);

        door.send("visit-1", "main");
        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 1);
        Api.Response edited = admin(setup).patch(path(mapping), Map.of("multiplier", "5"));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.json().path("version").asInt()).isEqualTo(2);
        assertThat(edited.text("multiplier")).isEqualTo("5");
        assertThat(edited.text("eventType")).as("left out: as it was").isEqualTo(VISIT);
        door.send("visit-2", "main");
        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 2);

        Map<Integer, JsonNode> byVersion = new HashMap<>();
        for (JsonNode claim :
                admin(setup).get("/v2/campaigns/claims?size=100").json().path("items")) {
            assertThat(claim.path("mappingId").asString()).isEqualTo(mapping.toString());
            byVersion.put(claim.path("mappingVersion").asInt(), claim);
        }
        assertThat(byVersion.keySet()).containsExactlyInAnyOrder(1, 2);
        assertThat(byVersion.get(1).path("multiplier").asInt()).isEqualTo(1);
        assertThat(byVersion.get(2).path("multiplier").asInt()).isEqualTo(5);
        JsonNode claim = admin(setup)
                .get("/v2/campaigns/claims/" + byVersion.get(2).path("id").asString())
                .json();
        assertThat(claim.path("mappingVersion").asInt())
                .as("the claim itself says so")
                .isEqualTo(2);
        assertThat(setup.tenant.balance(user(setup), setup.token)).isEqualTo(BigInteger.valueOf(6));

        // A change that changes nothing makes no version.
        assertThat(admin(setup)
                        .patch(path(mapping), Map.of("multiplier", "5"))
                        .json()
                        .path("version")
                        .asInt())
                .isEqualTo(2);
        JsonNode live = admin(setup).get(path(mapping)).json();
        assertThat(live.path("version").asInt()).isEqualTo(2);
        assertThat(live.path("multiplier").asString()).isEqualTo("5");
        JsonNode versions = admin(setup).get(path(mapping) + "/versions").json();
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).path("version").asInt()).isEqualTo(2);
        assertThat(versions.get(0).path("multiplier").asString()).isEqualTo("5");
        assertThat(versions.get(1).path("version").asInt()).isEqualTo(1);
        assertThat(versions.get(1).path("multiplier").asString()).isEqualTo("1");
        for (JsonNode version : versions) {
            assertThat(version.path("createdBy").asString()).startsWith("ADMIN:");
            assertThat(version.path("campaignId").asString()).isEqualTo(campaign.toString());
        }
    }

    @Test
    void aChangeIsCheckedAsANewMappingIsAndARefusedOneStoresNothing() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = systemCampaign(setup);
        UUID mapping = mapping(setup, "pers-webhook", VISIT, null, "1", campaign);

        assertRefused(setup, mapping, Map.of("condition", "event.data.door =="), 400, "INVALID_EXPRESSION");
        assertRefused(setup, mapping, Map.of("multiplier", "'ten'"), 400, "INVALID_EXPRESSION");
        assertRefused(setup, mapping, Map.of("amount", "event.data.("), 400, "INVALID_EXPRESSION");
        assertRefused(setup, mapping, Map.of("campaignId", UUID.randomUUID().toString()), 404, "NOT_FOUND");
        assertRefused(setup, mapping, Map.of("source", "shopfiy"), 400, "VALIDATION_FAILED");
        assertRefused(setup, mapping, Map.of("source", " "), 400, "VALIDATION_FAILED");
        assertRefused(setup, mapping, Map.of("action", "REVERSE"), 400, "VALIDATION_FAILED");
        assertRefused(setup, mapping, Map.of("action", "SOMETIMES"), 400, "VALIDATION_FAILED");
        assertRefused(setup, mapping, Map.of("multiplier", "x".repeat(2001)), 400, "VALIDATION_FAILED");
        assertRefused(setup, mapping, Map.of("colour", "red"), 400, "UNKNOWN_FIELD");

        JsonNode live = admin(setup).get(path(mapping)).json();
        assertThat(live.path("version").asInt()).as("nothing stored").isEqualTo(1);
        assertThat(live.path("multiplier").asString()).isEqualTo("1");
        assertThat(admin(setup).get(path(mapping) + "/versions").json()).hasSize(1);
        Api.Response unknown = admin(setup).patch(path(UUID.randomUUID()), Map.of("multiplier", "2"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aSwitchedOffMappingStopsFiringAndADeletedOneIsHistoryThatNeverFires() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = systemCampaign(setup);
        Connection door = connect(setup);
        UUID mainDoor = mapping(setup, "pers-webhook", VISIT, "event.data.door == 'main'", "1", campaign);
        UUID sideDoor = mapping(setup, "pers-webhook", VISIT, "event.data.door == 'side'", "2", campaign);

        Api.Response off = admin(setup).patch(path(mainDoor), Map.of("active", false));
        assertThat(off.status()).as(off.toString()).isEqualTo(200);
        assertThat(off.json().path("active").asBoolean()).isFalse();
        assertThat(off.json().path("version").asInt()).isEqualTo(2);
        // One user's events are matched in order: once the side door's claim is made, the main
        // door's visit before it has been judged, and the switched-off mapping claimed nothing.
        door.send("visit-off", "main");
        door.send("visit-side-1", "side");
        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 1);
        assertThat(claimsByMapping(setup)).containsExactly(sideDoor + "@1");
        JsonNode unmatched = simulate(setup, Map.of("connectionId", door.id.toString(), "last", 2));
        assertThat(unmatched.path("events").get(1).path("eventId").asString()).isEqualTo("visit-off");
        assertThat(unmatched.path("events").get(1).path("fires").asBoolean())
                .as("visibly unmatched: %s", unmatched)
                .isFalse();

        assertThat(admin(setup)
                        .patch(path(mainDoor), Map.of("active", true))
                        .json()
                        .path("version")
                        .asInt())
                .isEqualTo(3);
        door.send("visit-on", "main");
        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 2);
        assertThat(claimsByMapping(setup)).containsExactlyInAnyOrder(sideDoor + "@1", mainDoor + "@3");

        Api.Response deleted = admin(setup).delete(path(mainDoor));
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        door.send("visit-deleted", "main");
        door.send("visit-side-2", "side");
        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 3);
        assertThat(claimsByMapping(setup)).containsExactlyInAnyOrder(sideDoor + "@1", mainDoor + "@3", sideDoor + "@1");

        // Deleted: out of the list, never changed again, still readable for the claims it decided.
        JsonNode archived = admin(setup).get(path(mainDoor)).json();
        assertThat(archived.path("deletedAt").isNull()).isFalse();
        assertThat(archived.path("active").asBoolean()).isFalse();
        assertThat(archived.path("version").asInt()).isEqualTo(4);
        JsonNode versions = admin(setup).get(path(mainDoor) + "/versions").json();
        assertThat(versions).hasSize(4);
        assertThat(versions.get(0).path("deleted").asBoolean()).isTrue();
        assertThat(versions.get(1).path("active").asBoolean()).isTrue();
        assertThat(versions.get(2).path("active").asBoolean()).isFalse();
        List<String> listed = new ArrayList<>();
        admin(setup)
                .get("/v2/trigger-mappings")
                .json()
                .forEach(m -> listed.add(m.path("id").asString()));
        assertThat(listed).containsExactly(sideDoor.toString());
        assertThat(admin(setup).patch(path(mainDoor), Map.of("active", true)).status())
                .isEqualTo(404);
        assertThat(admin(setup).delete(path(mainDoor)).status()).isEqualTo(404);
    }

    @Test
    void simulateRunsADraftOverASampleAndAConnectionsLastEventsStoringNothing() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = systemCampaign(setup);
        Connection door = connect(setup);
        door.send("visit-a", "main");
        door.send("visit-b", "side");
        door.send("visit-c", "main");
        Map<String, Object> draft = Map.of(
                "source", "pers-webhook",
                "eventType", VISIT,
                "condition", "event.data.door == 'main'",
                "multiplier", "3",
                "campaignId", campaign.toString());

        JsonNode live = simulate(setup, Map.of("connectionId", door.id.toString(), "last", 2));
        assertThat(live.path("events")).hasSize(2);
        for (JsonNode event : live.path("events")) {
            assertThat(event.path("fires").asBoolean()).isFalse();
            assertThat(event.path("reason").asString()).startsWith("no active mapping is about pers-webhook");
        }

        JsonNode drafted = simulate(setup, Map.of("connectionId", door.id.toString(), "last", 2, "mapping", draft));
        JsonNode events = drafted.path("events");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).path("eventId").asString()).as("newest first").isEqualTo("visit-c");
        assertThat(events.get(0).path("receivedAt").isNull()).isFalse();
        assertThat(events.get(0).path("fires").asBoolean()).isTrue();
        JsonNode verdict = events.get(0).path("mappings").get(0);
        assertThat(verdict.path("multiplier").asLong()).isEqualTo(3);
        assertThat(verdict.path("mappingId").isNull()).as("a draft has no id").isTrue();
        assertThat(events.get(1).path("eventId").asString()).isEqualTo("visit-b");
        assertThat(events.get(1).path("mappings").get(0).path("reason").asString())
                .isEqualTo("condition does not hold");
        assertThat(simulate(setup, Map.of("connectionId", door.id.toString(), "mapping", draft))
                        .path("events"))
                .as("10 unless said: all three")
                .hasSize(3);

        JsonNode sample = simulate(
                setup,
                Map.of(
                        "sample",
                        "shopify/orders-paid-big-spender",
                        "mapping",
                        Map.of(
                                "source", "shopify",
                                "eventType", "com.shopify.order.paid",
                                "multiplier", "int(double(event.data.total_price))",
                                "campaignId", campaign.toString())));
        assertThat(sample.path("events")).hasSize(1);
        assertThat(sample.path("events").get(0).path("subject").asString()).isEqualTo("marta.costa@example.com");
        assertThat(sample.path("events")
                        .get(0)
                        .path("mappings")
                        .get(0)
                        .path("multiplier")
                        .asLong())
                .isEqualTo(250);

        assertSimulateRefused(setup, Map.of("sample", "shopify/no-such-sample"), 404, "NOT_FOUND");
        assertSimulateRefused(setup, Map.of("sample", "shopify/../../pom"), 404, "NOT_FOUND");
        assertSimulateRefused(setup, Map.of("connectionId", UUID.randomUUID().toString()), 404, "NOT_FOUND");
        assertSimulateRefused(setup, Map.of(), 400, "VALIDATION_FAILED");
        assertSimulateRefused(
                setup,
                Map.of("sample", "shopify/orders-paid-big-spender", "connectionId", door.id.toString()),
                400,
                "VALIDATION_FAILED");
        assertSimulateRefused(setup, Map.of("connectionId", door.id.toString(), "last", 101), 400, "VALIDATION_FAILED");
        Map<String, Object> badDraft = new HashMap<>(draft);
        badDraft.put("multiplier", "'three'");
        assertSimulateRefused(
                setup, Map.of("connectionId", door.id.toString(), "mapping", badDraft), 400, "INVALID_EXPRESSION");

        assertThat(admin(setup).get("/v2/trigger-mappings").json())
                .as("a draft is not saved")
                .isEmpty();
        assertThat(admin(setup).get("/v2/campaigns/claims").json().path("total").asLong())
                .isZero();
        assertThat(admin(setup)
                        .get("/v2/users?email=marta.costa@example.com")
                        .json()
                        .path("total")
                        .asLong())
                .isZero();
    }

    @Test
    void anotherTenantNeitherReadsNorChangesAMappingNorSimulatesOverItsConnection() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID mapping = mapping(setup, "pers-webhook", VISIT, null, "1", systemCampaign(setup));
        Connection door = connect(setup);
        Api other = newTenant().admin();

        assertNotFound(other.get(path(mapping)));
        assertNotFound(other.get(path(mapping) + "/versions"));
        assertNotFound(other.patch(path(mapping), Map.of("active", false)));
        assertNotFound(other.delete(path(mapping)));
        assertNotFound(other.post("/v2/trigger-mappings/simulate", Map.of("connectionId", door.id.toString())));
        assertThat(other.get("/v2/trigger-mappings").json()).isEmpty();

        JsonNode live = admin(setup).get(path(mapping)).json();
        assertThat(live.path("version").asInt()).isEqualTo(1);
        assertThat(live.path("active").asBoolean()).isTrue();
    }

    // --- helpers

    /** A pers-webhook connection of the tenant, and visits sent through it as a partner sends them. */
    private record Connection(UUID id, String url, String secret) {

        void send(String eventId, String door) {
            byte[] body = Api.JSON.writeValueAsBytes(Map.of(
                    "specversion",
                    "1.0",
                    "id",
                    eventId,
                    "source",
                    "https://door.example",
                    "type",
                    VISIT,
                    "subject",
                    SUBJECT,
                    "data",
                    Map.of("door", door)));
            Api.Response sent = standardWebhook(url, secret, "msg_" + eventId, body);
            assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
        }
    }

    private static Connection connect(CampaignSetup setup) {
        Api.Response created = admin(setup).post("/v2/connectors", Map.of("connector", "pers-webhook"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return new Connection(
                UUID.fromString(created.json().path("connection").path("id").asString()),
                created.text("ingestUrl"),
                created.text("signingSecret"));
    }

    private static Api admin(CampaignSetup setup) {
        return setup.tenant.admin();
    }

    private static String path(UUID mapping) {
        return "/v2/trigger-mappings/" + mapping;
    }

    private static UUID user(CampaignSetup setup) {
        return UUID.fromString(admin(setup)
                .get("/v2/users?email=" + SUBJECT)
                .json()
                .path("items")
                .get(0)
                .path("id")
                .asString());
    }

    /** {@code <mappingId>@<version>} of every claim. */
    private static List<String> claimsByMapping(CampaignSetup setup) {
        List<String> made = new ArrayList<>();
        admin(setup)
                .get("/v2/campaigns/claims?size=100")
                .json()
                .path("items")
                .forEach(c -> made.add(c.path("mappingId").asString() + "@"
                        + c.path("mappingVersion").asInt()));
        return made;
    }

    private static JsonNode simulate(CampaignSetup setup, Map<String, Object> body) {
        Api.Response simulated = admin(setup).post("/v2/trigger-mappings/simulate", body);
        assertThat(simulated.status()).as(simulated.toString()).isEqualTo(200);
        return simulated.json();
    }

    private static void assertSimulateRefused(CampaignSetup setup, Map<String, Object> body, int status, String code) {
        Api.Response refused = admin(setup).post("/v2/trigger-mappings/simulate", body);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(status);
        assertThat(refused.code()).isEqualTo(code);
    }

    private static void assertRefused(
            CampaignSetup setup, UUID mapping, Map<String, Object> change, int status, String code) {
        Api.Response refused = admin(setup).patch(path(mapping), change);
        assertThat(refused.status()).as(change + ": " + refused).isEqualTo(status);
        assertThat(refused.code()).as(change + ": " + refused).isEqualTo(code);
        assertThat(refused.raw().headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }

    private static void assertNotFound(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("NOT_FOUND");
    }
}
