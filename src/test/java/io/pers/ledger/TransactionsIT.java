package io.pers.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.IdentityProvider;
import io.pers.support.TenantFixture;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Reading the journal back: GET /v2/transactions (admins, systems) and /v2/transactions/me
 * (the signed-in user) with every filter, paging and sorting, over one small known history.
 */
class TransactionsIT extends ApiTest {

    private TenantFixture tenant;
    private Api alice;
    private UUID aliceId;
    private UUID bobId;
    private UUID points;
    private UUID miles;
    /** The history in the order it was written; the names say what each entry is. */
    private JsonNode mintAlice100;

    private JsonNode mintBob50;
    private JsonNode mintMilesAlice30;
    private JsonNode aliceToBob10;
    private JsonNode bobToAlice5;
    private JsonNode aliceToCarol20;
    private JsonNode burnBob7;
    private JsonNode reversalOfAliceToBob;

    @BeforeEach
    void history() {
        tenant = newTenant();
        tenant.admin().patch("/v2/tenants/me", IdentityProvider.tenantSettings());
        alice = tenant.anonymous()
                .bearer(token(
                        tenant.anonymous(),
                        Map.of(
                                "grantType",
                                "EXTERNAL_JWT",
                                "idToken",
                                IdentityProvider.idToken("sub-alice", "alice@tx.test"))));
        aliceId = UUID.fromString(alice.get("/v2/users/me").text("id"));
        bobId = tenant.createUser("bob@tx.test");
        UUID carolId = tenant.createUser("carol@tx.test");
        points = tenant.createToken("PTS");
        miles = tenant.createToken("MLS");

        mintAlice100 = created(tenant.admin(), mint(points, aliceId, 100));
        mintBob50 = created(tenant.admin(), mint(points, bobId, 50));
        mintMilesAlice30 = created(tenant.admin(), mint(miles, aliceId, 30));
        aliceToBob10 = created(tenant.admin(), transfer(points, aliceId, bobId, 10));
        bobToAlice5 = created(tenant.admin(), transfer(points, bobId, aliceId, 5));
        aliceToCarol20 = created(alice, transfer(points, null, carolId, 20));
        burnBob7 = created(
                tenant.admin(),
                Map.of(
                        "type",
                        "BURN",
                        "tokenId",
                        points.toString(),
                        "amount",
                        "7",
                        "sender",
                        Map.of("type", "USER", "id", bobId.toString())));
        reversalOfAliceToBob = created(
                tenant.admin(), "/v2/transactions/" + id(aliceToBob10) + "/reversal", Map.of("memo", "wrong guest"));
    }

    @Test
    void aReversedEntryIsReportedReversedAndItsReversalCompleted() {
        Api.Response original = tenant.admin().get("/v2/transactions/" + id(aliceToBob10));
        assertThat(original.text("status")).isEqualTo("REVERSED");
        assertThat(tenant.admin()
                        .get("/v2/transactions/" + id(reversalOfAliceToBob))
                        .text("status"))
                .isEqualTo("COMPLETED");
        assertThat(reversalOfAliceToBob.path("reversesId").asString()).isEqualTo(id(aliceToBob10));
        assertThat(alice.get("/v2/transactions/" + id(aliceToBob10)).text("status"))
                .isEqualTo("REVERSED");
    }

