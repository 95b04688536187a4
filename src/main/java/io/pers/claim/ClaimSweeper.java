package io.pers.claim;

import io.pers.workflow.claim.ClaimRef;
import io.pers.workflow.claim.ClaimTuning;
import io.pers.workflow.reversal.ReversalRef;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Nothing lost: re-drives every claim left PENDING or PENDING_SETTLEMENT, or COMPLETED or SETTLED
 * without its last step (claim.completed) recorded, and every refund's reversal left PENDING, for
 * longer than it should take, by starting its workflow again under the same id. A workflow still running
 * makes that a no-op; one lost with a restarted Temporal test server starts over, and its
 * idempotent steps find what was already done.
 */
@Component
class ClaimSweeper {

    private static final Logger log = LoggerFactory.getLogger(ClaimSweeper.class);

    private final JdbcClient db;
    private final ClaimIntake intake;
    private final ClaimReversalIntake reversals;
    private final ClaimTuning tuning;

    ClaimSweeper(JdbcClient db, ClaimIntake intake, ClaimReversalIntake reversals, ClaimTuning tuning) {
        this.db = db;
        this.intake = intake;
        this.reversals = reversals;
        this.tuning = tuning;
    }

    private record Unfinished(UUID claimId, UUID tenantId, String workflowId, UUID campaignId) {}

    private record UnfinishedReversal(ReversalRef ref, String workflowId) {}

    @Scheduled(fixedDelayString = "${pers.workflows.claim.sweeper.interval}")
    void sweep() {
        db.sql("select * from unfinished_claims(?::interval, ?)")
                .params(
                        tuning.sweeper().olderThan().toSeconds() + " seconds",
                        tuning.sweeper().batch())
                .query((rs, i) -> new Unfinished(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getString(3),
                        rs.getObject(4, UUID.class)))
                .list()
                .forEach(this::redrive);
        db.sql("select * from unfinished_claim_reversals(?::interval, ?)")
                .params(
                        tuning.sweeper().olderThan().toSeconds() + " seconds",
                        tuning.sweeper().batch())
                .query((rs, i) -> new UnfinishedReversal(
                        new ReversalRef(rs.getObject(2, UUID.class), rs.getObject(1, UUID.class)), rs.getString(3)))
                .list()
                .forEach(this::redrive);
    }

    private void redrive(UnfinishedReversal reversal) {
        try {
            if (reversals.start(reversal.ref(), reversal.workflowId())) {
                log.info("Re-drove unfinished reversal {}", reversal.ref().reversalId());
            }
        } catch (RuntimeException e) {
            log.warn(
                    "Could not re-drive reversal {}; the next sweep retries",
                    reversal.ref().reversalId(),
                    e);
        }
    }

    private void redrive(Unfinished claim) {
        try {
            if (intake.start(new ClaimRef(claim.tenantId(), claim.claimId()), claim.workflowId(), claim.campaignId())) {
                log.info("Re-drove unfinished claim {} ({})", claim.claimId(), claim.workflowId());
            }
        } catch (RuntimeException e) {
            log.warn("Could not re-drive claim {}; the next sweep retries", claim.claimId(), e);
        }
    }
}
