package io.pers.event;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A background job that is woken by the commits that give it work instead of looking for work
 * twice a second. Woken, it runs at once, but never sooner than {@code interval} after its last
 * run ended (a burst of commits makes one run per interval, as a fixed-delay schedule would). For
 * an {@code idleInterval} after the last wake-up it keeps running every {@code interval} (work it
 * could not take yet, behind a transaction still running, is taken then); after that, with nothing
 * woken, it runs every {@code idleInterval}, which still finds writes no wake-up announced (another
 * instance's, or made by hand). An idle service thus costs a run every few seconds per job, not
 * two a second.
 *
 * <p>Its {@link Owner} starts and stops it with the application: it stops before the database
 * pool closes, after the run in progress.
 */
public final class WokenJob {

    /** A bean that runs a WokenJob: the job starts and stops with the application context. */
    public interface Owner extends SmartLifecycle {

        WokenJob wokenJob();

        @Override
        default void start() {
            wokenJob().start();
        }

        @Override
        default void stop() {
            wokenJob().stop();
        }

        @Override
        default boolean isRunning() {
            return wokenJob().isRunning();
        }
    }

    private static final Logger log = LoggerFactory.getLogger(WokenJob.class);

    private final String name;
    private final long intervalNanos;
    private final long idleIntervalNanos;
    private final Runnable job;
    private final Object signal = new Object();
    private boolean stopping;
    private long lastWokenNanos;
    private Thread thread;

    public WokenJob(String name, Duration interval, Duration idleInterval, Runnable job) {
        if (idleInterval.compareTo(interval) < 0) {
            throw new IllegalArgumentException(name + ": the idle interval is shorter than the interval");
        }
        this.name = name;
        this.intervalNanos = interval.toNanos();
        this.idleIntervalNanos = idleInterval.toNanos();
        this.job = job;
        this.lastWokenNanos = System.nanoTime() - idleIntervalNanos; // not hot until woken
    }

    /**
     * Wakes the job once the current transaction commits (not if it rolls back); at once without
     * one. A transaction that asks many times (a batch of events) registers one wake-up.
     */
    public void wakeAfterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            wake();
        } else if (!TransactionSynchronizationManager.hasResource(this)) {
            TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake();
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(WokenJob.this);
                }
            });
        }
    }

    public void wake() {
        synchronized (signal) {
            lastWokenNanos = System.nanoTime();
            signal.notifyAll();
        }
    }

    private void loop() {
        do {
            try {
                job.run();
            } catch (RuntimeException | Error e) { // as a scheduler would: the job runs again
                log.warn("{} failed; it runs again", name, e);
            }
        } while (awaitNextRun(System.nanoTime()));
    }

    /**
     * Waits the interval after the end of the last run if woken within the idle interval, the idle
     * interval otherwise (a wake-up meanwhile cuts it short); false when stopping.
     */
    private boolean awaitNextRun(long ranAt) {
        synchronized (signal) {
            try {
                while (!stopping) {
                    long now = System.nanoTime();
                    boolean hot = now - lastWokenNanos < idleIntervalNanos;
                    long due = ranAt + (hot ? intervalNanos : idleIntervalNanos);
                    if (now - due >= 0) {
                        return true;
                    }
                    TimeUnit.NANOSECONDS.timedWait(signal, due - now);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    public void start() {
        synchronized (signal) {
            stopping = false;
            thread = new Thread(this::loop, name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops after the run in progress, if any. */
    public void stop() {
        Thread running;
        synchronized (signal) {
            stopping = true;
            signal.notifyAll();
            running = thread;
            thread = null;
        }
        if (running != null) {
            try {
                running.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** False once asked to stop: a job with much to do checks it between batches. */
    public boolean isRunning() {
        synchronized (signal) {
            return thread != null;
        }
    }
}