    @Test
    void adminsFilterByTypeStatusTokenParticipantRoleAndDates() {
        assertThat(ids("")).hasSize(8);
        assertThat(ids("type=MINT")).containsExactlyInAnyOrder(id(mintAlice100), id(mintBob50), id(mintMilesAlice30));
        assertThat(ids("type=TRANSFER"))
                .containsExactlyInAnyOrder(id(aliceToBob10), id(bobToAlice5), id(aliceToCarol20));
        assertThat(ids("type=BURN")).containsExactly(id(burnBob7));
        assertThat(ids("type=REVERSAL")).containsExactly(id(reversalOfAliceToBob));

        assertThat(ids("status=REVERSED")).containsExactly(id(aliceToBob10));
        assertThat(ids("status=COMPLETED")).hasSize(7).doesNotContain(id(aliceToBob10));

        assertThat(ids("tokenId=" + miles)).containsExactly(id(mintMilesAlice30));
        assertThat(ids("tokenId=" + points)).hasSize(7);

        assertThat(ids("participantId=" + aliceId))
                .containsExactlyInAnyOrder(
                        id(mintAlice100),
                        id(mintMilesAlice30),
                        id(aliceToBob10),
                        id(bobToAlice5),
                        id(aliceToCarol20),
                        id(reversalOfAliceToBob));
        assertThat(ids("participantId=" + aliceId + "&role=SENDER"))
                .containsExactlyInAnyOrder(id(aliceToBob10), id(aliceToCarol20));
        assertThat(ids("participantId=" + aliceId + "&role=RECIPIENT"))
                .containsExactlyInAnyOrder(
                        id(mintAlice100), id(mintMilesAlice30), id(bobToAlice5), id(reversalOfAliceToBob));
        assertThat(ids("participantType=USER&participantId=" + bobId + "&role=SENDER"))
                .containsExactlyInAnyOrder(id(bobToAlice5), id(burnBob7), id(reversalOfAliceToBob));
        assertThat(ids("participantType=BUSINESS&participantId=" + bobId)).isEmpty();
        assertThat(ids("participantId=" + aliceId + "&role=SENDER&status=COMPLETED"))
                .containsExactly(id(aliceToCarol20));
        assertThat(ids("participantId=" + bobId + "&type=MINT&tokenId=" + points))
                .containsExactly(id(mintBob50));

        // from is inclusive, to exclusive: exactly the entries written in between.
        String window = "from=" + at(aliceToBob10) + "&to=" + at(aliceToCarol20);
        assertThat(ids(window)).containsExactlyInAnyOrder(id(aliceToBob10), id(bobToAlice5));
        assertThat(ids("from=" + at(burnBob7))).containsExactlyInAnyOrder(id(burnBob7), id(reversalOfAliceToBob));
        assertThat(ids("to=" + at(mintBob50))).containsExactly(id(mintAlice100));
        assertThat(ids(window + "&role=RECIPIENT&participantId=" + aliceId)).containsExactly(id(bobToAlice5));
    }

    @Test
    void adminsPageAndSort() {
        JsonNode first = list(tenant.admin(), "/v2/transactions?size=3&page=0&sort=createdAt,asc");
        assertThat(first.path("total").asLong()).isEqualTo(8);
        assertThat(first.path("page").asInt()).isZero();
        assertThat(first.path("size").asInt()).isEqualTo(3);
        assertThat(itemIds(first)).containsExactly(id(mintAlice100), id(mintBob50), id(mintMilesAlice30));
        JsonNode last = list(tenant.admin(), "/v2/transactions?size=3&page=2&sort=createdAt,asc");
        assertThat(last.path("page").asInt()).isEqualTo(2);
        assertThat(itemIds(last)).containsExactly(id(burnBob7), id(reversalOfAliceToBob));
        JsonNode beyond = list(tenant.admin(), "/v2/transactions?size=3&page=3");
        assertThat(beyond.path("items")).isEmpty();
        assertThat(beyond.path("total").asLong()).isEqualTo(8);

        assertThat(list(tenant.admin(), "/v2/transactions")
                        .path("items")
                        .get(0)
                        .path("id")
                        .asString())
                .as("newest first by default")
                .isEqualTo(id(reversalOfAliceToBob));
        assertThat(list(tenant.admin(), "/v2/transactions?sort=amount,desc")
                        .path("items")
                        .findValuesAsString("amount"))
                .containsExactly("100", "50", "30", "20", "10", "10", "7", "5");
        assertThat(list(tenant.admin(), "/v2/transactions?sort=amount,asc&size=2")
                        .path("items")
                        .findValuesAsString("amount"))
                .containsExactly("5", "7");
        assertThat(list(tenant.admin(), "/v2/transactions?sort=amount&status=COMPLETED&type=TRANSFER")
                        .path("items")
                        .findValuesAsString("amount"))
                .as("sort without a direction is ascending")
                .containsExactly("5", "20");

        assertProblem(tenant.admin().get("/v2/transactions?sort=memo"), 400);
        assertProblem(tenant.admin().get("/v2/transactions?status=PENDING"), 400);
        assertProblem(tenant.admin().get("/v2/transactions?role=OWNER"), 400);
        assertProblem(tenant.admin().get("/v2/transactions?from=yesterday"), 400);
        assertProblem(tenant.admin().get("/v2/transactions?size=0"), 400);
        assertProblem(tenant.admin().get("/v2/transactions?page=-1"), 400);
    }

