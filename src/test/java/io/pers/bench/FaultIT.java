package io.pers.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The load-and-fault proof at a small size (bench/faults.sh runs the full one): PERS as its own
 * process from the packaged jar, 300 signed Shopify orders with 10% redelivered, one SIGKILL and
 * restart, anvil paused 10 s and then stopped (restarted by PERS), the partner answering 500 for
 * 20 s. Zero lost, zero doubled, the ledger as the orders say, on chain equal to the ledger, every
 * webhook delivered with a valid signature.
 */
class FaultIT {

    @Test
    void everyOrderGivesOneClaimSettledOnceThroughKillsAndOutages() throws Exception {
        FaultRun.Plan plan = new FaultRun.Plan(
                300, 16, 10, 1, Duration.ofSeconds(10), Duration.ofSeconds(20), 20, Duration.ofMinutes(5));
        FaultRun.Report report = new FaultRun(plan).run();
        report.print();
        assertThat(report.acked()).isEqualTo(report.sent());
        assertThat(report.claims()).isEqualTo(plan.events());
        assertThat(report.lost()).isZero();
        assertThat(report.doubled()).isZero();
        assertThat(report.ledgerMismatches()).isZero();
        assertThat(report.onchainMismatches()).isZero();
        assertThat(report.partnerRefusals()).as("the partner outage was seen").isPositive();
        assertThat(report.webhookMessages()).isPositive();
        assertThat(report.webhooksMissing()).isZero();
        assertThat(report.badSignatures()).isZero();
        assertThat(report.claimsWithoutSettledWebhook()).isZero();
        assertThat(report.anvilRestarts()).isEqualTo(1);
        assertThat(report.holds()).isTrue();
    }
}
