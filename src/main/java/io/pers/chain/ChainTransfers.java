package io.pers.chain;

import io.pers.crypto.Secrets;
import io.pers.ledger.Ledger;
import io.pers.ledger.Tokens;
import io.pers.ledger.Wallets;
import io.pers.tenant.TenantContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the follower makes of each transfer it reads. PERS's own transactions (the settler's
 * batches, which the ledger already has) are passed over. A transfer between holders becomes one
 * TRANSFER entry between their wallets: a custodial or registered address maps to its user's or
 * business's wallet, any other address to the token's EXTERNAL wallet. Mints and burns PERS did not
 * send, ids bound to no token, an inactive token and a sender whose ledger balance is short are FLAGGED, not
 * recorded: the ledger stays what PERS issued, and reconciliation shows the difference.
 */
@Component
class ChainTransfers {

    /**
     * A transfer the follower did not record, and why; or one it recorded with a reservation (a
     * withdrawal beyond the holder's balance: its entry is {@code entry}).
     */
    record Flagged(
            UUID contractId,
            String txHash,
            long logIndex,
            String from,
            String to,
            UUID tokenId,
            String amount,
            String note,
            OffsetDateTime seenAt) {}

    private final JdbcClient db;
    private final Ledger ledger;
    private final Wallets wallets;
    private final Tokens tokens;

    ChainTransfers(JdbcClient db, Ledger ledger, Wallets wallets, Tokens tokens) {
        this.db = db;
        this.ledger = ledger;
        this.wallets = wallets;
        this.tokens = tokens;
    }

    /** Records a transfer once: a transfer seen before (a re-read range) changes nothing. */
    void record(ChainContracts.Contract contract, ChainEvents.Transfer transfer) {
        if (seen(contract.chainId(), transfer) || ownTransaction(transfer.txHash())) {
            return;
        }
        UUID token = contract.tokens().stream()
                .filter(b -> Objects.equals(b.onchainId(), transfer.onchainId()))
                .map(ChainContracts.Binding::tokenId)
                .findFirst()
                .orElse(null);
        if (token == null) {
            store(contract, transfer, null, "FLAGGED", null, "No token is bound to this id");
        } else if (!tokens.find(token).active()) {
            // The ledger takes no entries of an inactive token; the holder's tokens moved regardless.
            store(contract, transfer, token, "FLAGGED", null, "The token is inactive");
        } else if (contract.mode() == ChainContracts.Mode.ANCHORED && !transfer.burn()) {
            anchored(contract, transfer, token);
        } else if (transfer.mint() || transfer.burn()) {
            store(
                    contract,
                    transfer,
                    token,
                    "FLAGGED",
                    null,
                    (transfer.mint() ? "Minted" : "Burned") + " outside PERS");
        } else {
            move(contract, transfer, token);
        }
    }

    List<Flagged> flagged(long chainId) {
        return db.sql("""
                        select contract_id, tx_hash, log_index, from_address, to_address, token_id, amount, note, created_at
                          from chain_transfers where chain_id = ?
                           and (disposition = 'FLAGGED' or (disposition = 'RECORDED' and note is not null))
                         order by created_at desc, tx_hash, log_index, part limit 100""")
                .param(chainId)
                .query((rs, i) -> new Flagged(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getObject(6, UUID.class),
                        rs.getBigDecimal(7).toBigIntegerExact().toString(),
                        rs.getString(8),
                        rs.getObject(9, OffsetDateTime.class)))
                .list();
    }

    /**
     * On an ANCHORED contract only a withdrawal mints (PERS itself only anchors roots): the tokens
     * leave the holder's ledger wallet for the token's EXTERNAL share, which is what is on chain, so
     * the holder's entitlement (balance + withdrawn) is unchanged. A holder who spent off-chain after
     * the root they withdrew against (the exposure of one window, README "Settlement modes") is
     * short: what their balance lacks is booked from the issuance account and the row says so.
     * Withdrawn tokens moving between addresses stay in the EXTERNAL share.
     */
    private void anchored(ChainContracts.Contract contract, ChainEvents.Transfer transfer, UUID token) {
        if (!transfer.mint()) {
            store(contract, transfer, token, "UNCHANGED", null, null);
            return;
        }
        Wallets.Owner holder = owner(transfer.to(), token);
        if (holder.type() == Wallets.OwnerType.EXTERNAL) {
            store(contract, transfer, token, "FLAGGED", null, "Withdrawn to an address no holder of PERS has");
            return;
        }
        UUID from = wallets.walletOf(holder);
        UUID external = wallets.walletOf(new Wallets.Owner(Wallets.OwnerType.EXTERNAL, token));
        BigInteger covered = balance(from, token).min(transfer.amount());
        BigInteger short_ = transfer.amount().subtract(covered);
        String reference = reference(contract, transfer);
        UUID entry = Secrets.derivedId(reference);
        if (covered.signum() > 0) {
            post(
                    entry,
                    Ledger.Kind.TRANSFER,
                    token,
                    from,
                    external,
                    covered,
                    reference,
                    transfer,
                    "Withdrawn on chain");
        }
        if (short_.signum() > 0) {
            UUID overdrawn = Secrets.derivedId(reference + ":overdrawn");
            post(
                    overdrawn,
                    Ledger.Kind.MINT,
                    token,
                    wallets.issuance(),
                    external,
                    short_,
                    reference,
                    transfer,
                    "Withdrawn beyond the holder's balance");
            entry = covered.signum() > 0 ? entry : overdrawn;
        }
        store(
                contract,
                transfer,
                token,
                "RECORDED",
                entry,
                short_.signum() > 0 ? "Withdrawn " + short_ + " beyond the holder's ledger balance" : null);
    }