    @Test
    void aUserSeesOnlyTheirOwnTransactionsWithTheSameFilters() {
        JsonNode mine = list(alice, "/v2/transactions/me?size=4&sort=createdAt,asc");
        assertThat(mine.path("total").asLong()).isEqualTo(6);
        assertThat(itemIds(mine))
                .containsExactly(id(mintAlice100), id(mintMilesAlice30), id(aliceToBob10), id(bobToAlice5));
        assertThat(itemIds(list(alice, "/v2/transactions/me?size=4&page=1&sort=createdAt,asc")))
                .containsExactly(id(aliceToCarol20), id(reversalOfAliceToBob));

        assertThat(myIds("role=SENDER")).containsExactlyInAnyOrder(id(aliceToBob10), id(aliceToCarol20));
        assertThat(myIds("role=RECIPIENT&tokenId=" + miles)).containsExactly(id(mintMilesAlice30));
        assertThat(myIds("status=REVERSED")).containsExactly(id(aliceToBob10));
        assertThat(myIds("type=MINT")).containsExactlyInAnyOrder(id(mintAlice100), id(mintMilesAlice30));
        assertThat(myIds("type=BURN")).isEmpty();
        assertThat(myIds("from=" + at(aliceToBob10) + "&to=" + at(aliceToCarol20)))
                .containsExactlyInAnyOrder(id(aliceToBob10), id(bobToAlice5));
        assertThat(list(alice, "/v2/transactions/me?sort=amount,desc")
                        .path("items")
                        .findValuesAsString("amount"))
                .containsExactly("100", "30", "20", "10", "10", "5");
        assertThat(myIds("participantId=" + bobId))
                .as("the participant of /me is always the caller")
                .hasSize(6);

        assertProblem(alice.get("/v2/transactions"), 403);
        assertProblem(alice.get("/v2/transactions/" + id(mintBob50)), 404);
        assertProblem(tenant.admin().get("/v2/transactions/me"), 403);
    }

    // ---------------------------------------------------------------------------------------

    private List<String> ids(String query) {
        return itemIds(list(tenant.admin(), "/v2/transactions?size=200&" + query));
    }

    private List<String> myIds(String query) {
        return itemIds(list(alice, "/v2/transactions/me?size=200&" + query));
    }

    /** The ids of a page's items (findValues would also collect sender.id and recipient.id). */
    private static List<String> itemIds(JsonNode page) {
        List<String> ids = new java.util.ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }

    private static JsonNode list(Api caller, String path) {
        Api.Response response = caller.get(path);
        assertThat(response.status()).as(path + " -> " + response).isEqualTo(200);
        JsonNode page = response.json();
        assertThat(page.path("items").size())
                .isLessThanOrEqualTo(page.path("size").asInt());
        return page;
    }

    private static JsonNode created(Api caller, Map<String, Object> body) {
        return created(caller, "/v2/transactions", body);
    }

    private static JsonNode created(Api caller, String path, Map<String, Object> body) {
        Api.Response response = caller.post(path, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    private static Map<String, Object> mint(UUID token, UUID user, long amount) {
        return Map.of(
                "type",
                "MINT",
                "tokenId",
                token.toString(),
                "amount",
                String.valueOf(amount),
                "recipient",
                Map.of("type", "USER", "id", user.toString()));
    }

    private static Map<String, Object> transfer(UUID token, UUID from, UUID to, long amount) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", "TRANSFER");
        body.put("tokenId", token.toString());
        body.put("amount", String.valueOf(amount));
        if (from != null) {
            body.put("sender", Map.of("type", "USER", "id", from.toString()));
        }
        body.put("recipient", Map.of("type", "USER", "id", to.toString()));
        return body;
    }

    private static String id(JsonNode transaction) {
        return transaction.path("id").asString();
    }

    /** The entry's own timestamp, as a query parameter. */
    private static String at(JsonNode transaction) {
        return URLEncoder.encode(transaction.path("createdAt").asString(), StandardCharsets.UTF_8);
    }

    private static void assertProblem(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.code()).isIn("VALIDATION_FAILED", "FORBIDDEN", "NOT_FOUND");
    }
}
