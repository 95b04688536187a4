package io.pers.chain;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.pers.ledger.Wallets;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Compares, per token bound on a chain, every wallet's on-chain balance with its settled ledger
 * balance: the ledger balance less the movements still on their way (queued, batched, or a claim's
 * failed mint not yet reversed). Wallets are the addresses PERS knows (custodial or registered) and each token's
 * EXTERNAL wallet, whose on-chain side is what the addresses the follower saw outside PERS hold.
 * Expected: no difference. A transfer the follower has not reached yet shows as one until it has.
 */
@Component
class Reconciliation {

    record Difference(
            Wallets.Owner owner,
            String address,
            UUID tokenId,
            UUID contractId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger onchainId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger onChain,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger ledger,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger unsettled,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger difference) {}

    record Follower(
            UUID contractId,
            String address,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger nextBlock) {}

    record Report(
            long chainId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger headBlock,
            int balancesCompared,
            List<Difference> differences,
            List<Follower> followers,
            List<ChainTransfers.Flagged> flagged,
            OffsetDateTime checkedAt) {}

    private record Holder(Wallets.Owner owner, String address) {}

    private final JdbcClient db;
    private final Chains chains;
    private final ChainNodes nodes;
    private final ChainContracts contracts;
    private final ChainFollower follower;
    private final ChainTransfers transfers;

    Reconciliation(
            JdbcClient db,
            Chains chains,
            ChainNodes nodes,
            ChainContracts contracts,
            ChainFollower follower,
            ChainTransfers transfers) {
        this.db = db;
        this.chains = chains;
        this.nodes = nodes;
        this.contracts = contracts;
        this.follower = follower;
        this.transfers = transfers;
    }

    Report report(long chainId) {
        ChainClient client = nodes.client(chains.find(chainId));
        List<Holder> holders = db.sql("select owner_type, owner_id, address from wallet_addresses order by address")
                .query((rs, i) -> new Holder(
                        new Wallets.Owner(Wallets.OwnerType.valueOf(rs.getString(1)), rs.getObject(2, UUID.class)),
                        rs.getString(3)))
                .list();
        List<Difference> differences = new ArrayList<>();
        List<Follower> followers = new ArrayList<>();
        int compared = 0;
        for (ChainContracts.Contract contract : contracts.list()) {
            if (contract.chainId() != chainId) {
                continue;
            }
            followers.add(new Follower(
                    contract.id(),
                    contract.address(),
                    follower.position(contract.id()).orElse(null)));
            for (ChainContracts.Binding binding : contract.tokens()) {
                for (Holder holder : holders) {
                    BigInteger onChain = balanceOf(client, contract, binding, holder.address());
                    compare(differences, holder, contract, binding, onChain);
                    compared++;
                }
                Holder external = new Holder(new Wallets.Owner(Wallets.OwnerType.EXTERNAL, binding.tokenId()), null);
                BigInteger outside = externalAddresses(contract, binding).stream()
                        .map(address -> balanceOf(client, contract, binding, address))
                        .reduce(BigInteger.ZERO, BigInteger::add);
                compare(differences, external, contract, binding, outside);
                compared++;
            }
        }
        return new Report(
                chainId,
                client.blockNumber(),
                compared,
                differences,
                followers,
                transfers.flagged(chainId),
                OffsetDateTime.now());
    }

    /**
     * The token's main binding (mainnet, or its only one) holds the ledger balance less what is not
     * on chain yet and less what settled on its other binding; a testnet binding holds what its
     * claims settled there.
     */
    private void compare(
            List<Difference> differences,
            Holder holder,
            ChainContracts.Contract contract,
            ChainContracts.Binding binding,
            BigInteger onChain) {
        boolean main = contracts
                .target(binding.tokenId())
                .map(t -> t.contractId().equals(contract.id()))
                .orElse(true);
        BigInteger ledger;
        BigInteger unsettled;
        if (main) {
            ledger = ledgerBalance(holder.owner(), binding.tokenId())
                    .subtract(onOtherBindings(holder.owner(), binding.tokenId(), contract.id()));
            unsettled = unsettled(holder.owner(), contract.id(), binding.onchainId());
        } else {
            ledger = settledHere(holder.owner(), contract.id(), binding.onchainId());
            unsettled = BigInteger.ZERO;
        }
        BigInteger difference = onChain.subtract(ledger.subtract(unsettled));
        if (difference.signum() != 0) {
            differences.add(new Difference(
                    holder.owner(),
                    holder.address(),
                    binding.tokenId(),
                    contract.id(),
                    binding.onchainId(),
                    onChain,
                    ledger,
                    unsettled,
                    difference));
        }
    }

