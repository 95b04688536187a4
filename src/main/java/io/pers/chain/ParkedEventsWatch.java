package io.pers.chain;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Parked follower events, every tenant's, where operators look: the {@code chainFollower} health
 * component is {@code PARKED} while any wait (ordered after UP in application.yml, so the
 * application's own status stays UP: the follower goes on), with the contracts and counts; the
 * gauge {@code pers_chain_follower_parked_events{chain, contract}} is refreshed every few seconds.
 */
@Component("chainFollowerHealthIndicator")
class ParkedEventsWatch implements HealthIndicator {

    static final Status PARKED = new Status("PARKED", "Follower events wait for an operator");

    private static final long REFRESH_MS = 5_000;

    private record Contract(long chainId, String address) {}

    private final ParkedEvents parked;
    private final MeterRegistry meters;
    private final Map<Contract, AtomicLong> gauges = new ConcurrentHashMap<>();

    ParkedEventsWatch(ParkedEvents parked, MeterRegistry meters) {
        this.parked = parked;
        this.meters = meters;
    }

    @Override
    public Health health() {
        List<ParkedEvents.Count> counts = parked.counts();
        long total = counts.stream().mapToLong(ParkedEvents.Count::parked).sum();
        return Health.status(total == 0 ? Status.UP : PARKED)
                .withDetail("parkedEvents", total)
                .withDetail("contracts", counts)
                .build();
    }

    @Scheduled(fixedDelay = REFRESH_MS, initialDelay = 0)
    void refreshGauges() {
        Map<Contract, Long> now = new ConcurrentHashMap<>();
        parked.counts().forEach(c -> now.put(new Contract(c.chainId(), c.contractAddress()), c.parked()));
        // A contract whose events were all resolved drops out of the counts: its gauge goes to 0.
        gauges.forEach((contract, gauge) -> gauge.set(now.getOrDefault(contract, 0L)));
        now.forEach((contract, count) ->
                gauges.computeIfAbsent(contract, this::gauge).set(count));
    }

    private AtomicLong gauge(Contract contract) {
        AtomicLong count = new AtomicLong();
        Gauge.builder("pers.chain.follower.parked.events", count, AtomicLong::get)
                .description("Follower events that could not be applied and wait for an operator, per contract")
                .tag("chain", String.valueOf(contract.chainId()))
                .tag("contract", contract.address())
                .register(meters);
        return count;
    }
}
