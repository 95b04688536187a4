package io.pers.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The idle interval is far longer than any wait here (a minute), so a run seen within seconds
 * was a wake-up's, and none seen means none was asked for.
 */
class WokenJobTest {

    private final AtomicInteger runs = new AtomicInteger();
    private final WokenJob job =
            new WokenJob("test-job", Duration.ofMillis(20), Duration.ofMinutes(1), runs::incrementAndGet);

    @AfterEach
    void stop() {
        job.stop();
        TransactionSynchronizationManager.clear();
    }

    @Test
    void runsOnceAtStartAndThenWhenWoken() {
        job.start();
        await().until(() -> runs.get() == 1);

        job.wake();

        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 2);
    }

    @Test
    void aWakeUpInsideATransactionCountsOnlyOnceItCommits() throws InterruptedException {
        job.start();
        await().until(() -> runs.get() == 1);
        TransactionSynchronizationManager.initSynchronization();
        job.wakeAfterCommit();
        var rolledBack = TransactionSynchronizationManager.getSynchronizations();
        TransactionSynchronizationManager.clearSynchronization();
        rolledBack.forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK));
        Thread.sleep(500); // a wake-up would have made a run within 20 ms
        assertThat(runs.get()).as("a rolled back transaction wakes nothing").isEqualTo(1);

        TransactionSynchronizationManager.initSynchronization();
        job.wakeAfterCommit();
        job.wakeAfterCommit();
        var committed = TransactionSynchronizationManager.getSynchronizations();
        TransactionSynchronizationManager.clearSynchronization();
        assertThat(committed)
                .as("one wake-up per transaction, however often asked")
                .hasSize(1);
        committed.forEach(TransactionSynchronization::afterCommit);
        committed.forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));

        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() > 1);
    }

    @Test
    void stopsAfterTheRunInProgress() throws InterruptedException {
        job.start();
        await().until(() -> runs.get() == 1);

        job.stop();

        assertThat(job.isRunning()).isFalse();
        int stoppedAt = runs.get();
        job.wake();
        Thread.sleep(500); // a running job would have run within 20 ms
        assertThat(runs.get()).isEqualTo(stoppedAt);
    }

    @Test
    void aJobThatFailsRunsAgain() {
        AtomicInteger attempts = new AtomicInteger();
        WokenJob failing = new WokenJob("failing-job", Duration.ofMillis(20), Duration.ofMinutes(1), () -> {
            attempts.incrementAndGet();
            throw new StackOverflowError("a bug, not the end of the job");
        });
        failing.start();
        try {
            await().until(() -> attempts.get() == 1);
            failing.wake();
            await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 2);
            assertThat(failing.isRunning()).isTrue();
        } finally {
            failing.stop();
        }
    }
}
