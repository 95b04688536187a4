package io.pers.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The embedded test server keeps working with its lock log replaced, and the replacement still
 * applies to the Temporal version in the build (a renamed field fails here, not silently).
 */
class TimeSkippingLockLogTest {

    @WorkflowInterface
    public interface Nap {
        @WorkflowMethod
        String nap();
    }

    public static class NapImpl implements Nap {
        @Override
        public String nap() {
            Workflow.sleep(Duration.ofMillis(50));
            return "rested";
        }
    }

    @Test
    void workflowsWithTimersStillRunOnceTheLogIsReplaced() {
        int port = FreePorts.pick();
        try (TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port)) {
            assertThat(TimeSkippingLockLog.disable(server)).isTrue();
            WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget("127.0.0.1:" + port)
                    .build());
            WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs));
            try {
                factory.newWorker("naps").registerWorkflowImplementationTypes(NapImpl.class);
                factory.start();
                WorkflowClient client = WorkflowClient.newInstance(stubs);
                for (int i = 0; i < 20; i++) {
                    Nap nap = client.newWorkflowStub(
                            Nap.class,
                            WorkflowOptions.newBuilder().setTaskQueue("naps").build());
                    assertThat(nap.nap()).isEqualTo("rested");
                }
            } finally {
                factory.shutdownNow();
                stubs.shutdownNow();
            }
        }
    }
}
