package io.pers.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load-and-fault proof at a small size (bench/faults.sh runs the full one, same code): PERS as
 * its own process from the packaged jar, 250 signed Shopify orders with 10% redelivered, one SIGKILL
 * and restart, anvil paused 5 s and then stopped (restarted by PERS's supervisor), the partner
 * answering 500 for 10 s. Zero lost, zero doubled, the ledger as the orders say, on chain equal to
 * the ledger, every webhook delivered with a valid signature. Every wait is on a condition with a
 * deadline; the timeouts below only stop a run that hangs.
 */
class FaultIT {

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void everyOrderGivesOneClaimSettledOnceThroughAKillAndOutages() throws Exception {
        FaultRun.Plan plan = new FaultRun.Plan(
                250, 16, 10, 1, Duration.ofSeconds(5), Duration.ofSeconds(10), 20, Duration.ofMinutes(8), "MINTED");
        FaultRun.Report report = new FaultRun(plan).run();
        report.print();
        assertThat(report.acked()).isEqualTo(report.sent());
        assertThat(report.unacked()).isZero();
        assertThat(report.claims()).isEqualTo(plan.events());
        assertThat(report.lost()).isZero();
        assertThat(report.doubled()).isZero();
        assertThat(report.ledgerMismatches()).isZero();
        assertThat(report.onchainMismatches()).isZero();
        assertThat(report.partnerRefusals()).as("the partner outage was seen").isPositive();
        assertThat(report.webhookMessages()).isPositive();
        assertThat(report.webhooksDelivered()).isGreaterThanOrEqualTo(report.webhookMessages());
        assertThat(report.webhooksMissing()).isZero();
        assertThat(report.badSignatures()).isZero();
        assertThat(report.claimsWithoutSettledWebhook()).isZero();
        assertThat(report.anvilRestarts()).isEqualTo(1);
        assertThat(report.holds()).isTrue();
    }

    /**
     * The same with the token in ANCHORED mode (one Merkle root per settlement window): PERS is
     * killed after it computed a window's root and before the chain took it (anvil paused
     * meanwhile), anvil is paused and stopped again later. Every customer's entitlement under the
     * newest root verifies on chain and equals the ledger, and each window was anchored once, with
     * the root the ledger computed for it.
     */
    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void anAnchoredTokenAnchorsEachWindowOnceThroughAKillMidAnchorAndOutages() throws Exception {
        FaultRun.Plan plan = new FaultRun.Plan(
                120, 16, 10, 1, Duration.ofSeconds(5), Duration.ofSeconds(5), 20, Duration.ofMinutes(8), "ANCHORED");
        FaultRun.Report report = new FaultRun(plan).run();
        report.print();
        assertThat(report.lost()).isZero();
        assertThat(report.doubled()).isZero();
        assertThat(report.claims()).isEqualTo(plan.events());
        assertThat(report.ledgerMismatches()).isZero();
        assertThat(report.onchainMismatches())
                .as("entitlements proven on chain = ledger")
                .isZero();
        assertThat(report.anchorMismatches())
                .as("one root per window, the ledger's")
                .isZero();
        assertThat(report.claimsWithoutSettledWebhook()).isZero();
        assertThat(report.holds()).isTrue();
    }
}
