package io.pers.chain;

import io.pers.claim.SettlementPort;
import io.pers.tenant.TenantContext;
import io.pers.workflow.TaskQueues;
import io.pers.workflow.settlement.Batching;
import io.pers.workflow.settlement.SettlementTuning;
import io.pers.workflow.settlement.SettlementWorkflow;
import io.pers.workflow.settlement.Settler;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Settlement of tokens bound to a contract: a claim's mints are queued (once, by ledger entry) for
 * their contract's SettlementWorkflow, and the claim's settle step waits for their outcome. A token
 * without a binding is off-chain: its claim completes at mint.
 */
@Component
class ChainSettlement implements SettlementPort, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ChainSettlement.class);

    /**
     * A settler gets at most one wake signal per interval: the first wake after a quiet interval goes
     * out at once, later ones are gathered until the interval is over and go out as one.
     */
    private static final Duration WAKE_INTERVAL = Duration.ofSeconds(1);

    private final ChainContracts contracts;
    private final Custody custody;
    private final SettlementQueue queue;
    private final WorkflowClient workflows;
    private final SettlementTuning tuning;
    private final TransactionTemplate tx;
    private final SettlementWaiters waiters;
    /** A contract's mode never changes: looked up once. */
    private final Map<UUID, ChainContracts.Mode> modes = new ConcurrentHashMap<>();

    private final Map<Settler, Integer> pendingWakes = new ConcurrentHashMap<>();
    private final Map<Settler, Instant> lastSignalled = new ConcurrentHashMap<>();
    private final ScheduledExecutorService waker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "settler-waker");
        thread.setDaemon(true);
        return thread;
    });

    ChainSettlement(
            ChainContracts contracts,
            Custody custody,
            SettlementQueue queue,
            WorkflowClient workflows,
            SettlementTuning tuning,
            TransactionTemplate tx,
            SettlementWaiters waiters) {
        this.contracts = contracts;
        this.custody = custody;
        this.queue = queue;
        this.workflows = workflows;
        this.tuning = tuning;
        this.tx = tx;
        this.waiters = waiters;
    }

    @Override
    public boolean queue(UUID claimId, Mint mint) {
        return contracts
                .target(mint.tokenId(), mint.testnet())
                .map(target -> {
                    queue.enqueue(
                            mintItem(target, mint.entryId(), Custody.OwnerType.USER, mint.userId(), mint.amount()),
                            claimId,
                            target.contractId());
                    return true;
                })
                .orElse(false);
    }

    /**
     * A mint to an owner's address: to a key PERS derived (custodial) an ERC-1155 skips the
     * acceptance call (contracts/README.md); to an address of the owner's own it keeps it.
     */
    SettlementQueue.Item mintItem(
            ChainContracts.Target target, UUID entryId, Custody.OwnerType type, UUID ownerId, BigInteger amount) {
        Custody.WalletAddress to = custody.walletAddressOf(type, ownerId);
        SettlementQueue.Kind kind = target.standard() == ChainContracts.Standard.ERC1155 && to.custodial()
                ? SettlementQueue.Kind.CUSTODIAL_MINT
                : SettlementQueue.Kind.MINT;
        return new SettlementQueue.Item(entryId, kind, null, to.address(), target.onchainId(), amount);
    }

    /**
     * Queues the mints and leaves the step waiting for them without holding a worker: its task
     * token goes to {@link SettlementWaiters} in the transaction that queues them, and the settler
     * completes the step once the items are decided (SETTLED: the claim is settled first; an item the contract refused
     * fails the step for good, and the claim is compensated). Items already decided end the step
     * here. Items no batch took within claim-give-up are withdrawn and the claim fails
     * (compensated); items in a batch are waited for, since their transaction may still be mined.
     * A step no settler completed times out and is retried, which looks again.
     */
    @Override
    public boolean settle(UUID tenantId, UUID claimId, List<Mint> mints) {
        ActivityExecutionContext step = Activity.getExecutionContext();
        byte[] token = step.getTaskToken();
        Set<Settler> settlers = TenantContext.callAs(
                tenantId,
                () -> tx.execute(s -> {
                    Set<Settler> queued = enqueue(tenantId, claimId, mints);
                    waiters.await(claimId, token);
                    return queued;
                }));
        // Read after the token is committed: a settler deciding the claim from now on completes it.
        List<SettlementQueue.Outcome> outcomes = TenantContext.callAs(tenantId, () -> queue.outcomes(claimId));
        Optional<String> refused = outcomes.stream()
                .filter(o -> o.status().equals("FAILED"))
                .map(SettlementQueue.Outcome::failure)
                .findFirst();
        boolean settled = outcomes.stream().allMatch(o -> o.status().equals("SETTLED"));
        boolean withdrawn = !settled
                && refused.isEmpty()
                && waitedTooLong(tenantId, claimId)
                && TenantContext.callAs(tenantId, () -> tx.execute(s -> queue.withdraw(claimId)));
        if (settled || refused.isPresent() || withdrawn) {
            if (!TenantContext.callAs(tenantId, () -> waiters.withdraw(claimId, token))) {
                step.doNotCompleteOnReturn(); // a settler took the token: it completes the step
                return false;
            }
            if (refused.isPresent()) {
                throw ApplicationFailure.newNonRetryableFailure(refused.get(), "SettlementRefused");
            }
            if (withdrawn) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "No settler took the claim's mints within " + tuning.claimGiveUp() + "; withdrawn",
                        "SettlementWithdrawn");
            }
            return true;
        }
        settlers.forEach(this::wake);
        step.doNotCompleteOnReturn();
        return false;
    }

    private boolean waitedTooLong(UUID tenantId, UUID claimId) {
        return TenantContext.callAs(tenantId, () -> queue.enqueuedAt(claimId))
                .map(at -> at.toInstant().plus(tuning.claimGiveUp()).isBefore(Instant.now()))
                .orElse(false);
    }

    /** Claims minted before their mints were queued in the mint's transaction are queued here. */
    private Set<Settler> enqueue(UUID tenantId, UUID claimId, List<Mint> mints) {
        Set<Settler> settlers = new LinkedHashSet<>();
        for (Mint mint : mints) {
            if (!queue(claimId, mint)) {
                throw new IllegalStateException("Token " + mint.tokenId() + " is not bound");
            }
            settlers.add(new Settler(
                    tenantId, queue.placed(mint.entryId()).orElseThrow().contractId()));
        }
        return settlers;
    }

    /** Wakes the settler once the current transaction commits (its items are visible then). */
    void wakeAfterCommit(Settler settler) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wake(settler);
            }
        });
    }

    /**
     * Wakes the settler at most once per {@link #WAKE_INTERVAL}, the wakes gathered meanwhile going
     * out as one signal carrying their count. A settler woken by every ledger post and every waiting
     * claim would get hundreds of signals a second, and a workflow that receives a signal while it
     * completes or continues as new is refused by the server and replays: under load it never would
     * (measured at 4 signals a second: still refused now and then).
     */
    void wake(Settler settler) {
        if (pendingWakes.merge(settler, 1, Integer::sum) == 1) {
            Instant last = lastSignalled.get(settler);
            long delay = last == null
                    ? 0
                    : Math.max(
                            0,
                            Duration.between(Instant.now(), last.plus(WAKE_INTERVAL))
                                    .toMillis());
            waker.schedule(() -> signal(settler), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void signal(Settler settler) {
        lastSignalled.put(settler, Instant.now());
        int wakes = pendingWakes.remove(settler);
        try {
            try {
                signalWithStart(settler, wakes);
            } catch (WorkflowExecutionAlreadyStarted startedMeanwhile) {
                // Another instance started it between our look and our start (the embedded test
                // server does not make signal-with-start atomic): it runs now, a second try signals it.
                signalWithStart(settler, wakes);
            }
        } catch (RuntimeException e) {
            // The items are durable: a waiting claim's next nudge or the sweeper wakes it again.
            log.warn("Could not wake settler {}: {}", settler.workflowId(), e.toString());
        }
    }

    /** Signal-with-start: the settler's one workflow takes the items, started if it is not running. */
    private void signalWithStart(Settler settler, int wakes) {
        SettlementWorkflow workflow = workflows.newWorkflowStub(
                SettlementWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(settler.workflowId())
                        .setTaskQueue(TaskQueues.SETTLEMENT)
                        .build());
        BatchRequest request = workflows.newSignalWithStartRequest();
        request.add(workflow::run, settler, batching(settler));
        request.add(workflow::enqueued, wakes);
        workflows.signalWithStart(request);
    }

    /** An ANCHORED contract's batches are its windows: one at a time, of the window's length and size. */
    private Batching batching(Settler settler) {
        ChainContracts.Mode mode = modes.computeIfAbsent(
                settler.contractId(),
                id -> TenantContext.callAs(
                        settler.tenantId(), () -> contracts.find(id).mode()));
        return mode == ChainContracts.Mode.ANCHORED ? tuning.anchored() : tuning.batch();
    }

    @Override
    public void destroy() {
        waker.shutdownNow();
    }
}
