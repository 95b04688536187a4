package io.pers.claim;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.crypto.Secrets;
import io.pers.support.ApiTest;
import io.pers.tenant.TenantContext;
import io.pers.workflow.TaskQueues;
import io.pers.workflow.claim.ClaimActivities;
import io.pers.workflow.claim.ClaimOutcome;
import io.pers.workflow.claim.ClaimRef;
import io.pers.workflow.claim.ClaimTuning;
import io.pers.workflow.claim.ClaimWorkerConfig;
import io.pers.workflow.claim.ClaimWorkflow;
import io.pers.workflow.claim.ClaimWorkflowImpl;
import io.temporal.api.testservice.v1.LockTimeSkippingRequest;
import io.temporal.api.testservice.v1.UnlockTimeSkippingRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.TestServiceStubs;
import io.temporal.serviceclient.TestServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rules that depend on time, on Temporal's time-skipping test environment: the workflow's clock
 * is what the rules judge, so hours and days pass in milliseconds. The activities are the real
 * ones, on the real database.
 */
class ClaimTimeIT extends ApiTest {

    /** Recorded from a completed claim of this version; replaying it guards running claims against code changes. */
    private static final String COMPLETED_HISTORY = "histories/claim-completed.json";

    @Autowired
    ClaimActivities activities;

    @Autowired
    ClaimTuning tuning;

    @Autowired
    Claims claims;

    @Autowired
    JdbcClient db;

    private TestWorkflowEnvironment env;
    private Worker replayer;
    private TestServiceStubs testService;

    @BeforeEach
    void startEnvironment() {
        // Time moves only by advance(): left to skip on its own, the test server takes a workflow
        // busy in a local activity for an idle one and jumps to its run timeout.
        env = TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
        Worker worker = env.newWorker(TaskQueues.CLAIMS);
        worker.registerWorkflowImplementationTypes(
                ClaimWorkerConfig.implementationOptions(tuning), ClaimWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        replayer = env.newWorker("replay");
        replayer.registerWorkflowImplementationTypes(
                ClaimWorkerConfig.implementationOptions(tuning), ClaimWorkflowImpl.class);
        env.start();
        testService = TestServiceStubs.newServiceStubs(TestServiceStubsOptions.newBuilder()
                .setChannel(env.getWorkflowServiceStubs().getRawChannel())
                .validateAndBuildWithDefaults());
    }

    @AfterEach
    void stopEnvironment() {
        testService.shutdown();
        env.close();
    }

    @Test
    void aCooldownEndsWhenItsTimeHasPassed() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = setup.campaign(Map.of("minCooldownSeconds", 3600));
        UUID user = setup.tenant.createUser("cooldown@time.test");

        assertThat(decide(setup, campaign, user)).isEqualTo(ClaimOutcome.of(ClaimOutcome.Status.COMPLETED));
        advance(Duration.ofMinutes(59));
        assertThat(decide(setup, campaign, user)).isEqualTo(ClaimOutcome.rejected("COOLDOWN"));
        advance(Duration.ofMinutes(2));
        assertThat(decide(setup, campaign, user)).isEqualTo(ClaimOutcome.of(ClaimOutcome.Status.COMPLETED));
    }

    @Test
    void aCampaignAcceptsClaimsOnlyWithinItsWindow() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        Instant start = Instant.ofEpochMilli(env.currentTimeMillis()).plus(1, ChronoUnit.DAYS);
        UUID campaign = setup.campaign(
                10,
                null,
                Map.of(),
                Map.of(
                        "startDate",
                        start.toString(),
                        "endDate",
                        start.plus(2, ChronoUnit.DAYS).toString()));
        UUID user = setup.tenant.createUser("window@time.test");

        assertThat(decide(setup, campaign, user)).isEqualTo(ClaimOutcome.rejected("OUTSIDE_WINDOW"));
        advance(Duration.ofHours(25));
        assertThat(decide(setup, campaign, user)).isEqualTo(ClaimOutcome.of(ClaimOutcome.Status.COMPLETED));
        advance(Duration.ofDays(2));
        assertThat(decide(setup, campaign, user)).isEqualTo(ClaimOutcome.rejected("OUTSIDE_WINDOW"));
    }

    @Test
    void theDailyCapOpensAgainTheNextDay() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID campaign = setup.campaign(Map.of("maxPerDay", 1));
        UUID user = setup.tenant.createUser("daily@time.test");

        assertThat(decide(setup, campaign, user)).isEqualTo(ClaimOutcome.of(ClaimOutcome.Status.COMPLETED));
        assertThat(decide(setup, campaign, user))
                .as(() -> claimsSoFar(setup, campaign))
                .isEqualTo(ClaimOutcome.rejected("MAX_PER_DAY"));
        advance(Duration.ofDays(1));
        assertThat(decide(setup, campaign, user)).isEqualTo(ClaimOutcome.of(ClaimOutcome.Status.COMPLETED));
    }

    /** A change to the workflow code must still replay the histories of claims already running. */
    @Test
    void recordedHistoriesStillReplay() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(COMPLETED_HISTORY, replayer);
    }

    /**
     * Moves the workflow clock forward. Bounded, so a time-skipping lock the test server still holds
     * fails the test with the server's lock diagnostics instead of sleeping for real.
     */
    private void advance(Duration duration) {
        // Without time skipping the clock holds two locks (the environment's and the test service's),
        // so a client waiting on a result (which lifts one) never sees time jump. env.sleep() lifts
        // one more; the other is lifted here for as long as the clock moves.
        testService.blockingStub().unlockTimeSkipping(UnlockTimeSkippingRequest.getDefaultInstance());
        try {
            sleepBounded(duration);
        } finally {
            testService.blockingStub().lockTimeSkipping(LockTimeSkippingRequest.getDefaultInstance());
        }
    }

    private void sleepBounded(Duration duration) {
        CompletableFuture<Void> skipped = CompletableFuture.runAsync(() -> env.sleep(duration));
        try {
            skipped.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("time did not skip by " + duration + "; " + env.getDiagnostics(), e);
        }
    }

    /** For failure messages: the campaign's claims and the workflow clock. */
    private String claimsSoFar(CampaignSetup setup, UUID campaign) {
        return TenantContext.callAs(setup.tenant.id(), () -> db.sql(
                                "select string_agg(status || ' at ' || decided_at::text, '; ' order by created_at) from claims where campaign_id = ?")
                        .param(campaign)
                        .query(String.class)
                        .single())
                + "; workflow clock " + Instant.ofEpochMilli(env.currentTimeMillis());
    }

    /** Records a new claim, as the intake would, and runs its workflow to the end. */
    private ClaimOutcome decide(CampaignSetup setup, UUID campaign, UUID user) {
        String workflowId = "claim-time-" + UUID.randomUUID();
        UUID claimId = Secrets.derivedId(workflowId);
        TenantContext.runAs(
                setup.tenant.id(),
                () -> claims.insert(new Claims.NewClaim(
                        claimId,
                        workflowId,
                        campaign,
                        null,
                        user,
                        null,
                        "ADMIN",
                        UUID.randomUUID().toString(),
                        1,
                        null,
                        null,
                        null,
                        Map.of(),
                        Secrets.sha256(workflowId),
                        ClaimIntake.Origin.NONE)));
        ClaimWorkflow workflow = env.getWorkflowClient()
                .newWorkflowStub(
                        ClaimWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(workflowId)
                                .setTaskQueue(TaskQueues.CLAIMS)
                                .build());
        return workflow.decide(new ClaimRef(setup.tenant.id(), claimId));
    }
}
