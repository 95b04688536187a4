package io.pers.workflow.reversal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.workflow.TaskQueues;
import io.pers.workflow.claim.ClaimTuning;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The refund's workflow on Temporal's test server, its steps replaced by a recording fake. */
class ClaimReversalWorkflowTest {

    private static final String HISTORY = "histories/claim-reversal-waited.json";
    private static final ClaimTuning TUNING = new ClaimTuning(
            null,
            null,
            null,
            new ClaimTuning.Step(
                    Duration.ofSeconds(10),
                    new ClaimTuning.Retry(Duration.ofMillis(10), 1.0, Duration.ofMillis(10), 0)),
            null,
            null,
            null,
            null,
            null,
            null);
    private static final UUID FIRST = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID SECOND = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    /** Says the order's claims are still settling twice, then names two of them. */
    static final class Steps implements ClaimReversalActivities {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger settling = new AtomicInteger(2);

        @Override
        public List<UUID> claimsToReverse(ReversalRef reversal) {
            calls.add("claimsToReverse");
            if (settling.getAndDecrement() > 0) {
                throw ApplicationFailure.newFailure("a claim is still PENDING_SETTLEMENT", "ClaimNotFinal");
            }
            return List.of(FIRST, SECOND);
        }

        @Override
        public void reverseClaim(ReversalRef reversal, UUID claimId) {
            calls.add("reverseClaim " + reversal.reversalId() + " " + claimId);
        }

        @Override
        public String finish(ReversalRef reversal) {
            calls.add("finish");
            return "REVERSED";
        }
    }

    private TestWorkflowEnvironment env;
    private Worker replayer;
    private final Steps steps = new Steps();

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(TaskQueues.REVERSALS);
        worker.registerWorkflowImplementationTypes(
                ClaimReversalWorkerConfig.implementationOptions(TUNING), ClaimReversalWorkflowImpl.class);
        worker.registerActivitiesImplementations(steps);
        replayer = env.newWorker("replay");
        replayer.registerWorkflowImplementationTypes(
                ClaimReversalWorkerConfig.implementationOptions(TUNING), ClaimReversalWorkflowImpl.class);
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void waitsForTheOrdersClaimsToBeFinalThenReversesEachOnceByTheReversalsKey() throws IOException {
        ReversalRef ref = new ReversalRef(UUID.randomUUID(), UUID.randomUUID());
        String workflowId = "reversal-" + ref.tenantId() + "-" + ref.reversalId();

        String outcome = env.getWorkflowClient()
                .newWorkflowStub(
                        ClaimReversalWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(workflowId)
                                .setTaskQueue(TaskQueues.REVERSALS)
                                .build())
                .reverse(ref);

        assertThat(outcome).isEqualTo("REVERSED");
        assertThat(steps.calls)
                .containsExactly(
                        "claimsToReverse",
                        "claimsToReverse",
                        "claimsToReverse",
                        "reverseClaim " + ref.reversalId() + " " + FIRST,
                        "reverseClaim " + ref.reversalId() + " " + SECOND,
                        "finish");
        if (Boolean.getBoolean("record.histories")) {
            Files.writeString(
                    Path.of("src/test/resources", HISTORY),
                    env.getWorkflowClient().fetchHistory(workflowId).toJson(true));
        }
    }

    /** A change to the workflow code must still replay the histories of reversals already running. */
    @Test
    void recordedHistoriesStillReplay() throws Exception {
        WorkflowReplayer.replayWorkflowExecutionFromResource(HISTORY, replayer);
    }
}