    private static BigInteger balanceOf(
            ChainClient client, ChainContracts.Contract contract, ChainContracts.Binding binding, String address) {
        return contract.standard() == ChainContracts.Standard.ERC20
                ? new CreditToken(client, contract.address()).balanceOf(address)
                : new RewardToken(client, contract.address()).balanceOf(address, binding.onchainId());
    }

    private BigInteger ledgerBalance(Wallets.Owner owner, UUID tokenId) {
        return db.sql("""
                        select b.amount from balances b join wallets w on w.id = b.wallet_id
                         where w.owner_type = ? and w.owner_id = ? and b.token_id = ?""")
                .params(owner.type().name(), owner.id(), tokenId)
                .query(BigDecimal.class)
                .optional()
                .map(BigDecimal::toBigIntegerExact)
                .orElse(BigInteger.ZERO);
    }

    /** Items that never reach a chain: a claim's, withdrawn or refused, whose claim was compensated. */
    private static final String VOID = """
            (i.status in ('FAILED', 'CANCELLED') and i.claim_id is not null
             and exists (select 1 from journal_entries r where r.reverses_entry_id = i.entry_id))""";

    private static final String POSTED = """
            select coalesce(sum(p.amount), 0) from settlement_items i
              join postings p on p.entry_id = i.entry_id
              join wallets w on w.id = p.wallet_id
             where w.owner_type = ? and w.owner_id = ?
            """;

    /**
     * What the ledger moved in or out of the wallet that is not (or not yet) on chain: items queued
     * or in a batch, and a claim's failed or withdrawn item until the claim's compensation reverses
     * it. Another movement the chain refused is not counted, so it shows as a difference.
     */
    private BigInteger unsettled(Wallets.Owner owner, UUID contractId, BigInteger onchainId) {
        return sum(
                POSTED + """
                         and i.contract_id = ? and i.onchain_id is not distinct from ?::numeric
                         and (i.status in ('PENDING', 'BATCHED')
                              or (i.status in ('FAILED', 'CANCELLED') and i.claim_id is not null and not """ + VOID + "))",
                owner.type().name(),
                owner.id(),
                contractId,
                onchainId == null ? null : new BigDecimal(onchainId));
    }

    /** What the ledger moved for the wallet through the token's other binding (testnet claims). */
    private BigInteger onOtherBindings(Wallets.Owner owner, UUID tokenId, UUID contractId) {
        return sum(POSTED + """
                         and i.contract_id <> ? and not """ + VOID + """
                         and exists (select 1 from journal_entries e where e.id = i.entry_id and e.token_id = ?)""", owner.type().name(), owner.id(), contractId, tokenId);
    }

    private BigInteger settledHere(Wallets.Owner owner, UUID contractId, BigInteger onchainId) {
        return sum(
                POSTED + """
                         and i.contract_id = ? and i.onchain_id is not distinct from ?::numeric
                         and i.status = 'SETTLED'""",
                owner.type().name(),
                owner.id(),
                contractId,
                onchainId == null ? null : new BigDecimal(onchainId));
    }

    private BigInteger sum(String sql, Object... params) {
        return db.sql(sql).params(params).query(BigDecimal.class).single().toBigIntegerExact();
    }

    /** Every address outside PERS the follower saw holding the token. */
    private List<String> externalAddresses(ChainContracts.Contract contract, ChainContracts.Binding binding) {
        return db.sql("""
                        select distinct a.address from chain_transfers t
                          cross join lateral (values (t.from_address), (t.to_address)) a (address)
                         where t.contract_id = ? and t.token_id = ? and a.address <> ?
                           and not exists (select 1 from wallet_addresses w where w.address = a.address)
                         order by a.address""")
                .params(contract.id(), binding.tokenId(), ChainEvents.ZERO_ADDRESS)
                .query(String.class)
                .list();
    }
}
