package io.pers.chain;

import io.pers.tenant.TenantContext;
import io.pers.workflow.settlement.BatchRef;
import io.pers.workflow.settlement.Sent;
import io.pers.workflow.settlement.SettlementActivities;
import io.pers.workflow.settlement.SettlementTuning;
import io.temporal.failure.ApplicationFailure;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The settler's steps against the chain and the settlement tables. Every signed transaction is
 * stored before it leaves, and a step first looks at what is stored: a crash anywhere costs at most
 * a repeated broadcast of the same bytes, never a second mint.
 */
@Component
class SettlementActivitiesImpl implements SettlementActivities {

    private static final BigInteger GWEI = BigInteger.TEN.pow(9);
    /**
     * What the estimate of a batch says when one of its stored transactions already ran: the batch
     * id executed, or the window anchored (WindowOutOfOrder: the contract is past it).
     */
    private static final Set<String> RAN_ALREADY = Set.of("BatchAlreadyExecuted", "WindowOutOfOrder");

    private final SettlementQueue queue;
    private final ChainContracts contracts;
    private final Chains chains;
    private final ChainNodes nodes;
    private final SettlementKeys settlementKeys;
    private final SettlementTuning tuning;
    private final TransactionTemplate tx;
    private final SettlementMetrics metrics;
    private final SettlerNonces nonces;
    private final SettlementWaiters waiters;
    private final AnchorWindows windows;

    SettlementActivitiesImpl(
            SettlementQueue queue,
            ChainContracts contracts,
            Chains chains,
            ChainNodes nodes,
            SettlementKeys settlementKeys,
            SettlementTuning tuning,
            TransactionTemplate tx,
            SettlementMetrics metrics,
            SettlerNonces nonces,
            SettlementWaiters waiters,
            AnchorWindows windows) {
        this.windows = windows;
        this.metrics = metrics;
        this.nonces = nonces;
        this.waiters = waiters;
        this.queue = queue;
        this.contracts = contracts;
        this.chains = chains;
        this.nodes = nodes;
        this.settlementKeys = settlementKeys;
        this.tuning = tuning;
        this.tx = tx;
    }

    @Override
    public int take(BatchRef batch, int maxItems) {
        UUID contractId = batch.settler().contractId();
        return inTransaction(batch, () -> {
            if (!anchored(contractId)) {
                return queue.take(contractId, batch.batchId(), batch.runId(), maxItems);
            }
            List<SettlementQueue.Item> items = queue.takeWindow(contractId, batch.batchId(), batch.runId(), maxItems);
            return items.isEmpty()
                    ? 0
                    : windows.open(contractId, batch.batchId(), items).size();
        });
    }

    private boolean anchored(UUID contractId) {
        return contracts.find(contractId).mode() == ChainContracts.Mode.ANCHORED;
    }

    @Override
    public Sent send(BatchRef batch) {
        return TenantContext.callAs(batch.settler().tenantId(), () -> {
            Context context = context(batch);
            Optional<Sent> known = mined(context);
            if (known.isPresent()) {
                return known.get();
            }
            List<SettlementQueue.Stored> stored = queue.transactions(batch.batchId());
            if (stored.isEmpty()) {
                return signAndBroadcast(context, null, BigInteger.ZERO, BigInteger.ZERO);
            }
            SettlementQueue.Stored latest = stored.get(stored.size() - 1);
            return broadcastOrResync(context, latest);
        });
    }

    @Override
    public Sent awaitMined(BatchRef batch) {
        return TenantContext.callAs(batch.settler().tenantId(), () -> {
            Context context = context(batch);
            Instant deadline = Instant.now().plus(tuning.mineTimeout());
            while (Instant.now().isBefore(deadline)) {
                Optional<Sent> mined = mined(context);
                if (mined.isPresent()) {
                    return mined.get();
                }
                pause();
            }
            return Sent.of(Sent.Status.PENDING);
        });
    }

