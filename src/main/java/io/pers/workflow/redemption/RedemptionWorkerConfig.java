package io.pers.workflow.redemption;

import io.pers.workflow.TaskQueues;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkflowImplementationOptions;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the RedemptionWorkflow and its activities, with each step's options from {@link RedemptionTuning}. */
@Configuration(proxyBeanMethods = false)
public class RedemptionWorkerConfig {

    @Bean
    Worker redemptionWorker(WorkerFactory factory, RedemptionActivities activities, RedemptionTuning tuning) {
        Worker worker =
                factory.newWorker(TaskQueues.REDEMPTIONS, tuning.worker().options());
        worker.registerWorkflowImplementationTypes(
                WorkflowImplementationOptions.newBuilder()
                        .setDefaultLocalActivityOptions(local(tuning.step()))
                        .setLocalActivityOptions(Map.of("NotifyCompleted", local(tuning.notification())))
                        .build(),
                RedemptionWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        return worker;
    }

    private static LocalActivityOptions local(RedemptionTuning.Step step) {
        RedemptionTuning.Retry retry = step.retry();
        return LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(step.startToCloseTimeout())
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(retry.initialInterval())
                        .setBackoffCoefficient(retry.backoffCoefficient())
                        .setMaximumInterval(retry.maximumInterval())
                        .setMaximumAttempts(retry.maximumAttempts())
                        .build())
                .build();
    }
}
