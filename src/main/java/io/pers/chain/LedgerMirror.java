package io.pers.chain;

import io.pers.ledger.Ledger;
import io.pers.ledger.Transactions.Transaction;
import io.pers.ledger.Wallets;
import io.pers.tenant.TenantContext;
import io.pers.workflow.settlement.Settler;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the chain equal to the ledger for every movement of a bound token (docs/ARCHITECTURE.md, invariant 3),
 * not only claim mints: each new ledger entry of such a token is queued for its contract's
 * SettlementWorkflow in the entry's own transaction, keyed by the entry id, so it settles once.
 * What leaves the issuance account is a mint, what returns to it a burn (redemptions, reversals,
 * refunds), a move between holders a transfer by the settlement key.
 *
 * <p>Passed over: claim mints (the claim's mint step queues them, on the binding its campaign
 * picks), entries the follower recorded from the chain (already there), and a reversal of an
 * entry that never reached the chain (its item withdrawn or refused). A reversal, whole or a
 * refund's partial one, settles where the entry it reverses did.
 */
@Component
class LedgerMirror {

    private static final Logger log = LoggerFactory.getLogger(LedgerMirror.class);

    private final ChainContracts contracts;
    private final Custody custody;
    private final SettlementQueue queue;
    private final ChainSettlement settlement;

    LedgerMirror(ChainContracts contracts, Custody custody, SettlementQueue queue, ChainSettlement settlement) {
        this.contracts = contracts;
        this.custody = custody;
        this.queue = queue;
        this.settlement = settlement;
    }

    @EventListener
    void posted(Ledger.Posted posted) {
        Transaction entry = posted.transaction();
        if (mirroredElsewhere(entry)) {
            return;
        }
        Optional<ChainContracts.Target> target = target(entry);
        if (target.isEmpty()) {
            return;
        }
        if (entry.sender().type() == Wallets.OwnerType.EXTERNAL
                || entry.recipient().type() == Wallets.OwnerType.EXTERNAL) {
            // Only the follower books EXTERNAL shares, from what it read on chain; no address to burn from.
            log.warn("Entry {} moves an EXTERNAL share of a bound token; not settled on chain", entry.id());
            return;
        }
        SettlementQueue.Item item = item(entry, target.get());
        queue.enqueue(item, null, target.get().contractId());
        settlement.wakeAfterCommit(
                new Settler(TenantContext.requireTenantId(), target.get().contractId()));
    }

    private static boolean mirroredElsewhere(Transaction entry) {
        boolean claimMint =
                entry.type() == Ledger.Kind.MINT && Ledger.Reason.CLAIM.name().equals(entry.reasonType());
        boolean fromChain = "CHAIN".equals(entry.actor().type());
        return claimMint || fromChain;
    }

    /** The reversed entry's contract, or none when it never reached the chain; else the token's binding. */
    private Optional<ChainContracts.Target> target(Transaction entry) {
        Optional<SettlementQueue.Placed> origin = origin(entry).flatMap(queue::placed);
        if (origin.isEmpty()) {
            return contracts.target(entry.tokenId());
        }
        if (origin.get().status().equals("CANCELLED") || origin.get().status().equals("FAILED")) {
            return Optional.empty();
        }
        ChainContracts.Contract contract = contracts.find(origin.get().contractId());
        return Optional.of(new ChainContracts.Target(
                contract.id(),
                contract.chainId(),
                contract.address(),
                contract.standard(),
                origin.get().onchainId()));
    }

    /** The entry a reversal undoes: {@code reverses}, or a partial reversal's reference (a refund's mint). */
    private static Optional<UUID> origin(Transaction entry) {
        if (entry.reversesId() != null) {
            return Optional.of(entry.reversesId());
        }
        if (entry.type() != Ledger.Kind.REVERSAL || entry.reference() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(entry.reference()));
        } catch (IllegalArgumentException notAnEntry) {
            return Optional.empty();
        }
    }

    private SettlementQueue.Item item(Transaction entry, ChainContracts.Target target) {
        if (entry.sender().type() == Wallets.OwnerType.TENANT) {
            return settlement.mintItem(
                    target,
                    entry.id(),
                    ownerType(entry.recipient()),
                    entry.recipient().id(),
                    entry.amount());
        }
        String to = address(entry.recipient());
        return new SettlementQueue.Item(
                entry.id(),
                SettlementQueue.Kind.MOVEMENT,
                address(entry.sender()),
                to,
                target.onchainId(),
                entry.amount());
    }

    /** A holder's address; null for the issuance account (a mint or a burn). */
    private String address(Wallets.Owner owner) {
        return owner.type() == Wallets.OwnerType.TENANT ? null : custody.addressOf(ownerType(owner), owner.id());
    }

    private static Custody.OwnerType ownerType(Wallets.Owner owner) {
        return Custody.OwnerType.valueOf(owner.type().name());
    }
}