    @Override
    public Sent bumpFee(BatchRef batch) {
        return TenantContext.callAs(batch.settler().tenantId(), () -> {
            Context context = context(batch);
            Optional<Sent> mined = mined(context);
            if (mined.isPresent()) {
                return mined.get();
            }
            List<SettlementQueue.Stored> stored = queue.transactions(batch.batchId());
            SettlementQueue.Stored latest = stored.get(stored.size() - 1);
            BigInteger factor =
                    BigInteger.valueOf(100 + context.chain().feePolicy().bumpPercent());
            BigInteger tip = latest.tip().multiply(factor).divide(BigInteger.valueOf(100));
            BigInteger maxFee = latest.maxFee().multiply(factor).divide(BigInteger.valueOf(100));
            Long capGwei = context.chain().feePolicy().maxFeeGwei();
            if (capGwei != null && maxFee.compareTo(GWEI.multiply(BigInteger.valueOf(capGwei))) > 0) {
                return broadcastOrResync(context, latest); // at the cap: wait on, at the same fees
            }
            return replace(context, latest, tip.max(BigInteger.ONE), maxFee);
        });
    }

    /**
     * The stuck transaction again at higher fees: the same call, nonce and gas limit, with no new
     * estimate. An estimate that reverted here used to end the batch as refused while the stuck
     * transaction could still be mined, and its split halves went out at new nonces: the same items
     * twice. A replacement that would revert now is mined and reverts, and its receipt says so.
     */
    private Sent replace(Context context, SettlementQueue.Stored latest, BigInteger tip, BigInteger maxFee) {
        ChainClient.SignedTransaction signed =
                context.client().resign(settlementKeys.settler(), latest.raw(), tip, maxFee);
        tx.executeWithoutResult(s -> queue.store(context.batch().batchId(), signed));
        return broadcastOrResync(
                context,
                new SettlementQueue.Stored(signed.hash(), signed.raw(), signed.nonce(), signed.tip(), signed.maxFee()));
    }

