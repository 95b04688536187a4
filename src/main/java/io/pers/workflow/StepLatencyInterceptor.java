package io.pers.workflow;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Times every activity execution of every worker, local activities included, as
 * {@code pers_workflow_step_seconds{workflow,activity,outcome}}: one sample per attempt, so a
 * retried step shows as its failures and then its success. {@code outcome} is {@code success} or
 * {@code failure} (the attempt threw; Temporal may retry it). Buckets ({@code _bucket{le}}) give
 * percentiles per step.
 */
@Component
public class StepLatencyInterceptor extends WorkerInterceptorBase {

    static final String METRIC = "pers.workflow.step";

    /** Histogram buckets from a local database step to a chain confirmation. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
    };

    private final MeterRegistry meters;

    StepLatencyInterceptor(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new Timed(next);
    }

    private final class Timed extends ActivityInboundCallsInterceptorBase {

        private ActivityInfo info;

        Timed(ActivityInboundCallsInterceptor next) {
            super(next);
        }

        @Override
        public void init(ActivityExecutionContext context) {
            info = context.getInfo();
            super.init(context);
        }

        @Override
        public ActivityOutput execute(ActivityInput input) {
            long started = System.nanoTime();
            String outcome = "failure";
            try {
                ActivityOutput output = super.execute(input);
                outcome = "success";
                return output;
            } finally {
                Timer.builder(METRIC)
                        .description("Execution time of one attempt of a workflow's activity")
                        .serviceLevelObjectives(BUCKETS)
                        .tags(
                                "workflow",
                                info.getWorkflowType(),
                                "activity",
                                info.getActivityType(),
                                "outcome",
                                outcome)
                        .register(meters)
                        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        }
    }
}
