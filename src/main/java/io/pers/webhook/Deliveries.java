package io.pers.webhook;

import io.pers.workflow.TaskQueues;
import io.pers.workflow.webhook.AttemptResult;
import io.pers.workflow.webhook.Delivery;
import io.pers.workflow.webhook.WebhookActivities;
import io.pers.workflow.webhook.WebhookDeliveryWorkflow;
import io.pers.workflow.webhook.WebhookTuning;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Delivers recorded messages. The first attempt, due at once, is made here without a workflow:
 * most messages are accepted by their partner at once, and for them a workflow (start, task,
 * completion on the Temporal server) was most of a delivery's cost. A message that must be retried
 * continues in its {@link WebhookDeliveryWorkflow} with the rest of the schedule. The message row
 * is the record either way: a first attempt lost with the process leaves the message PENDING, and
 * the dispatcher's sweeper starts its workflow; one that cannot be queued, or waited long, starts
 * its workflow at once.
 *
 * <p>The workflow id is the message id (and its replay number), so a second start of the same
 * delivery (a second dispatcher, the sweeper) is refused by Temporal while it runs or once it
 * completed: one delivery per message and replay. Only a workflow that failed (its attempt activity
 * gave up on the database, say) may run again under the same id, which is how the sweeper revives
 * the message it left pending.
 */
@Component
class Deliveries implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

    private final WorkflowClient workflows;
    private final WebhookActivities attempts;
    private final WebhookTuning tuning;
    private final ThreadPoolExecutor firstAttempts;
    private final long staleAfterNanos;

    Deliveries(WorkflowClient workflows, WebhookActivities attempts, WebhookTuning tuning) {
        this.workflows = workflows;
        this.attempts = attempts;
        this.tuning = tuning;
        WebhookTuning.FirstAttempt limits = tuning.firstAttempt();
        AtomicInteger threads = new AtomicInteger();
        this.firstAttempts = new ThreadPoolExecutor(
                limits.concurrency(),
                limits.concurrency(),
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.queue()),
                task -> {
                    Thread thread = new Thread(task, "webhook-first-attempt-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        firstAttempts.allowCoreThreadTimeOut(true);
        // A message still PENDING after the sweeper's grace is the sweeper's to re-drive: a first
        // attempt that waited half of it goes through the workflow id instead, never beside it.
        this.staleAfterNanos = tuning.sweeper().grace().toNanos() / 2;
    }

    static String workflowId(UUID messageId, int replay) {
        return "webhook-" + messageId + (replay == 0 ? "" : "-replay-" + replay);
    }

    /**
     * Delivers a recorded message (or one more time, for a replay): the first attempt as soon as
     * the transaction that recorded it commits, the retries, if any, in a workflow.
     */
    void deliver(UUID tenantId, UUID messageId, int replay) {
        Delivery delivery = delivery(tenantId, messageId);
        if (!delivery.firstAttemptImmediate()) {
            startOrLeaveToSweeper(delivery, replay);
            return;
        }
        FirstAttempt firstAttempt = new FirstAttempt(delivery, replay, System.nanoTime());
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    submit(firstAttempt);
                }
            });
        } else {
            submit(firstAttempt);
        }
    }

    /** A first attempt waiting for its turn on the pool; it knows its message, so a shutdown can hand it over. */
    private final class FirstAttempt implements Runnable {

        private final Delivery delivery;
        private final int replay;
        private final long queuedAtNanos;

        private FirstAttempt(Delivery delivery, int replay, long queuedAtNanos) {
            this.delivery = delivery;
            this.replay = replay;
            this.queuedAtNanos = queuedAtNanos;
        }

        @Override
        public void run() {
            if (System.nanoTime() - queuedAtNanos > staleAfterNanos) {
                // The sweeper may take the message soon: Temporal's workflow id decides who sends it.
                startOrLeaveToSweeper(delivery, replay);
            } else {
                attemptFirst(delivery, replay);
            }
        }
    }

    /**
     * Starts the message's delivery workflow on the whole schedule (the sweeper's way); false when
     * it was started already or could not be (the sweeper tries again).
     */
    boolean redrive(UUID tenantId, UUID messageId, int replay) {
        return startOrLeaveToSweeper(delivery(tenantId, messageId), replay);
    }

    private Delivery delivery(UUID tenantId, UUID messageId) {
        return new Delivery(
                tenantId, messageId, tuning.delaysMs(), tuning.disableAfter().toMillis());
    }

    private void submit(FirstAttempt firstAttempt) {
        try {
            firstAttempts.execute(firstAttempt);
        } catch (RejectedExecutionException busy) {
            startOrLeaveToSweeper(firstAttempt.delivery, firstAttempt.replay);
        }
    }

    private void attemptFirst(Delivery delivery, int replay) {
        AttemptResult result;
        try {
            result = attempts.attempt(delivery.firstAttempt(System.currentTimeMillis()));
        } catch (RuntimeException e) {
            // The database, most likely: the workflow's attempt activity retries it.
            log.warn("First attempt of webhook message {} failed; its workflow retries it", delivery.messageId(), e);
            startOrLeaveToSweeper(delivery, replay);
            return;
        }
        if (!result.finished()) {
            startOrLeaveToSweeper(delivery.afterFirstAttempt(result.retryAfterMs()), replay);
        }
    }

    /** False when started already, or when it could not be: the message stays PENDING for the sweeper. */
    private boolean startOrLeaveToSweeper(Delivery delivery, int replay) {
        try {
            return start(delivery, replay);
        } catch (RuntimeException e) {
            log.warn("Could not start delivery of webhook message {}; the sweeper retries", delivery.messageId(), e);
            return false;
        }
    }

    private boolean start(Delivery delivery, int replay) {
        WebhookDeliveryWorkflow workflow = workflows.newWorkflowStub(
                WebhookDeliveryWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(workflowId(delivery.messageId(), replay))
                        .setTaskQueue(TaskQueues.WEBHOOKS)
                        .setWorkflowIdReusePolicy(
                                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
                        .setDisableEagerExecution(false)
                        .build());
        try {
            WorkflowClient.start(workflow::deliver, delivery);
            return true;
        } catch (WorkflowExecutionAlreadyStarted already) {
            return false;
        }
    }

    /**
     * Lets the attempts in flight finish (they are bounded by the request timeout) and hands those
     * still waiting to their workflows, so a restart does not leave them to the sweeper's grace.
     */
    @Override
    public void close() throws InterruptedException {
        firstAttempts.shutdown();
        List<Runnable> waiting = new ArrayList<>();
        firstAttempts.getQueue().drainTo(waiting);
        for (Runnable task : waiting) {
            FirstAttempt firstAttempt = (FirstAttempt) task;
            startOrLeaveToSweeper(firstAttempt.delivery, firstAttempt.replay);
        }
        firstAttempts.awaitTermination(tuning.requestTimeout().toSeconds() + 5, TimeUnit.SECONDS);
    }
}
