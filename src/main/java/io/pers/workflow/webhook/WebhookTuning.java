package io.pers.workflow.webhook;

import io.pers.workflow.WorkerSettings;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Webhook delivery tuning, from {@code workflows/webhook.yaml} (documented there). */
@ConfigurationProperties("pers.workflows.webhook")
public record WebhookTuning(
        List<Duration> schedule,
        Duration requestTimeout,
        Duration disableAfter,
        Duration rotationOverlap,
        int responseExcerptChars,
        Step attempt,
        FirstAttempt firstAttempt,
        Dispatcher dispatcher,
        Sweeper sweeper,
        WorkerSettings worker) {

    public record Step(Duration startToCloseTimeout, Retry retry) {}

    public record Retry(
            Duration initialInterval, double backoffCoefficient, Duration maximumInterval, int maximumAttempts) {}

    /**
     * First attempts made without a workflow: at most {@code concurrency} at once, {@code queue}
     * more waiting; past that a message's delivery starts as a workflow straight away.
     */
    public record FirstAttempt(int concurrency, int queue) {}

    /** At most one run per {@code interval} while events come in, one per {@code idleInterval} without. */
    public record Dispatcher(Duration interval, Duration idleInterval, int batch) {}

    public record Sweeper(Duration interval, Duration grace, int batch) {}

    /** The schedule as the workflow's input carries it. */
    public List<Long> delaysMs() {
        return schedule.stream().map(Duration::toMillis).toList();
    }
}
