package io.pers.workflow.redemption;

import io.pers.workflow.WorkerSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The RedemptionWorkflow's tuning, from {@code workflows/redemption.yaml} (documented there). */
@ConfigurationProperties("pers.workflows.redemption")
public record RedemptionTuning(Step step, Step notification, Duration decisionWait, WorkerSettings worker) {

    public record Step(Duration startToCloseTimeout, Retry retry) {}

    public record Retry(
            Duration initialInterval, double backoffCoefficient, Duration maximumInterval, int maximumAttempts) {}
}
