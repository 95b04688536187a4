package io.pers.workflow.claim;

import io.pers.workflow.TaskQueues;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkflowImplementationOptions;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the ClaimWorkflow and its activities, with each step's options from {@link ClaimTuning}. */
@Configuration(proxyBeanMethods = false)
public class ClaimWorkerConfig {

    @Bean
    Worker claimWorker(WorkerFactory factory, ClaimActivities activities, ClaimTuning tuning) {
        return register(factory, activities, tuning);
    }

    /** The claim worker on a factory: the app's, or a replacement one after a (simulated) crash. */
    public static Worker register(WorkerFactory factory, ClaimActivities activities, ClaimTuning tuning) {
        Worker worker = factory.newWorker(TaskQueues.CLAIMS, tuning.worker().options());
        worker.registerWorkflowImplementationTypes(implementationOptions(tuning), ClaimWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        return worker;
    }

    public static WorkflowImplementationOptions implementationOptions(ClaimTuning tuning) {
        return WorkflowImplementationOptions.newBuilder()
                .setDefaultLocalActivityOptions(local(tuning.decision()))
                .setLocalActivityOptions(Map.of("NotifyCompleted", local(tuning.notification())))
                .setActivityOptions(Map.of(
                        "Settle", remote(tuning.settlement()),
                        "NotifyCompleted", remote(tuning.notification())))
                .build();
    }

    private static LocalActivityOptions local(ClaimTuning.Step step) {
        return LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(step.startToCloseTimeout())
                .setRetryOptions(retry(step.retry()))
                .build();
    }

    /** A regular activity's options from a step of claim.yaml. */
    public static ActivityOptions remote(ClaimTuning.Step step) {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(step.startToCloseTimeout())
                .setRetryOptions(retry(step.retry()))
                .build();
    }

    private static RetryOptions retry(ClaimTuning.Retry retry) {
        return RetryOptions.newBuilder()
                .setInitialInterval(retry.initialInterval())
                .setBackoffCoefficient(retry.backoffCoefficient())
                .setMaximumInterval(retry.maximumInterval())
                .setMaximumAttempts(retry.maximumAttempts())
                .build();
    }
}
