package io.pers.stack;

import org.springframework.context.SmartLifecycle;

/**
 * Joins an embedded service started in the background when the context starts, before the web
 * server opens: the services start side by side with the rest of PERS, yet PERS reports ready
 * only with all of them up.
 */
final class AwaitOnStart implements SmartLifecycle {

    private final Runnable await;
    private volatile boolean running;

    AwaitOnStart(Runnable await) {
        this.await = await;
    }

    @Override
    public void start() {
        await.run();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server (whose phase is below the default) and the Temporal workers. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
