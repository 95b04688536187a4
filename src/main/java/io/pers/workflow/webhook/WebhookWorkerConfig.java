package io.pers.workflow.webhook;

import io.pers.workflow.TaskQueues;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkflowImplementationOptions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the WebhookDeliveryWorkflow and its activity, with options from {@link WebhookTuning}. */
@Configuration(proxyBeanMethods = false)
public class WebhookWorkerConfig {

    @Bean
    Worker webhookWorker(WorkerFactory factory, WebhookActivities activities, WebhookTuning tuning) {
        Worker worker = factory.newWorker(TaskQueues.WEBHOOKS, tuning.worker().options());
        worker.registerWorkflowImplementationTypes(implementationOptions(tuning), WebhookDeliveryWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        return worker;
    }

    /**
     * The attempt's own retries cover the worker, not the partner: a crash or a database error
     * mid-attempt. The partner's failures are answers, and the workflow's schedule handles them.
     */
    public static WorkflowImplementationOptions implementationOptions(WebhookTuning tuning) {
        WebhookTuning.Retry retry = tuning.attempt().retry();
        RetryOptions retries = RetryOptions.newBuilder()
                .setInitialInterval(retry.initialInterval())
                .setBackoffCoefficient(retry.backoffCoefficient())
                .setMaximumInterval(retry.maximumInterval())
                .setMaximumAttempts(retry.maximumAttempts())
                .build();
        return WorkflowImplementationOptions.newBuilder()
                .setDefaultActivityOptions(ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(tuning.attempt().startToCloseTimeout())
                        .setRetryOptions(retries)
                        .build())
                .setDefaultLocalActivityOptions(LocalActivityOptions.newBuilder()
                        .setStartToCloseTimeout(tuning.attempt().startToCloseTimeout())
                        .setRetryOptions(retries)
                        .build())
                .build();
    }
}
