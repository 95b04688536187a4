package io.pers.workflow.redemption;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The RedemptionWorkflow's tuning, from {@code workflows/redemption.yaml} (documented there). */
@ConfigurationProperties("pers.workflows.redemption")
public record RedemptionTuning(Step step, Step notification, Duration decisionWait, Worker worker) {

    public record Step(Duration startToCloseTimeout, Retry retry) {}

    public record Retry(
            Duration initialInterval, double backoffCoefficient, Duration maximumInterval, int maximumAttempts) {}

    public record Worker(int workflowPollers, int maxConcurrentWorkflowTasks, int maxConcurrentActivities) {}
}