    @Override
    public boolean confirm(BatchRef batch) {
        return TenantContext.callAs(batch.settler().tenantId(), () -> {
            Context context = context(batch);
            if ("SETTLED".equals(queue.batchStatus(batch.batchId()))) {
                waiters.release(batch.batchId()); // a retry after the outcome was recorded
                return true;
            }
            Optional<TransactionReceipt> receipt = receipt(context);
            if (receipt.isEmpty()) {
                return false;
            }
            BigInteger needed = receipt.get()
                    .getBlockNumber()
                    .add(BigInteger.valueOf(context.chain().confirmations() - 1L));
            Instant deadline = Instant.now().plus(tuning.confirmTimeout());
            while (context.client().blockNumber().compareTo(needed) < 0) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(
                            "Waiting for " + context.chain().confirmations() + " confirmations");
                }
                pause();
            }
            // Again after the confirmations: a reorg meanwhile may have dropped or moved it.
            Optional<TransactionReceipt> again =
                    context.client().receipt(receipt.get().getTransactionHash());
            if (again.isEmpty()
                    || !again.get().getBlockHash().equals(receipt.get().getBlockHash())
                    || !again.get().isStatusOK()) {
                return false;
            }
            tx.executeWithoutResult(s -> {
                queue.settled(batch.batchId(), again.get().getTransactionHash());
                windows.anchored(batch.batchId(), again.get().getTransactionHash());
            });
            waiters.release(batch.batchId());
            metrics.gasSpent(
                    context.chain().id(),
                    context.contract().address(),
                    again.get().getGasUsed());
            return true;
        });
    }

    @Override
    public int split(BatchRef batch, BatchRef first, BatchRef second) {
        refuseForAnchors(batch);
        return inTransaction(batch, () -> {
            if (!"SPLIT".equals(queue.batchStatus(batch.batchId()))) {
                int size = queue.items(batch.batchId()).size();
                queue.split(
                        batch.settler().contractId(),
                        batch.batchId(),
                        batch.runId(),
                        first.batchId(),
                        second.batchId(),
                        size / 2);
            }
            return queue.items(first.batchId()).size();
        });
    }

    @Override
    public void fail(BatchRef batch, String reason) {
        refuseForAnchors(batch);
        inTransaction(batch, () -> {
            queue.failed(batch.batchId(), reason == null ? "the contract refused the mint" : reason);
            return null;
        });
        TenantContext.runAs(batch.settler().tenantId(), () -> waiters.release(batch.batchId()));
    }

    /**
     * A window is one root over all its items: it is not split, and the contract takes the next
     * window number only after it, so it is never given up either. A refused anchor (the settler
     * lost MINTER_ROLE, the contract was not upgraded) stops the contract's settlement, items kept,
     * until the cause is fixed; the settler then sends the same root again.
     */
    private void refuseForAnchors(BatchRef batch) {
        if (TenantContext.callAs(
                batch.settler().tenantId(), () -> anchored(batch.settler().contractId()))) {
            throw ApplicationFailure.newNonRetryableFailure(
                    "The contract refused anchor window of batch " + batch.batchId() + "; nothing is dropped",
                    "AnchorRefused");
        }
    }

    private record Context(BatchRef batch, ChainContracts.Contract contract, Chains.Chain chain, ChainClient client) {}

    private Context context(BatchRef batch) {
        ChainContracts.Contract contract = contracts.find(batch.settler().contractId());
        Chains.Chain chain = chains.find(contract.chainId());
        return new Context(batch, contract, chain, nodes.client(chain));
    }

    /**
     * The mined transaction of the batch, when one of those stored is mined; a successful one first:
     * a copy signed at another nonce that lands second reverts (BatchAlreadyExecuted) beside it.
     */
    private Optional<TransactionReceipt> receipt(Context context) {
        Optional<TransactionReceipt> reverted = Optional.empty();
        for (SettlementQueue.Stored stored : queue.transactions(context.batch().batchId())) {
            Optional<TransactionReceipt> receipt = context.client().receipt(stored.hash());
            if (receipt.isPresent() && receipt.get().isStatusOK()) {
                return receipt;
            }
            reverted = reverted.or(() -> receipt);
        }
        return reverted;
    }

    /**
     * The batch's outcome on chain, if one of its transactions is mined. A reverted anchor is not
     * an outcome: a window is never given up (its number is the contract's next), so once the
     * cause is fixed (MINTER_ROLE granted again, the contract upgraded) it is signed anew.
     */
    private Optional<Sent> mined(Context context) {
        return receipt(context)
                .filter(r -> r.isStatusOK() || context.contract().mode() != ChainContracts.Mode.ANCHORED)
                .map(r -> r.isStatusOK() ? Sent.of(Sent.Status.MINED) : Sent.reverted("the batch reverted on chain"));
    }

    private Sent broadcastOrResync(Context context, SettlementQueue.Stored latest) {
        try {
            context.client()
                    .broadcast(new ChainClient.SignedTransaction(
                            latest.hash(), latest.raw(), null, latest.nonce(), latest.tip(), latest.maxFee()));
            return Sent.of(Sent.Status.PENDING);
        } catch (ChainClient.NonceTooLow e) {
            return resynced(context);
        }
    }

    /**
     * Another transaction took the nonce. When it was one of ours the batch is mined; otherwise the
     * settler's nonce is read from the chain again and the batch is signed at it.
     */
    private Sent resynced(Context context) {
        return mined(context).orElseGet(() -> signAndBroadcast(context, null, BigInteger.ZERO, BigInteger.ZERO));
    }

    /**
     * Signs the batch at {@code nonce} (null: the settler's next, from SettlerNonces) and stores it
     * in one transaction, then broadcasts. The contract refusing the batch at the estimate is REVERTED,
     * nothing signed, no nonce used.
     */
    private Sent signAndBroadcast(Context context, BigInteger nonce, BigInteger minTip, BigInteger minMaxFee) {
        TransactionSigner settler = settlementKeys.settler();
        nodes.fundOnDevChain(context.chain(), settler.address());
        String data = FunctionEncoder.encode(batchCall(context));
        ChainClient.SignedTransaction signed;
        try {
            signed = tx.execute(s -> {
                BigInteger at =
                        nonce != null ? nonce : nonces.take(context.chain().id(), context.client(), settler.address());
                ChainClient.SignedTransaction t =
                        context.client().sign(settler, context.contract().address(), data, at, minTip, minMaxFee);
                queue.store(context.batch().batchId(), t);
                return t;
            });
        } catch (ChainReverted e) {
            ChainReverted named = e.namedBy(artifact(context));
            if (named.error().filter(RAN_ALREADY::contains).isPresent()) {
                // One of the batch's stored transactions ran it, whose receipt this node has not
                // shown yet: wait for it, never refuse (its split halves would mint the items again).
                return Sent.of(Sent.Status.PENDING);
            }
            return Sent.reverted(named.getMessage());
        }
        try {
            context.client().broadcast(signed);
        } catch (ChainClient.NonceTooLow e) {
            // The kept nonce is behind the chain (a transaction sent outside PERS): take the chain's.
            tx.executeWithoutResult(
                    s -> nonces.set(context.chain().id(), context.client().pendingNonce(settler.address())));
            return resynced(context);
        }
        return Sent.of(Sent.Status.PENDING);
    }

    /** The batch's one call: its items are of one kind (SettlementQueue.take), or a window's root. */
    private Function batchCall(Context context) {
        if (context.contract().mode() == ChainContracts.Mode.ANCHORED) {
            AnchorWindows.AnchorWindow window =
                    windows.forBatch(context.batch().batchId()).orElseThrow();
            return CreditToken.anchorCall(window.window(), window.rootBytes(), window.headBytes(), window.ledgerSeq());
        }
        List<SettlementQueue.Item> items = queue.items(context.batch().batchId());
        byte[] id = onchainBatchId(items);
        boolean erc20 = context.contract().standard() == ChainContracts.Standard.ERC20;
        if (items.get(0).kind() == SettlementQueue.Kind.MOVEMENT) {
            List<Movement> movements = items.stream()
                    .map(i -> new Movement(i.sender(), i.recipient(), i.onchainId(), i.amount()))
                    .toList();
            return erc20 ? CreditToken.settleBatchCall(id, movements) : RewardToken.settleBatchCall(id, movements);
        }
        if (erc20) {
            return CreditToken.mintBatchCall(
                    id,
                    items.stream()
                            .map(i -> new CreditToken.Mint(i.recipient(), i.amount()))
                            .toList());
        }
        List<RewardToken.Mint> mints = items.stream()
                .map(i -> new RewardToken.Mint(i.recipient(), i.onchainId(), i.amount()))
                .toList();
        return items.get(0).kind() == SettlementQueue.Kind.CUSTODIAL_MINT
                ? RewardToken.mintBatchToCustodialCall(id, mints)
                : RewardToken.mintBatchCall(id, mints);
    }

    /**
     * The id the contract runs once: keccak256 of the batch's ledger entry ids in queue order. It
     * follows the items, not the PERS batch row, so it stays the same when an orphaned batch is
     * adopted under a new row, and every transaction ever signed for these items carries it.
     */
    static byte[] onchainBatchId(List<SettlementQueue.Item> items) {
        ByteBuffer entries = ByteBuffer.allocate(16 * items.size());
        for (SettlementQueue.Item item : items) {
            entries.putLong(item.entryId().getMostSignificantBits())
                    .putLong(item.entryId().getLeastSignificantBits());
        }
        return Hash.sha3(entries.array());
    }

    private static ContractArtifact artifact(Context context) {
        return context.contract().standard() == ChainContracts.Standard.ERC20
                ? CreditToken.IMPLEMENTATION
                : RewardToken.IMPLEMENTATION;
    }

    private <T> T inTransaction(BatchRef batch, Supplier<T> work) {
        return TenantContext.callAs(batch.settler().tenantId(), () -> tx.execute(s -> work.get()));
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
