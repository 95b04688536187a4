package io.pers.chain;

import io.pers.claim.SettlementPort;
import io.pers.tenant.TenantContext;
import io.temporal.client.ActivityCompletionClient;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims whose settle step waits for their items without holding a worker: the step leaves its
 * activity's task token here and returns without completing (Temporal's asynchronous completion);
 * the settler completes it once the claim's items are decided, from whichever instance runs the
 * settler. Exactly one side completes a step: whoever deletes its row. A settler that dies between
 * recording a batch's outcome and completing its claims completes them when its confirm step is
 * retried; a token lost otherwise ends in the step's start-to-close timeout, and the retried step
 * finds the items decided at once.
 */
@Component
class SettlementWaiters {

    private static final Logger log = LoggerFactory.getLogger(SettlementWaiters.class);

    private final JdbcClient db;
    private final TransactionTemplate tx;
    private final SettlementPort.SettledClaims settledClaims;
    private final ActivityCompletionClient completions;

    SettlementWaiters(
            JdbcClient db,
            TransactionTemplate tx,
            SettlementPort.SettledClaims settledClaims,
            WorkflowClient workflows) {
        this.db = db;
        this.tx = tx;
        this.settledClaims = settledClaims;
        this.completions = workflows.newActivityCompletionClient();
    }

    /** Leaves the step's token; a later attempt's replaces an earlier one's. In the tenant's transaction. */
    void await(UUID claimId, byte[] taskToken) {
        db.sql("""
                        insert into settlement_waiters (claim_id, tenant_id, task_token) values (?, ?, ?)
                        on conflict (claim_id) do update set task_token = excluded.task_token, created_at = now()""").params(claimId, TenantContext.requireTenantId(), taskToken).update();
    }

    /** Takes the step's own row back: false when a settler took it first (and so completes the step). */
    boolean withdraw(UUID claimId, byte[] taskToken) {
        return db.sql("delete from settlement_waiters where claim_id = ? and task_token = ?")
                        .params(claimId, taskToken)
                        .update()
                == 1;
    }

    /**
     * Completes the steps of the batch's claims that are decided now: every item SETTLED (the claim
     * is made SETTLED in the same transaction that takes its step, before the step completes), or
     * one FAILED (the step fails for good, and the claim is compensated). Call in the batch's tenant
     * after the outcome is committed, in a transaction of its own: a step that registered before
     * that commit is seen here, one that registers after it sees the outcome itself.
     */
    void release(UUID batchId) {
        List<Decided> decided = tx.execute(s -> take(batchId));
        for (Decided step : decided) {
            try {
                if (step.failure() == null) {
                    completions.complete(step.taskToken(), null);
                } else {
                    completions.completeExceptionally(
                            step.taskToken(),
                            ApplicationFailure.newNonRetryableFailure(step.failure(), "SettlementRefused"));
                }
            } catch (ActivityCompletionException e) {
                // That attempt is gone (timed out): its retry finds the items decided and ends at once.
                log.debug("Settle step of batch {} no longer waits: {}", batchId, e.toString());
            }
        }
    }

    private List<Decided> take(UUID batchId) {
        List<Decided> decided = db.sql("""
                        delete from settlement_waiters w
                         where w.claim_id in (select claim_id from settlement_items where batch_id = ?)
                           and (exists (select 1 from settlement_items i where i.claim_id = w.claim_id and i.status = 'FAILED')
                                or not exists (select 1 from settlement_items i
                                                where i.claim_id = w.claim_id and i.status <> 'SETTLED'))
                        returning w.claim_id, w.task_token,
                                  (select failure from settlement_items i
                                    where i.claim_id = w.claim_id and i.status = 'FAILED' limit 1)""")
                .param(batchId)
                .query((rs, i) -> new Decided(rs.getObject(1, UUID.class), rs.getBytes(2), rs.getString(3)))
                .list();
        decided.stream().filter(step -> step.failure() == null).forEach(step -> settledClaims.settled(step.claimId()));
        return decided;
    }

    private record Decided(UUID claimId, byte[] taskToken, String failure) {}
}
