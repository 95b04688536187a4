package io.pers.ingest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.pers.ingest.IngestIT.completedClaims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.pers.claim.CampaignSetup;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.tenant.TenantContext;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The polled Cloudbeds connector (routes/ingest-polled.yaml) against WireMock serving the shipped
 * getReservations samples: checked-out stays become claims through a trigger mapping, pages are
 * followed, the cursor is stored, a restart between two pages neither skips nor repeats a stay,
 * an API error moves nothing and is shown on the connection, and the credential never leaves.
 * The poller runs as configured for tests in ApiTest: a 200 ms tick, every 300 ms, pages of 2.
 */
class BookingPollerIT extends ApiTest {

    private static final Duration CLAIMED = Duration.ofSeconds(45);
    private static final String API = "/api/v1.2/getReservations";
    private static final DateTimeFormatter CLOUDBEDS_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final WireMockServer pms = new WireMockServer(options().dynamicPort());

    @Autowired
    JdbcClient db;

    @Autowired
    CamelContext camel;

    @BeforeAll
    static void startPms() {
        pms.start();
    }

    @AfterAll
    static void stopPms() {
        pms.stop();
    }

    /** Each test's connections, deactivated after it: the shared context polls every active one. */
    private final List<Runnable> opened = new ArrayList<>();

    @AfterEach
    void deactivateConnections() {
        opened.forEach(Runnable::run);
    }

    private record Cursor(OffsetDateTime watermark, OffsetDateTime windowFrom, Integer nextPage, String lastError) {}

    @Test
    void everyCheckedOutStayOnEveryPageIsClaimedOnceAndTheCursorMovesPastThem() throws IOException {
        CampaignSetup setup = nightsCampaign();
        String key = newKey();
        for (int page = 1; page <= 3; page++) {
            pms.stubFor(page(key, page).willReturn(okJson(sample(page))));
        }
        emptyBeyond(key);
        UUID connection = connect(setup, key);

        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 5);
        // One point per night, to the guest the reservation names (emails compared lower-cased).
        assertThat(balance(setup, "ana.silva@example.com")).isEqualTo(BigInteger.valueOf(3));
        assertThat(balance(setup, "carla.mendes@example.com")).isEqualTo(BigInteger.valueOf(6));

