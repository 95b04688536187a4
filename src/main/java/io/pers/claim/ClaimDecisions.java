package io.pers.claim;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes the API request waiting for a claim's decision as soon as the decision is committed on
 * this instance; a decision made by another instance's worker is seen by polling the claims
 * table, which stays the record. The workflow starts eagerly on the instance that took the
 * request, so the wake is the usual path and the poll backs off (100 ms doubling to 1 s): at a
 * fixed 100 ms a claim under load read its row a dozen times while it waited.
 */
@Component
class ClaimDecisions {

    private static final long FIRST_POLL_MILLIS = 100;
    private static final long LONGEST_POLL_MILLIS = 1000;

    private final Map<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** Announces, once the surrounding transaction commits, that the claim is decided. */
    void decided(UUID claimId) {
        Runnable wake = () -> {
            CompletableFuture<Void> waiter = waiting.remove(claimId);
            if (waiter != null) {
                waiter.complete(null);
            }
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake.run();
                }
            });
        } else {
            wake.run();
        }
    }

    /** Waits until {@code isDecided} holds or the time is up; true when decided. */
    boolean await(UUID claimId, Duration timeout, BooleanSupplier isDecided) throws InterruptedException {
        CompletableFuture<Void> waiter = waiting.computeIfAbsent(claimId, id -> new CompletableFuture<>());
        Instant deadline = Instant.now().plus(timeout);
        long pollMillis = FIRST_POLL_MILLIS;
        try {
            while (!isDecided.getAsBoolean()) {
                long left = Duration.between(Instant.now(), deadline).toMillis();
                if (left <= 0) {
                    return false;
                }
                try {
                    waiter.get(Math.min(left, pollMillis), TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    pollMillis = Math.min(LONGEST_POLL_MILLIS, pollMillis * 2); // poll the table again
                }
            }
            return true;
        } finally {
            waiting.remove(claimId, waiter);
        }
    }
}
