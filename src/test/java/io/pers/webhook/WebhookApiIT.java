package io.pers.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pers.event.DomainEvents;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import io.pers.workflow.webhook.Delivery;
import io.pers.workflow.webhook.WebhookTuning;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** Partner webhooks through the API, delivered by the app (and its workflows, for retries) to a WireMock receiver. */
class WebhookApiIT extends ApiTest {

    private static final Receiver RECEIVER = new Receiver();
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @Autowired
    JdbcClient db;

    @Autowired
    DomainEvents events;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    WorkflowClient workflows;

    @Autowired
    WebhookTuning tuning;

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void aClaimMadeThroughTheApiIsDeliveredAsASignedClaimCompletedWebhook() {
        TenantFixture tenant = newTenant();
        String endpoint = RECEIVER.endpoint(200);
        String otherEndpoint = RECEIVER.endpoint(200);
        JsonNode subscription = subscribe(tenant, endpoint, List.of("claim.completed"));
        subscribe(tenant, otherEndpoint, List.of("redemption.*"));
        String secret = subscription.path("secret").asString();
        String subscriptionId = subscription.path("subscription").path("id").asString();

        JsonNode claim = claim(tenant);

        await().atMost(DELIVERY).until(() -> RECEIVER.received(endpoint).size() == 1);
        LoggedRequest request = RECEIVER.received(endpoint).get(0);
        Receiver.verify(secret, request);
        JsonNode body = Api.JSON.readTree(request.getBodyAsString());
        assertThat(body.path("type").asString()).isEqualTo("claim.completed");
        assertThat(body.path("timestamp").asString()).isNotBlank();
        assertThat(body.path("data").path("claimId").asString())
                .isEqualTo(claim.path("id").asString());
        assertThat(body.path("data").path("transactions")).hasSize(1);

        await().atMost(DELIVERY).until(() -> messages(tenant, subscriptionId)
                .path("items")
                .get(0)
                .path("status")
                .asString()
                .equals("DELIVERED"));
        JsonNode message = messages(tenant, subscriptionId).path("items").get(0);
        assertThat(message.path("id").asString())
                .as("the webhook-id is the message id")
                .isEqualTo(request.getHeader("webhook-id"));
        JsonNode log = tenant.admin()
                .get("/v2/webhooks/messages/" + message.path("id").asString())
                .json();
        assertThat(log.path("attempts")).hasSize(1);
        assertThat(log.path("attempts").get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(log.path("attempts").get(0).path("responseExcerpt").asString())
                .isEqualTo("status 200");
        assertThat(RECEIVER.received(otherEndpoint))
                .as("a subscription to other types")
                .isEmpty();
        assertThat(tenant.admin().get("/v2/webhooks/" + subscriptionId).json().has("secret"))
                .as("the secret is shown once")
                .isFalse();
    }

    /**
     * The dispatcher's cursor follows transaction ids (V28). An event written by a transaction that
     * commits after a younger one must neither be skipped (the cursor passing it while it is
     * invisible) nor delivered twice: the younger event waits for the older transaction instead.
     */
    @Test
    void anEventWhoseTransactionCommitsAfterAYoungerOneIsDeliveredOnceLikeIt() throws Exception {
        TenantFixture tenant = newTenant();
        String endpoint = RECEIVER.endpoint(200);
        subscribe(tenant, endpoint, List.of("claim.completed"));
        CountDownLatch olderWrote = new CountDownLatch(1);
        CountDownLatch commitOlder = new CountDownLatch(1);
        UUID older = UUID.randomUUID();
        UUID younger = UUID.randomUUID();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> olderTransaction = writer.submit(() -> TenantContext.runAs(
                    tenant.id(),
                    () -> tx.executeWithoutResult(status -> {
                        events.record("claim.completed", older, Map.of("claimId", older));
                        olderWrote.countDown();
                        await().atMost(DELIVERY).until(() -> commitOlder.getCount() == 0);
                    })));
            assertThat(olderWrote.await(30, TimeUnit.SECONDS)).isTrue();
            TenantContext.runAs(
                    tenant.id(),
                    () -> tx.executeWithoutResult(
                            status -> events.record("claim.completed", younger, Map.of("claimId", younger))));

            Thread.sleep(2_000); // four dispatcher runs while the older transaction is open
            assertThat(RECEIVER.received(endpoint))
                    .as("nothing behind a transaction still running")
                    .isEmpty();
            commitOlder.countDown();
            olderTransaction.get(30, TimeUnit.SECONDS);
        } finally {
            writer.shutdownNow();
        }

        await().atMost(DELIVERY).until(() -> RECEIVER.received(endpoint).size() >= 2);
        Thread.sleep(1_000); // two more dispatcher runs: a second delivery would show
        assertThat(RECEIVER.received(endpoint).stream().map(r -> Api.JSON
                        .readTree(r.getBodyAsString())
                        .path("data")
                        .path("claimId")
                        .asString()))
                .containsExactlyInAnyOrder(older.toString(), younger.toString());
    }

