package io.pers.workflow.settlement;

import io.pers.workflow.TaskQueues;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkflowImplementationOptions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the SettlementWorkflow and its activities, with options from {@link SettlementTuning}. */
@Configuration(proxyBeanMethods = false)
public class SettlementWorkerConfig {

    /**
     * Chain steps retry without a limit: an unreachable node or a dropped connection is waited out,
     * never turned into a failed claim. Only the contract's refusal fails an item.
     */
    @Bean
    Worker settlementWorker(WorkerFactory factory, SettlementActivities activities, SettlementTuning tuning) {
        Worker worker = factory.newWorker(TaskQueues.SETTLEMENT, tuning.worker().options());
        worker.registerWorkflowImplementationTypes(
                WorkflowImplementationOptions.newBuilder()
                        .setDefaultActivityOptions(ActivityOptions.newBuilder()
                                .setStartToCloseTimeout(tuning.step().startToCloseTimeout())
                                .setRetryOptions(RetryOptions.newBuilder()
                                        .setInitialInterval(tuning.step().initialInterval())
                                        .setMaximumInterval(tuning.step().maximumInterval())
                                        .setMaximumAttempts(0)
                                        .build())
                                .build())
                        .build(),
                SettlementWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        return worker;
    }
}