        List<LoggedRequest> first = requests(key).subList(0, 3);
        for (int i = 0; i < 3; i++) {
            LoggedRequest request = first.get(i);
            assertThat(request.queryParameter("pageNumber").firstValue()).isEqualTo(Integer.toString(i + 1));
            assertThat(request.queryParameter("pageSize").firstValue()).isEqualTo("2");
            assertThat(request.queryParameter("status").firstValue()).isEqualTo("checked_out");
            assertThat(request.queryParameter("propertyID").firstValue()).isEqualTo("200417");
            assertThat(request.queryParameter("modifiedFrom").firstValue())
                    .as("one window is paged with one filter")
                    .isEqualTo(first.get(0).queryParameter("modifiedFrom").firstValue());
            assertThat(request.queryParameter("modifiedTo").firstValue())
                    .isEqualTo(first.get(0).queryParameter("modifiedTo").firstValue());
        }
        // The window is closed and the cursor is past it; the next window overlaps its end, so the
        // same stays are read again (the API still answers them) and deduplicated.
        String firstWindowEnd = first.get(0).queryParameter("modifiedTo").firstValue();
        await().atMost(CLAIMED).until(() -> requests(key).stream()
                .anyMatch(r -> r.queryParameter("modifiedTo").firstValue().compareTo(firstWindowEnd) > 0));
        // The next window may be paging already (its own windowFrom set); the watermark is past the first.
        Cursor cursor = cursor(setup, connection);
        assertThat(CLOUDBEDS_TIME.format(cursor.watermark())).isGreaterThanOrEqualTo(firstWindowEnd);
        LoggedRequest next = requests(key).stream()
                .filter(r -> r.queryParameter("modifiedTo").firstValue().compareTo(firstWindowEnd) > 0)
                .findFirst()
                .orElseThrow();
        assertThat(next.queryParameter("modifiedFrom").firstValue()).isLessThan(firstWindowEnd);
        await().atMost(CLAIMED).until(() -> requests(key).size() >= 9);
        assertThat(completedClaims(setup)).isEqualTo(5);
        assertThat(IngestIT.storedEvents(db, setup.tenant.id(), "cloudbeds")).isEqualTo(5);
    }

    @Test
    void aRestartBetweenTwoPagesResumesTheStoredWindowWithNoGapAndNoDuplicate() throws Exception {
        CampaignSetup setup = nightsCampaign();
        String key = newKey();
        pms.stubFor(page(key, 1).atPriority(2).willReturn(okJson(sample(1))));
        // The connection drops on page 2, as it would if PERS went down while reading it.
        StubMapping dropped = pms.stubFor(
                page(key, 2).atPriority(2).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        emptyBeyond(key);
        UUID connection = connect(setup, key);

        await().atMost(CLAIMED).until(() -> cursor(setup, connection).lastError() != null);
        camel.getRouteController().stopRoute("poll-cloudbeds-timer");
        Cursor stopped = cursor(setup, connection);
        String window = CLOUDBEDS_TIME.format(stopped.windowFrom());
        int before = requests(key).size();
        try {
            assertThat(stopped.nextPage())
                    .as("page 1 is stored, page 2 is next")
                    .isEqualTo(2);
            await().atMost(CLAIMED).until(() -> completedClaims(setup) == 2);

            // New stays appear while PERS is down: one in the open window, two after it (and one
            // of the window's stays is read again at the overlap).
            pms.removeStub(dropped);
            pms.stubFor(page(key, 2)
                    .atPriority(1)
                    .withQueryParam("modifiedFrom", equalTo(window))
                    .willReturn(okJson(sample(2))));
            pms.stubFor(page(key, 3)
                    .atPriority(1)
                    .withQueryParam("modifiedFrom", equalTo(window))
                    .willReturn(okJson(reservations(item(3, 0), stay("5539841047001", "filipa.nunes@example.com")))));
            pms.stubFor(page(key, 1)
                    .atPriority(1)
                    .withQueryParam("modifiedFrom", notContaining(window))
                    .willReturn(okJson(reservations(
                            stay("5539841047002", "gil.lopes@example.com"),
                            stay("5539841047003", "helena.reis@example.com")))));
            pms.stubFor(page(key, 2)
                    .atPriority(1)
                    .withQueryParam("modifiedFrom", notContaining(window))
                    .willReturn(okJson(reservations(item(3, 0)))));
        } finally {
            camel.getRouteController().startRoute("poll-cloudbeds-timer");
        }

        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 8);
        LoggedRequest resumed = requests(key).get(before);
        assertThat(resumed.queryParameter("pageNumber").firstValue()).isEqualTo("2");
        assertThat(resumed.queryParameter("modifiedFrom").firstValue())
                .as("the restart resumes the stored window at its next page")
                .isEqualTo(window);
        await().atMost(CLAIMED).until(() -> cursor(setup, connection).windowFrom() == null);
        assertThat(completedClaims(setup)).isEqualTo(8);
        assertThat(claims(setup)).as("every stay once: 5 shipped, 3 new").isEqualTo(8);
        assertThat(IngestIT.storedEvents(db, setup.tenant.id(), "cloudbeds")).isEqualTo(8);
    }

    @Test
    void anApiErrorMovesNothingIsShownOnTheConnectionAndTheNextPollRecovers() throws IOException {
        CampaignSetup setup = nightsCampaign();
        String key = newKey();
        StubMapping down = pms.stubFor(page(key, 1)
                .atPriority(1)
                .willReturn(aResponse().withStatus(500).withBody("upstream error")));
        emptyBeyond(key);
        UUID connection = connect(setup, key);
        Cursor before = cursor(setup, connection);

        await().atMost(CLAIMED).until(() -> requests(key).size() >= 2);
        Cursor failing = cursor(setup, connection);
        assertThat(failing.watermark()).isEqualTo(before.watermark());
        assertThat(failing.windowFrom()).isNull();
        JsonNode shown = shown(setup, connection).path("polling");
        assertThat(shown.path("lastError").asString()).isEqualTo("the API answered HTTP 500");
        assertThat(shown.path("status").asString()).isEqualTo("OK");
        assertThat(IngestIT.storedEvents(db, setup.tenant.id(), "cloudbeds")).isZero();

        pms.removeStub(down);
        pms.stubFor(page(key, 1).atPriority(1).willReturn(okJson(sample(3))));
        await().atMost(CLAIMED).until(() -> completedClaims(setup) == 1);
        await().atMost(CLAIMED).until(() -> !shown(setup, connection)
                .path("polling")
                .path("lastSuccessAt")
                .isNull());
        assertThat(balance(setup, "eva.rocha@example.com")).isEqualTo(BigInteger.valueOf(4));
        assertThat(cursor(setup, connection).watermark()).isAfter(before.watermark());
    }

    @Test
    void aRefusedCredentialMarksTheConnectionFailingAndTheCredentialIsNeverShownOrStoredInClear() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        String key = newKey();
        pms.stubFor(page(key, 1).willReturn(aResponse().withStatus(401).withBody("{\"success\":false}")));
        Api.Response created = setup.tenant.admin().post("/v2/connectors", connection(key));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.raw().body()).doesNotContain(key);
        UUID connection =
                UUID.fromString(created.json().path("connection").path("id").asString());

        await().atMost(CLAIMED).until(() -> shown(setup, connection)
                .path("polling")
                .path("status")
                .asString()
                .equals("FAILING"));
        assertThat(shown(setup, connection).path("polling").path("lastError").asString())
                .isEqualTo("the API refused the credential (HTTP 401)");
        assertThat(setup.tenant.admin().get("/v2/connectors").raw().body()).doesNotContain(key);
        byte[] stored = TenantContext.callAs(
                setup.tenant.id(), () -> db.sql("select credential_enc from ingest_polling where connection_id = ?")
                        .param(connection)
                        .query(byte[].class)
                        .single());
        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(key);
        assertThat(requests(key))
                .as("a failing connection waits its failing interval")
                .hasSize(1);
    }

    @Test
    void aDeactivatedConnectionIsNoLongerPolledUntilReactivated() throws IOException {
        CampaignSetup setup = new CampaignSetup(newTenant());
        String key = newKey();
        emptyBeyond(key);
        UUID connection = connect(setup, key);
        await().atMost(CLAIMED).until(() -> !requests(key).isEmpty());

        Api.Response off = setup.tenant.admin().patch("/v2/connectors/" + connection, Map.of("active", false));
        assertThat(off.status()).as(off.toString()).isEqualTo(200);
        assertThat(off.json().path("active").asBoolean()).isFalse();
        int polledBefore = requests(key).size();
        // At most the poll already under way when the PATCH landed; none for 2 s (about 7 ticks) after.
        await().during(Duration.ofSeconds(2))
                .atMost(CLAIMED)
                .until(() -> requests(key).size() <= polledBefore + 1);
        assertThat(requests(key)).as("no poll after the deactivation took").hasSizeLessThanOrEqualTo(polledBefore + 1);

        Api.Response on = setup.tenant.admin().patch("/v2/connectors/" + connection, Map.of("active", true));
        assertThat(on.json().path("active").asBoolean()).isTrue();
        int polledOff = requests(key).size();
        await().atMost(CLAIMED).until(() -> requests(key).size() > polledOff);

        Api.Response unknown =
                setup.tenant.admin().patch("/v2/connectors/" + UUID.randomUUID(), Map.of("active", false));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aPolledConnectionTakesAnApiNotASigningSecretAndBadInputStoresNothing() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        Map<String, Object> noKey = new HashMap<>(connection("k"));
        noKey.remove("credential");
        Map<String, Object> withSecret = new HashMap<>(connection(newKey()));
        withSecret.put("signingSecret", "0123456789abcdef0123");
        Map<String, Object> optionsInUrl = new HashMap<>(connection(newKey()));
        optionsInUrl.put("baseUrl", pms.baseUrl() + "/api?bridgeEndpoint=true");
        Map<String, Object> shopifyWithApi = new HashMap<>(connection(newKey()));
        shopifyWithApi.put("connector", "shopify");

        for (Map<String, Object> bad : List.of(noKey, withSecret, optionsInUrl, shopifyWithApi)) {
            Api.Response refused = setup.tenant.admin().post("/v2/connectors", bad);
            assertThat(refused.status()).as(bad + ": " + refused).isEqualTo(400);
            assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
        }
        assertThat(setup.tenant.admin().get("/v2/connectors").json()).isEmpty();
        Api.Response delivered = api().post("/v2/ingest/cloudbeds/" + UUID.randomUUID(), Map.of());
        assertThat(delivered.status())
                .as("nothing is delivered to a polled connector")
                .isEqualTo(404);
    }

    // --- helpers

    private CampaignSetup nightsCampaign() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = IngestIT.systemCampaign(setup);
        IngestIT.mapping(
                setup, "cloudbeds", "com.cloudbeds.stay.checked-out", null, "int(event.data.nights)", campaign);
        return setup;
    }

    private static String newKey() {
        return "cbat_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static Map<String, Object> connection(String key) {
        return Map.of(
                "connector",
                "cloudbeds",
                "description",
                "Hotel Lisboa",
                "baseUrl",
                pms.baseUrl() + "/api/v1.2",
                "accountId",
                "200417",
                "credential",
                key);
    }

    private UUID connect(CampaignSetup setup, String key) {
        Api.Response created = setup.tenant.admin().post("/v2/connectors", connection(key));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID id = UUID.fromString(created.json().path("connection").path("id").asString());
        opened.add(() -> setup.tenant.admin().patch("/v2/connectors/" + id, Map.of("active", false)));
        return id;
    }

    private static MappingBuilder page(String key, int number) {
        return get(urlPathEqualTo(API))
                .withHeader("Authorization", equalTo("Bearer " + key))
                .withQueryParam("pageNumber", equalTo(Integer.toString(number)));
    }

    /** Past the stubbed pages, the API answers an empty page. */
    private static void emptyBeyond(String key) {
        pms.stubFor(get(urlPathEqualTo(API))
                .atPriority(10)
                .withHeader("Authorization", equalTo("Bearer " + key))
                .willReturn(okJson("{\"success\":true,\"data\":[],\"count\":0,\"total\":0}")));
    }

    private static List<LoggedRequest> requests(String key) {
        return pms.findAll(getRequestedFor(urlPathEqualTo(API)).withHeader("Authorization", equalTo("Bearer " + key)));
    }

    private static String sample(int page) throws IOException {
        return Files.readString(Path.of("connectors/cloudbeds/samples/getReservations-page-" + page + ".json"));
    }

    private static JsonNode item(int page, int index) throws IOException {
        return Api.JSON.readTree(sample(page)).path("data").get(index);
    }

    /** A stay like the first shipped one, for another reservation and guest. */
    private static JsonNode stay(String reservationId, String email) throws IOException {
        ObjectNode stay = (ObjectNode) item(1, 0);
        stay.put("reservationID", reservationId);
        ObjectNode guest = (ObjectNode) stay.path("guestList").get("71230591");
        guest.put("guestEmail", email);
        return stay;
    }

    private static String reservations(JsonNode... stays) {
        ObjectNode page = Api.JSON.createObjectNode();
        ArrayNode data = page.putArray("data");
        for (JsonNode stay : stays) {
            data.add(stay);
        }
        page.put("success", true).put("count", stays.length).put("total", stays.length);
        return page.toString();
    }

    private Cursor cursor(CampaignSetup setup, UUID connection) {
        return TenantContext.callAs(setup.tenant.id(), () -> db.sql(
                        "select watermark, window_from, next_page, last_error from ingest_polling"
                                + " where connection_id = ?")
                .param(connection)
                .query((rs, n) -> new Cursor(
                        rs.getObject(1, OffsetDateTime.class),
                        rs.getObject(2, OffsetDateTime.class),
                        (Integer) rs.getObject(3),
                        rs.getString(4)))
                .single());
    }

    private static JsonNode shown(CampaignSetup setup, UUID connection) {
        for (JsonNode shown : setup.tenant.admin().get("/v2/connectors").json()) {
            if (shown.path("id").asString().equals(connection.toString())) {
                return shown;
            }
        }
        throw new AssertionError("connection " + connection + " is not listed");
    }

    private static long claims(CampaignSetup setup) {
        return setup.tenant
                .admin()
                .get("/v2/campaigns/claims?size=100")
                .json()
                .path("total")
                .asLong();
    }

    private static BigInteger balance(CampaignSetup setup, String email) {
        UUID user = UUID.fromString(setup.tenant
                .admin()
                .get("/v2/users?email=" + email)
                .json()
                .path("items")
                .get(0)
                .path("id")
                .asString());
        return setup.tenant.balance(user, setup.token);
    }
}
