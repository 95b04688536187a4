package io.pers.workflow;

import io.temporal.worker.WorkerOptions;

/**
 * A task queue's worker capacity, from the {@code worker:} section of its {@code workflows/*.yaml}:
 * how many pollers ask the server for tasks and how many tasks of each kind run at once. A value
 * left out keeps the Temporal SDK's default. Keep pollers at least as many as the tasks in flight
 * on the embedded test server (docs/STACK.md); a Temporal cluster hands tasks out fairly.
 *
 * @param workflowPollers concurrent workflow-task polls
 * @param activityPollers concurrent activity-task polls
 * @param maxConcurrentWorkflowTasks workflow tasks executed at once
 * @param maxConcurrentActivities regular activities executed at once
 * @param maxConcurrentLocalActivities local activities executed at once
 */
public record WorkerSettings(
        Integer workflowPollers,
        Integer activityPollers,
        Integer maxConcurrentWorkflowTasks,
        Integer maxConcurrentActivities,
        Integer maxConcurrentLocalActivities) {

    /** The worker options of these settings; unset values stay the SDK's. */
    public WorkerOptions options() {
        WorkerOptions.Builder options = WorkerOptions.newBuilder();
        if (workflowPollers != null) {
            options.setMaxConcurrentWorkflowTaskPollers(workflowPollers);
        }
        if (activityPollers != null) {
            options.setMaxConcurrentActivityTaskPollers(activityPollers);
        }
        if (maxConcurrentWorkflowTasks != null) {
            options.setMaxConcurrentWorkflowTaskExecutionSize(maxConcurrentWorkflowTasks);
        }
        if (maxConcurrentActivities != null) {
            options.setMaxConcurrentActivityExecutionSize(maxConcurrentActivities);
        }
        if (maxConcurrentLocalActivities != null) {
            options.setMaxConcurrentLocalActivityExecutionSize(maxConcurrentLocalActivities);
        }
        return options.build();
    }
}