    @Test
    void aReplayRedeliversUnderTheSameWebhookId() {
        TenantFixture tenant = newTenant();
        String endpoint = RECEIVER.endpoint(200);
        JsonNode subscription = subscribe(tenant, endpoint, List.of());
        String messageId = sendTest(tenant, subscription);
        await().atMost(DELIVERY).until(() -> delivered(tenant, messageId));

        Api.Response replayed = tenant.admin().post("/v2/webhooks/messages/" + messageId + "/replay", Map.of());

        assertThat(replayed.status()).as(replayed.toString()).isEqualTo(202);
        await().atMost(DELIVERY).until(() -> RECEIVER.received(endpoint).size() == 2);
        await().atMost(DELIVERY).until(() -> delivered(tenant, messageId));
        assertThat(RECEIVER.received(endpoint)).allSatisfy(request -> {
            assertThat(request.getHeader("webhook-id")).isEqualTo(messageId);
            Receiver.verify(subscription.path("secret").asString(), request);
        });
        assertThat(tenant.admin()
                        .get("/v2/webhooks/messages/" + messageId)
                        .json()
                        .path("attempts"))
                .hasSize(2);
    }

    /**
     * A message the partner accepts at once is delivered without a workflow; one it refuses
     * continues in its workflow with the rest of the schedule (the next wait, 5 s, not a second
     * immediate attempt), under the same webhook-id.
     */
    @Test
    void onlyAMessageThatMustBeRetriedHasAWorkflow() {
        TenantFixture tenant = newTenant();
        String accepting = RECEIVER.endpoint(204);
        String failing = RECEIVER.endpoint(500);
        JsonNode acceptingSubscription = subscribe(tenant, accepting, List.of("webhook.test"));
        JsonNode failingSubscription = subscribe(tenant, failing, List.of("webhook.test"));

        String accepted = sendTest(tenant, acceptingSubscription);
        String retried = sendTest(tenant, failingSubscription);

        await().atMost(DELIVERY).until(() -> delivered(tenant, accepted));
        assertThatThrownBy(() -> history(Deliveries.workflowId(UUID.fromString(accepted), 0)))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        await().atMost(DELIVERY).until(() -> RECEIVER.received(failing).size() == 1);
        Delivery rest = await().atMost(DELIVERY)
                .ignoreExceptionsInstanceOf(StatusRuntimeException.class)
                .until(() -> startedWith(Deliveries.workflowId(UUID.fromString(retried), 0)), d -> true);
        assertThat(rest.delaysMs())
                .as("the schedule after its first attempt")
                .isEqualTo(tuning.delaysMs().subList(1, tuning.delaysMs().size()));

        RECEIVER.answer(failing, 200);
        await().atMost(DELIVERY).until(() -> delivered(tenant, retried));
        assertThat(RECEIVER.received(failing)).hasSize(2).allSatisfy(request -> assertThat(
                        request.getHeader("webhook-id"))
                .isEqualTo(retried));
        JsonNode log = tenant.admin().get("/v2/webhooks/messages/" + retried).json();
        assertThat(log.path("attempts").findValuesAsString("statusCode")).containsExactly("500", "200");
    }

    private static String sendTest(TenantFixture tenant, JsonNode subscription) {
        Api.Response sent = tenant.admin()
                .post(
                        "/v2/webhooks/"
                                + subscription.path("subscription").path("id").asString() + "/test",
                        Map.of());
        assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
        return sent.text("id");
    }

    private WorkflowExecutionHistory history(String workflowId) {
        return workflows.fetchHistory(workflowId);
    }