    private void post(
            UUID entry,
            Ledger.Kind kind,
            UUID token,
            UUID from,
            UUID to,
            BigInteger amount,
            String reference,
            ChainEvents.Transfer transfer,
            String memo) {
        ledger.post(new Ledger.Posting(
                entry,
                kind,
                token,
                from,
                to,
                amount,
                Ledger.Reason.TRANSFER,
                reference,
                new Ledger.Actor("CHAIN", transfer.to()),
                null,
                memo + " in block " + transfer.blockNumber()));
    }

    private static String reference(ChainContracts.Contract contract, ChainEvents.Transfer transfer) {
        return "chain:" + contract.chainId() + ":" + transfer.txHash() + ":" + transfer.logIndex() + ":"
                + transfer.part();
    }

    private void move(ChainContracts.Contract contract, ChainEvents.Transfer transfer, UUID token) {
        UUID from = wallets.walletOf(owner(transfer.from(), token));
        UUID to = wallets.walletOf(owner(transfer.to(), token));
        if (from.equals(to)) {
            store(contract, transfer, token, "UNCHANGED", null, null);
            return;
        }
        if (balance(from, token).compareTo(transfer.amount()) < 0) {
            store(contract, transfer, token, "FLAGGED", null, "The sender's ledger balance is short of the amount");
            return;
        }
        String reference = reference(contract, transfer);
        UUID entry = Secrets.derivedId(reference);
        ledger.post(new Ledger.Posting(
                entry,
                Ledger.Kind.TRANSFER,
                token,
                from,
                to,
                transfer.amount(),
                Ledger.Reason.TRANSFER,
                reference,
                new Ledger.Actor("CHAIN", transfer.from()),
                null,
                "On-chain transfer in block " + transfer.blockNumber()));
        store(contract, transfer, token, "RECORDED", entry, null);
    }

    /** A custodial or registered address is its owner's; any other holds the token's EXTERNAL share. */
    private Wallets.Owner owner(String address, UUID token) {
        return db.sql("select owner_type, owner_id from wallet_addresses where address = ?")
                .param(address)
                .query((rs, i) ->
                        new Wallets.Owner(Wallets.OwnerType.valueOf(rs.getString(1)), rs.getObject(2, UUID.class)))
                .optional()
                .orElse(new Wallets.Owner(Wallets.OwnerType.EXTERNAL, token));
    }

    /** Locked until commit, so nothing else spends it between this check and the entry. */
    private BigInteger balance(UUID wallet, UUID token) {
        return db.sql("select amount from balances where wallet_id = ? and token_id = ? for update")
                .params(wallet, token)
                .query(BigDecimal.class)
                .optional()
                .map(BigDecimal::toBigIntegerExact)
                .orElse(BigInteger.ZERO);
    }

    private boolean seen(long chainId, ChainEvents.Transfer transfer) {
        return db.sql("select 1 from chain_transfers where chain_id = ? and tx_hash = ? and log_index = ? and part = ?")
                .params(chainId, transfer.txHash(), transfer.logIndex(), transfer.part())
                .query(Integer.class)
                .optional()
                .isPresent();
    }

    private boolean ownTransaction(String txHash) {
        return db.sql("select 1 from settlement_transactions where hash = ?")
                .param(txHash)
                .query(Integer.class)
                .optional()
                .isPresent();
    }

    private void store(
            ChainContracts.Contract contract,
            ChainEvents.Transfer transfer,
            UUID token,
            String disposition,
            UUID entry,
            String note) {
        db.sql("""
                        insert into chain_transfers (tenant_id, chain_id, tx_hash, log_index, part, contract_id,
                                                     block_number, token_id, onchain_id, from_address, to_address,
                                                     amount, disposition, entry_id, note)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")
                .params(
                        TenantContext.requireTenantId(),
                        contract.chainId(),
                        transfer.txHash(),
                        transfer.logIndex(),
                        transfer.part(),
                        contract.id(),
                        new BigDecimal(transfer.blockNumber()),
                        token,
                        transfer.onchainId() == null ? null : new BigDecimal(transfer.onchainId()),
                        transfer.from(),
                        transfer.to(),
                        new BigDecimal(transfer.amount()),
                        disposition,
                        entry,
                        note)
                .update();
    }
}
