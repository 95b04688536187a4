package io.pers.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pers.event.DomainEvents;
import io.pers.outbound.OutboundGuard;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import io.pers.workflow.TaskQueues;
import io.pers.workflow.webhook.AttemptResult.Outcome;
import io.pers.workflow.webhook.Delivery;
import io.pers.workflow.webhook.WebhookActivities;
import io.pers.workflow.webhook.WebhookDeliveryWorkflow;
import io.pers.workflow.webhook.WebhookDeliveryWorkflowImpl;
import io.pers.workflow.webhook.WebhookTuning;
import io.pers.workflow.webhook.WebhookWorkerConfig;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * The delivery workflow on Temporal's time-skipping test environment, with the real activity on
 * the real database and a WireMock receiver: hours of the retry schedule pass in milliseconds.
 */
class WebhookTimeIT extends ApiTest {

    private static final Receiver RECEIVER = new Receiver();
    private static final String CRASH_QUEUE = "webhooks-crashing";
    /** Recorded from a delivery of this version: three failures, then delivered. */
    private static final String RETRIED_HISTORY = "histories/webhook-retried-then-delivered.json";

    @Autowired
    WebhookActivities activities;

    @Autowired
    WebhookTuning tuning;

    @Autowired
    Messages messages;

    @Autowired
    Subscriptions subscriptions;

    @Autowired
    JdbcClient db;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DomainEvents events;

    @Autowired
    ObjectMapper json;

    private TestWorkflowEnvironment env;
    private Worker replayer;
    private final AtomicBoolean crashAfterNextSend = new AtomicBoolean();

    @BeforeEach
    void startEnvironment() {
        env = TestWorkflowEnvironment.newInstance();
        register(env.newWorker(TaskQueues.WEBHOOKS), activities);
        register(
                env.newWorker(CRASH_QUEUE),
                new WebhookActivitiesImpl(
                        messages, subscriptions, new CrashingSender(), tx, events, new SimpleMeterRegistry()));
        replayer = env.newWorker("replay");
        replayer.registerWorkflowImplementationTypes(
                WebhookWorkerConfig.implementationOptions(tuning), WebhookDeliveryWorkflowImpl.class);
        env.start();
    }

