package io.pers.chain;

import io.pers.api.PersException;
import io.pers.tenant.TenantContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Chain event monitoring (routes/chain-follower.yaml calls {@link #followAll} on each tick): reads
 * the transfer events of every bound contract from its stored position up to the chain's head less
 * its reorg depth, hands them to {@link ChainTransfers}, and moves the position in the same database
 * transaction. A restart goes on from the last commit; a second instance skips a contract whose
 * position row is locked.
 *
 * <p>The reorg depth is the chain's {@code confirmations} less one (a block with that many
 * confirmations, itself included, is followed), the same depth settlement waits out before it calls
 * a mint final; {@code PATCH /v2/chains/{id}} changes both.
 */
@Component("chainFollower")
class ChainFollower {

    private static final Logger log = LoggerFactory.getLogger(ChainFollower.class);

    private final JdbcClient db;
    private final Chains chains;
    private final ChainNodes nodes;
    private final ChainContracts contracts;
    private final ChainTransfers transfers;
    private final ParkedEvents parked;
    private final TransactionTemplate tx;
    private final TransactionTemplate savepoint;
    private final BigInteger maxBlocksPerStep;

    ChainFollower(
            JdbcClient db,
            Chains chains,
            ChainNodes nodes,
            ChainContracts contracts,
            ChainTransfers transfers,
            ParkedEvents parked,
            TransactionTemplate tx,
            @Value("${pers.chain.follower.max-blocks-per-step:2000}") long maxBlocksPerStep) {
        this.db = db;
        this.chains = chains;
        this.nodes = nodes;
        this.contracts = contracts;
        this.transfers = transfers;
        this.parked = parked;
        this.tx = tx;
        this.savepoint = new TransactionTemplate(tx.getTransactionManager());
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.maxBlocksPerStep = BigInteger.valueOf(maxBlocksPerStep);
    }

    private record Followed(UUID tenantId, UUID contractId) {}

    /** Follows every bound contract of every tenant up to its safe head; one failing contract stops no other. */
    public void followAll() {
        List<Followed> followed = db.sql("select tenant_id, contract_id from followed_contracts()")
                .query((rs, i) -> new Followed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .list();
        for (Followed f : followed) {
            try {
                TenantContext.runAs(f.tenantId(), () -> {
                    while (Boolean.TRUE.equals(tx.execute(s -> step(f.contractId())))) {
                        // more blocks wait beyond this step's range
                    }
                });
            } catch (RuntimeException e) {
                log.warn("Following contract {} stopped: {}", f.contractId(), e.toString());
            }
        }
    }

    /** The next block the contract's follower reads; empty before its first step. */
    Optional<BigInteger> position(UUID contractId) {
        return db.sql("select next_block from chain_follower_positions where contract_id = ?")
                .param(contractId)
                .query(BigDecimal.class)
                .optional()
                .map(BigDecimal::toBigIntegerExact);
    }

    /** Reads and records one range of the contract's blocks; true when more blocks wait. */
    private boolean step(UUID contractId) {
        ChainContracts.Contract contract = contracts.find(contractId);
        Chains.Chain chain = chains.find(contract.chainId());
        ChainClient client = nodes.client(chain);
        Optional<BigInteger> locked = lock(contractId, client);
        if (locked.isEmpty()) {
            return false; // another instance is following it
        }
        BigInteger from = locked.get();
        BigInteger safeHead = client.blockNumber().subtract(BigInteger.valueOf(chain.confirmations() - 1L));
        if (from.compareTo(safeHead) > 0) {
            return false;
        }
        BigInteger to = safeHead.min(from.add(maxBlocksPerStep).subtract(BigInteger.ONE));
        for (Log event : client.logs(contract.address(), from, to, ChainEvents.topics(contract.standard()))) {
            apply(contract, event).ifPresent(reason -> {
                log.warn(
                        "Parked event {}:{} of contract {}: {}",
                        event.getTransactionHash(),
                        event.getLogIndex(),
                        contractId,
                        reason);
                parked.park(
                        contract,
                        event.getBlockNumber(),
                        event.getTransactionHash(),
                        event.getLogIndex().longValueExact(),
                        reason);
            });
        }
        db.sql("update chain_follower_positions set next_block = ?, updated_at = now() where contract_id = ?")
                .params(new BigDecimal(to.add(BigInteger.ONE)), contractId)
                .update();
        return to.compareTo(safeHead) < 0;
    }

    /**
     * Applies one event under a savepoint; empty when it applied, else why it could not, with its
     * writes undone. A failure of the database itself (a deadlock, a lost connection) is no reason
     * to park: it fails the step, which the next tick runs again.
     */
    private Optional<String> apply(ChainContracts.Contract contract, Log event) {
        try {
            savepoint.executeWithoutResult(s -> {
                for (ChainEvents.Transfer transfer : ChainEvents.decode(event)) {
                    transfers.record(contract, transfer);
                }
            });
            return Optional.empty();
        } catch (TransientDataAccessException | TransactionException e) {
            throw e;
        } catch (PersException e) {
            return Optional.of(e.code() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return Optional.of(e.toString());
        }
    }

    /**
     * An operator's retry of a parked event, once its cause is fixed: the event is read again from
     * its block and applied as the follower would; it stays parked, with the new reason, if it still
     * cannot be applied.
     */
    ParkedEvents.ParkedEvent retry(long chainId, UUID parkedId) {
        return tx.execute(s -> {
            ParkedEvents.ParkedEvent event = parked.lock(chainId, parkedId);
            if (event.resolvedAt() != null) {
                return event;
            }
            ChainContracts.Contract contract = contracts.find(event.contractId());
            ChainClient client = nodes.client(chains.find(chainId));
            Optional<String> failure = client
                    .logs(
                            contract.address(),
                            event.blockNumber(),
                            event.blockNumber(),
                            ChainEvents.topics(contract.standard()))
                    .stream()
                    .filter(l -> l.getTransactionHash().equals(event.txHash())
                            && l.getLogIndex().longValueExact() == event.logIndex())
                    .findFirst()
                    .map(l -> apply(contract, l))
                    .orElse(Optional.of("The event is no longer in block " + event.blockNumber()));
            failure.ifPresentOrElse(
                    reason -> parked.park(contract, event.blockNumber(), event.txHash(), event.logIndex(), reason),
                    () -> parked.resolve(parkedId));
            return parked.find(parkedId);
        });
    }

    /** Locks the contract's position row until commit, making it on first sight; empty when another holds it. */
    private Optional<BigInteger> lock(UUID contractId, ChainClient client) {
        if (position(contractId).isEmpty()) {
            db.sql("""
                            insert into chain_follower_positions (contract_id, tenant_id, next_block)
                            values (?, ?, ?) on conflict do nothing""")
                    .params(contractId, TenantContext.requireTenantId(), new BigDecimal(firstBlock(contractId, client)))
                    .update();
        }
        return db.sql("select next_block from chain_follower_positions where contract_id = ? for update skip locked")
                .param(contractId)
                .query(BigDecimal.class)
                .optional()
                .map(BigDecimal::toBigIntegerExact);
    }

    /**
     * Holders get PERS's tokens from the contract's first mined settlement on, so following starts
     * there; before any is mined, at the head (nothing earlier can be a transfer of PERS's tokens).
     */
    private BigInteger firstBlock(UUID contractId, ChainClient client) {
        List<String> signed = db.sql("""
                        select t.hash from settlement_transactions t join settlement_batches b on b.id = t.batch_id
                         where b.contract_id = ? order by t.created_at, t.hash""").param(contractId).query(String.class).list();
        for (String hash : signed) {
            var receipt = client.receipt(hash);
            if (receipt.isPresent()) {
                return receipt.get().getBlockNumber();
            }
        }
        return client.blockNumber();
    }
}
