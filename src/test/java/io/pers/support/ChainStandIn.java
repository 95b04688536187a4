package io.pers.support;

import io.pers.claim.SettlementPort;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Stands in for the chain at the settlement port for the tokens a test marks: they settle, fail,
 * or hang, as that test needs. Every other token goes to the real port (io.pers.chain): off-chain
 * unless the test bound it to a contract.
 */
public final class ChainStandIn implements SettlementPort {

    public enum Behaviour {
        SETTLE,
        FAIL,
        HANG_ONCE,
        /** Hangs the first attempt until released, then refuses every attempt. */
        HANG_THEN_FAIL,
        /** Hangs the first attempt until released, then settles (its worker outlived the workflow). */
        HANG_THEN_SETTLE;

        boolean hangs() {
            return this == HANG_ONCE || this == HANG_THEN_FAIL || this == HANG_THEN_SETTLE;
        }
    }

    private final SettlementPort real;
    private final ConcurrentHashMap<UUID, Behaviour> tokens = new ConcurrentHashMap<>();
    private final Set<UUID> settled = ConcurrentHashMap.newKeySet();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile CountDownLatch hanging = new CountDownLatch(1);
    private volatile CountDownLatch release = new CountDownLatch(1);

    ChainStandIn(SettlementPort real) {
        this.real = real;
    }

    /** Marks a token on-chain; a hanging behaviour arms a fresh hang for the test that asks. */
    public void onChain(UUID tokenId, Behaviour behaviour) {
        if (behaviour.hangs()) {
            hanging = new CountDownLatch(1);
            release = new CountDownLatch(1);
        }
        tokens.put(tokenId, behaviour);
    }

    /** Waits until a settlement is hanging (a worker is inside it). */
    public boolean awaitHanging(long seconds) throws InterruptedException {
        return hanging.await(seconds, TimeUnit.SECONDS);
    }

    /** Lets a hanging settlement end (it fails, as a worker that died would). */
    public void releaseHanging() {
        release.countDown();
    }

    public Set<UUID> settledEntries() {
        return settled;
    }

    public int attempts() {
        return attempts.get();
    }

    @Override
    public boolean queue(UUID claimId, Mint mint) {
        return tokens.containsKey(mint.tokenId()) || real.queue(claimId, mint);
    }

    @Override
    public boolean settle(UUID tenantId, UUID claimId, List<Mint> mints) {
        if (mints.stream().noneMatch(m -> tokens.containsKey(m.tokenId()))) {
            return real.settle(tenantId, claimId, mints);
        }
        attempts.incrementAndGet();
        for (Mint mint : mints) {
            switch (tokens.get(mint.tokenId())) {
                case FAIL -> throw new IllegalStateException("execution reverted: chain refused the mint");
                case HANG_ONCE -> {
                    tokens.put(mint.tokenId(), Behaviour.SETTLE);
                    hanging.countDown();
                    awaitQuietly(release);
                    throw new IllegalStateException("settlement interrupted");
                }
                case HANG_THEN_FAIL -> {
                    tokens.put(mint.tokenId(), Behaviour.FAIL);
                    hanging.countDown();
                    awaitQuietly(release);
                    throw new IllegalStateException("execution reverted: chain refused the mint");
                }
                case HANG_THEN_SETTLE -> {
                    tokens.put(mint.tokenId(), Behaviour.SETTLE);
                    hanging.countDown();
                    awaitQuietly(release);
                    settled.add(mint.entryId());
                }
                case SETTLE -> settled.add(mint.entryId());
            }
        }
        return true;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {
        @Bean
        @Primary
        ChainStandIn chainStandIn(@Qualifier("chainSettlement") SettlementPort real) {
            return new ChainStandIn(real);
        }
    }
}