    @AfterEach
    void stopEnvironment() {
        env.close();
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void failedAttemptsAreRetriedOnTheStandardScheduleUntilDelivered() throws IOException {
        String url = RECEIVER.url("/hooks/" + UUID.randomUUID());
        answers(
                url,
                aResponse().withStatus(500),
                aResponse().withStatus(502),
                aResponse().withStatus(500),
                ok());
        Hook hook = hook(url);

        Outcome outcome = deliver(hook, TaskQueues.WEBHOOKS, tuning.disableAfter());

        assertThat(outcome).isEqualTo(Outcome.DELIVERED);
        assertThat(timers(hook)).containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30));
        assertSameIdAndSigned(hook, RECEIVER.received(url), 4);
        assertThat(attemptCodes(hook)).containsExactly(500, 502, 500, 200);
        assertThat(status(hook)).isEqualTo(Messages.Status.DELIVERED);
        recordHistoryWhenAsked(hook);
    }

    /** A change to the workflow code must still replay the histories of deliveries already running. */
    @Test
    void recordedHistoriesStillReplay() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(RETRIED_HISTORY, replayer);
    }

    /** {@code -Drecord.histories=true} rewrites the recorded history from this version's run. */
    private void recordHistoryWhenAsked(Hook hook) throws IOException {
        if (Boolean.getBoolean("record.histories")) {
            Files.writeString(
                    Path.of("src/test/resources", RETRIED_HISTORY),
                    env.getWorkflowClient()
                            .fetchHistory(Deliveries.workflowId(hook.messageId(), 0))
                            .toJson(true));
        }
    }

    @Test
    void retryAfterStretchesTheWaitOfA429() {
        String url = RECEIVER.url("/hooks/" + UUID.randomUUID());
        answers(url, aResponse().withStatus(429).withHeader("Retry-After", "3600"), ok());
        Hook hook = hook(url);

        Outcome outcome = deliver(hook, TaskQueues.WEBHOOKS, tuning.disableAfter());

        assertThat(outcome).isEqualTo(Outcome.DELIVERED);
        assertThat(timers(hook)).as("not the schedule's 5 s").containsExactly(Duration.ofHours(1));
        assertSameIdAndSigned(hook, RECEIVER.received(url), 2);
    }

    @Test
    void aMessageFailsOnceEveryScheduledAttemptFailed() {
        String url = RECEIVER.url("/hooks/" + UUID.randomUUID());
        answers(url, aResponse().withStatus(500));
        Hook hook = hook(url);

        Outcome outcome = deliver(hook, TaskQueues.WEBHOOKS, tuning.disableAfter());

        assertThat(outcome).isEqualTo(Outcome.STOPPED);
        assertThat(timers(hook))
                .isEqualTo(tuning.schedule().subList(1, tuning.schedule().size()));
        assertSameIdAndSigned(hook, RECEIVER.received(url), tuning.schedule().size());
        assertThat(status(hook)).isEqualTo(Messages.Status.FAILED);
        assertThat(enabled(hook))
                .as("27.5 h of failures is less than the 5 days")
                .isTrue();
    }

    @Test
    void anEndpointFailingLongerThanTheConfiguredPeriodIsDisabled() {
        String url = RECEIVER.url("/hooks/" + UUID.randomUUID());
        answers(url, aResponse().withStatus(503));
        Hook hook = hook(url);

        Outcome outcome = deliver(hook, TaskQueues.WEBHOOKS, Duration.ofHours(1));

        assertThat(outcome).isEqualTo(Outcome.STOPPED);
        // Attempts at 0, 5 s, 5 min 5 s, 35 min 5 s and 2 h 35 min 5 s: the fifth is past the hour.
        assertSameIdAndSigned(hook, RECEIVER.received(url), 5);
        assertThat(enabled(hook)).isFalse();
        assertThat(TenantContext.callAs(hook.tenant().id(), () -> db.sql(
                                "select count(*) from domain_events where type = 'webhook.endpoint.disabled' and payload->>'subscriptionId' = ?")
                        .param(hook.subscriptionId().toString())
                        .query(Long.class)
                        .single()))
                .isEqualTo(1);
    }

    /**
     * The worker dies after the POST left but before the answer was recorded: the attempt is
     * retried, and the partner gets the message once more, with the same webhook-id.
     */
    @Test
    void aCrashMidDeliveryCostsAtMostOneExtraDeliveryWithTheSameWebhookId() {
        String url = RECEIVER.url("/hooks/" + UUID.randomUUID());
        answers(url, ok());
        Hook hook = hook(url);
        crashAfterNextSend.set(true);

        Outcome outcome = deliver(hook, CRASH_QUEUE, tuning.disableAfter());

        assertThat(outcome).isEqualTo(Outcome.DELIVERED);
        assertSameIdAndSigned(hook, RECEIVER.received(url), 2);
        assertThat(attemptCodes(hook)).as("the crashed attempt left no record").containsExactly(200);
        assertThat(status(hook)).isEqualTo(Messages.Status.DELIVERED);
    }

    /** A sender that, once, dies right after the receiver got the request. */
    private final class CrashingSender extends WebhookSender {
        CrashingSender() {
            super(new OutboundGuard(true, () -> false), tuning);
        }

        @Override
        Response post(String url, Map<String, String> headers, String body) {
            Response response = super.post(url, headers, body);
            if (crashAfterNextSend.getAndSet(false)) {
                throw new IllegalStateException("worker died after sending");
            }
            return response;
        }
    }

    private record Hook(TenantFixture tenant, UUID subscriptionId, String secret, UUID messageId) {}

    /** A subscription made through the API and one message recorded for it, as the dispatcher would. */
    private Hook hook(String url) {
        TenantFixture tenant = newTenant();
        var created = tenant.admin().post("/v2/webhooks", Map.of("url", url));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID subscription =
                UUID.fromString(created.json().path("subscription").path("id").asString());
        UUID message = UUID.randomUUID();
        String body = WebhookBodies.body(json, "webhook.test", OffsetDateTime.now(), Map.of("n", 1));
        TenantContext.runAs(tenant.id(), () -> messages.insert(message, subscription, null, "webhook.test", body));
        return new Hook(tenant, subscription, created.text("secret"), message);
    }

    private Outcome deliver(Hook hook, String queue, Duration disableAfter) {
        WebhookDeliveryWorkflow workflow = env.getWorkflowClient()
                .newWorkflowStub(
                        WebhookDeliveryWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(Deliveries.workflowId(hook.messageId(), 0))
                                .setTaskQueue(queue)
                                .build());
        return workflow.deliver(
                new Delivery(hook.tenant().id(), hook.messageId(), tuning.delaysMs(), disableAfter.toMillis()));
    }

    private void register(Worker worker, WebhookActivities implementation) {
        worker.registerWorkflowImplementationTypes(
                WebhookWorkerConfig.implementationOptions(tuning), WebhookDeliveryWorkflowImpl.class);
        worker.registerActivitiesImplementations(implementation);
    }

    /** The receiver answers these in turn, then the last one for ever. */
    private static void answers(String url, ResponseDefinitionBuilder... responses) {
        String path = url.substring(url.indexOf("/hooks/"));
        String scenario = path;
        for (int i = 0; i < responses.length; i++) {
            var stub = post(urlPathEqualTo(path))
                    .inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? STARTED : "answer-" + i);
            if (i + 1 < responses.length) {
                stub = stub.willSetStateTo("answer-" + (i + 1));
            }
            RECEIVER.server().stubFor(stub.willReturn(responses[i]));
        }
    }

    private static ResponseDefinitionBuilder ok() {
        return aResponse().withStatus(200).withBody("ok");
    }

    private static void assertSameIdAndSigned(Hook hook, List<LoggedRequest> requests, int expected) {
        assertThat(requests).hasSize(expected);
        assertThat(requests).allSatisfy(request -> {
            assertThat(request.getHeader("webhook-id"))
                    .isEqualTo(hook.messageId().toString());
            Receiver.verify(hook.secret(), request);
        });
    }

    /** The durable timers the workflow waited on, from its history: the schedule as it ran. */
    private List<Duration> timers(Hook hook) {
        return env
                .getWorkflowClient()
                .fetchHistory(Deliveries.workflowId(hook.messageId(), 0))
                .getHistory()
                .getEventsList()
                .stream()
                .filter(HistoryEvent::hasTimerStartedEventAttributes)
                .map(e -> e.getTimerStartedEventAttributes().getStartToFireTimeout())
                .map(d -> Duration.ofSeconds(d.getSeconds(), d.getNanos()))
                .toList();
    }

    private List<Integer> attemptCodes(Hook hook) {
        return TenantContext.callAs(hook.tenant().id(), () -> messages.attempts(hook.messageId()).stream()
                .map(Messages.AttemptEntry::statusCode)
                .toList());
    }

    private Messages.Status status(Hook hook) {
        return TenantContext.callAs(
                hook.tenant().id(),
                () -> messages.find(hook.messageId()).orElseThrow().status());
    }

    private boolean enabled(Hook hook) {
        return hook.tenant()
                .admin()
                .get("/v2/webhooks/" + hook.subscriptionId())
                .json()
                .path("enabled")
                .asBoolean();
    }
}