    /** The input the delivery workflow was started with. */
    private Delivery startedWith(String workflowId) {
        return DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
                0,
                Optional.of(history(workflowId)
                        .getEvents()
                        .get(0)
                        .getWorkflowExecutionStartedEventAttributes()
                        .getInput()),
                Delivery.class,
                Delivery.class);
    }

    @Test
    void duringARotationEveryMessageCarriesBothSignatures() {
        TenantFixture tenant = newTenant();
        String endpoint = RECEIVER.endpoint(204);
        JsonNode subscription = subscribe(tenant, endpoint, List.of("webhook.test"));
        String id = subscription.path("subscription").path("id").asString();
        String oldSecret = subscription.path("secret").asString();

        Api.Response rotated = tenant.admin().post("/v2/webhooks/" + id + "/rotate-secret", Map.of());
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String newSecret = rotated.text("secret");
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
        assertThat(rotated.json()
                        .path("subscription")
                        .path("previousSecretExpiresAt")
                        .asString())
                .isNotBlank();
        sendTest(tenant, subscription);

        await().atMost(DELIVERY).until(() -> RECEIVER.received(endpoint).size() == 1);
        LoggedRequest request = RECEIVER.received(endpoint).get(0);
        assertThat(request.getHeader("webhook-signature").split(" ")).hasSize(2);
        Receiver.verify(newSecret, request);
        Receiver.verify(oldSecret, request);
        assertThat(Receiver.verifies(WebhookSignatures.secret(WebhookSignatures.newKey()), request))
                .isFalse();
    }

    @Test
    void a410DisablesTheEndpointAndTellsTheTenantsOtherSubscriptions() {
        TenantFixture tenant = newTenant();
        String gone = RECEIVER.endpoint(410);
        String watcher = RECEIVER.endpoint(200);
        JsonNode goneSubscription = subscribe(tenant, gone, List.of("webhook.test"));
        JsonNode watching = subscribe(tenant, watcher, List.of("webhook.endpoint.*"));
        String goneId = goneSubscription.path("subscription").path("id").asString();

        String messageId = sendTest(tenant, goneSubscription);

        await().atMost(DELIVERY).until(() -> !tenant.admin()
                .get("/v2/webhooks/" + goneId)
                .json()
                .path("enabled")
                .asBoolean());
        assertThat(tenant.admin().get("/v2/webhooks/" + goneId).text("disabledReason"))
                .contains("410");
        JsonNode log = tenant.admin().get("/v2/webhooks/messages/" + messageId).json();
        assertThat(log.path("message").path("status").asString()).isEqualTo("FAILED");
        assertThat(log.path("attempts")).hasSize(1);
        assertThat(log.path("attempts").get(0).path("statusCode").asInt()).isEqualTo(410);
        await().atMost(DELIVERY).until(() -> RECEIVER.received(watcher).size() == 1);
        LoggedRequest notice = RECEIVER.received(watcher).get(0);
        Receiver.verify(watching.path("secret").asString(), notice);
        JsonNode body = Api.JSON.readTree(notice.getBodyAsString());
        assertThat(body.path("type").asString()).isEqualTo("webhook.endpoint.disabled");
        assertThat(body.path("data").path("subscriptionId").asString()).isEqualTo(goneId);
        assertThat(RECEIVER.received(gone)).hasSize(1);
    }

    @Test
    void failedMessagesSinceATimeAreReplayedOnceTheEndpointIsBack() {
        TenantFixture tenant = newTenant();
        String endpoint = RECEIVER.endpoint(410);
        JsonNode subscription = subscribe(tenant, endpoint, List.of("webhook.test"));
        String id = subscription.path("subscription").path("id").asString();
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        String messageId = sendTest(tenant, subscription);
        await().atMost(DELIVERY).until(() -> messages(tenant, id)
                .path("items")
                .get(0)
                .path("status")
                .asString()
                .equals("FAILED"));

        RECEIVER.answer(endpoint, 200);
        Api.Response enabled = tenant.admin().patch("/v2/webhooks/" + id, Map.of("enabled", true));
        assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
        assertThat(enabled.json().path("disabledReason").isNull()).isTrue();
        Api.Response replayed =
                tenant.admin().post("/v2/webhooks/" + id + "/replay", Map.of("since", before.toString()));

        assertThat(replayed.status()).as(replayed.toString()).isEqualTo(202);
        assertThat(replayed.json().path("replayed").asInt()).isEqualTo(1);
        await().atMost(DELIVERY).until(() -> delivered(tenant, messageId));
        assertThat(RECEIVER.received(endpoint)).hasSize(2).allSatisfy(request -> {
            assertThat(request.getHeader("webhook-id")).isEqualTo(messageId);
            Receiver.verify(subscription.path("secret").asString(), request);
        });
        assertThat(tenant.admin()
                        .post("/v2/webhooks/" + id + "/replay", Map.of("since", before.toString()))
                        .json()
                        .path("replayed")
                        .asInt())
                .as("nothing failed any more")
                .isZero();
    }

    @Test
    void aSubscriptionToAnInternalAddressIsRefusedAndNothingIsStored() {
        TenantFixture tenant = newTenant();

        Api.Response refused = tenant.admin()
                .post(
                        "/v2/webhooks",
                        Map.of("url", "http://169.254.169.254/latest/meta-data/", "eventTypes", List.of("claim.*")));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.header("content-type")).startsWith("application/problem+json");
        assertThat(refused.code()).isEqualTo("WEBHOOK_TARGET_REFUSED");
        assertThat(tenant.admin().get("/v2/webhooks").json().path("total").asLong())
                .isZero();
        assertThat(tenant.admin()
                        .post("/v2/webhooks", Map.of("url", "https://example.com/", "eventTypes", List.of("Claim!")))
                        .code())
                .isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void aBusinessSeesOnlyItsOwnSubscriptions() {
        TenantFixture tenant = newTenant();
        subscribe(tenant, RECEIVER.endpoint(200), List.of());
        UUID business = UUID.fromString(
                tenant.admin().post("/v2/businesses", Map.of("name", "Shop")).text("id"));
        Api.Response scoped = tenant.admin()
                .post("/v2/webhooks", Map.of("url", RECEIVER.endpoint(200), "businessId", business.toString()));
        assertThat(scoped.status()).as(scoped.toString()).isEqualTo(201);

        assertThat(tenant.admin().get("/v2/webhooks").json().path("total").asLong())
                .isEqualTo(2);
        assertThat(tenant.anonymous().get("/v2/webhooks").status()).isEqualTo(401);
    }

    @Test
    void anotherTenantSeesNoneOfItThroughTheApiOrTheDatabase() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        String endpoint = RECEIVER.endpoint(200);
        String id = subscribe(a, endpoint, List.of())
                .path("subscription")
                .path("id")
                .asString();
        String messageId =
                a.admin().post("/v2/webhooks/" + id + "/test", Map.of()).text("id");
        await().atMost(DELIVERY).until(() -> delivered(a, messageId));

        assertThat(b.admin().get("/v2/webhooks/" + id).status()).isEqualTo(404);
        assertThat(b.admin().get("/v2/webhooks/messages/" + messageId).status()).isEqualTo(404);
        assertThat(b.admin()
                        .post("/v2/webhooks/messages/" + messageId + "/replay", Map.of())
                        .status())
                .isEqualTo(404);
        assertThat(b.admin().get("/v2/webhooks").json().path("total").asLong()).isZero();
        TenantContext.runAs(b.id(), () -> {
            for (String table : List.of("webhook_subscriptions", "webhook_messages", "webhook_attempts")) {
                assertThat(db.sql("select count(*) from " + table + " where tenant_id = ?")
                                .param(a.id())
                                .query(Long.class)
                                .single())
                        .as(table)
                        .isZero();
            }
        });
    }

    private static JsonNode subscribe(TenantFixture tenant, String url, List<String> types) {
        Api.Response created = tenant.admin().post("/v2/webhooks", Map.of("url", url, "eventTypes", types));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.text("secret")).startsWith("whsec_");
        return created.json();
    }

    private static JsonNode messages(TenantFixture tenant, String subscriptionId) {
        return tenant.admin()
                .get("/v2/webhooks/" + subscriptionId + "/messages")
                .json();
    }

    private static boolean delivered(TenantFixture tenant, String messageId) {
        return tenant.admin()
                .get("/v2/webhooks/messages/" + messageId)
                .json()
                .path("message")
                .path("status")
                .asString()
                .equals("DELIVERED");
    }

    /** A completed claim: a token, a campaign a system trigger awards, a user, and the claim. */
    private static JsonNode claim(TenantFixture tenant) {
        UUID token = tenant.createToken(
                "W" + UUID.randomUUID().toString().substring(0, 6).toUpperCase());
        String trigger = created(
                tenant.admin().post("/v2/campaign-triggers", Map.of("name", "hook", "triggerType", "CLAIM_BY_SYSTEM")));
        String campaign = created(
                tenant.admin().post("/v2/campaigns", Map.of("name", "hook", "isActive", true, "triggerId", trigger)));
        created(tenant.admin()
                .post(
                        "/v2/campaigns/" + campaign + "/token-units",
                        Map.of("tokenId", token.toString(), "amount", "5")));
        UUID user = tenant.createUser("hooked-" + UUID.randomUUID() + "@webhooks.test");
        Api.Response claim = tenant.admin()
                .post("/v2/campaigns/claims", Map.of("campaignId", campaign, "userIdentifier", user.toString()));
        assertThat(claim.status()).as(claim.toString()).isEqualTo(201);
        assertThat(claim.text("status")).isEqualTo("COMPLETED");
        return claim.json();
    }

    private static String created(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.text("id");
    }
}
