package io.pers.workflow.reversal;

import io.pers.workflow.TaskQueues;
import io.pers.workflow.claim.ClaimTuning;
import io.pers.workflow.claim.ClaimWorkerConfig;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkflowImplementationOptions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the ClaimReversalWorkflow and its activities, with the options of {@code reversal} in claim.yaml. */
@Configuration(proxyBeanMethods = false)
public class ClaimReversalWorkerConfig {

    @Bean
    Worker claimReversalWorker(WorkerFactory factory, ClaimReversalActivities activities, ClaimTuning tuning) {
        Worker worker =
                factory.newWorker(TaskQueues.REVERSALS, tuning.reversalWorker().options());
        worker.registerWorkflowImplementationTypes(implementationOptions(tuning), ClaimReversalWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        return worker;
    }

    static WorkflowImplementationOptions implementationOptions(ClaimTuning tuning) {
        return WorkflowImplementationOptions.newBuilder()
                .setDefaultActivityOptions(ClaimWorkerConfig.remote(tuning.reversal()))
                .build();
    }
}
