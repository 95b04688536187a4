package io.pers.workflow.settlement;

import io.pers.workflow.WorkerSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The settlement batcher's tuning, from {@code workflows/settlement.yaml} (documented there). */
@ConfigurationProperties("pers.workflows.settlement")
public record SettlementTuning(
        Batching batch,
        Batching anchored,
        Duration mineTimeout,
        Duration confirmTimeout,
        Duration claimGiveUp,
        Step step,
        WorkerSettings worker) {

    public record Step(Duration startToCloseTimeout, Duration initialInterval, Duration maximumInterval) {}
}
