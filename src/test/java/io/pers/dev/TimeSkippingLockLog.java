package io.pers.dev;

import io.temporal.testserver.TestServer;
import java.lang.reflect.Field;
import java.util.LinkedList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the embedded Temporal test server's time-skipping lock log from growing without end.
 *
 * <p>The test server (1.38) appends an event to a {@code LinkedList} on every time-skipping lock
 * and unlock, and removes only some of them: every workflow task, activity and timer leaves
 * entries behind, and each unlock by handle scans the list from its head. In a service that runs
 * for hours the list holds millions of entries, memory grows, and claims slow down as it grows
 * (7.6% of all CPU after 40 s of the claims benchmark). The log only feeds a diagnostic message, so
 * it is replaced by one that keeps nothing. A real Temporal cluster (docker-compose) has no such
 * log; should a future test server rename these fields, this logs a warning and changes nothing.
 */
final class TimeSkippingLockLog {

    private static final Logger log = LoggerFactory.getLogger(TimeSkippingLockLog.class);

    private TimeSkippingLockLog() {}

    /** @return whether the log was replaced */
    static boolean disable(TestServer.PortBoundTestServer server) {
        try {
            Object starter = read(server, "testServicesStarter");
            Object timer = read(starter, "selfAdvancingTimer");
            Field events = timer.getClass().getDeclaredField("lockEvents");
            events.setAccessible(true);
            // Handles taken before the swap still unlock: a removal from the new log always succeeds.
            events.set(timer, new KeepNothing());
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn(
                    "Embedded Temporal: could not disable the time-skipping lock log ({}); it grows with every"
                            + " workflow task, so restart a long-running embedded PERS now and then",
                    e.toString());
            return false;
        }
    }

    private static Object read(Object owner, String name) throws ReflectiveOperationException {
        Field field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }

    /** Accepts every event and forgets it; a removal always finds its event. */
    private static final class KeepNothing extends LinkedList<Object> {
        @Override
        public boolean add(Object event) {
            return true;
        }

        @Override
        public boolean remove(Object event) {
            return true;
        }
    }
}
