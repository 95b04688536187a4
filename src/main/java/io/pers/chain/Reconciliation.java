package io.pers.chain;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.pers.ledger.Wallets;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.web3j.utils.Numeric;

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

            @Schema(description = "Per contract in ANCHORED mode: its newest root on chain against the ledger's")
            List<AnchorCheck> anchors,

            OffsetDateTime checkedAt) {}

    /**
     * An anchored contract's newest root as the chain has it, beside the window the ledger recorded
     * and the ledger seal it anchored: {@code consistent} when the chain's window, root and head are
     * the ledger's and the seal at {@code ledgerSeq} still has that hash (an edited or truncated
     * ledger fails here, from the chain alone).
     */
    record AnchorCheck(
            UUID contractId,
            long window,
            String rootOnChain,
            String ledgerHeadOnChain,
            long ledgerSeq,

            @Schema(
                    types = {"string", "null"},
                    description = "The root of the same window in the ledger")
            String rootInLedger,

            @Schema(
                    types = {"string", "null"},
                    description = "The ledger's seal hash at ledgerSeq now")
            String sealAtSeq,

            boolean consistent) {}

    private record Holder(Wallets.Owner owner, String address) {}

    private final JdbcClient db;
    private final Chains chains;
    private final ChainNodes nodes;
    private final ChainContracts contracts;
    private final ChainFollower follower;
    private final ChainTransfers transfers;
    private final AnchorWindows windows;

    Reconciliation(
            JdbcClient db,
            Chains chains,
            ChainNodes nodes,
            ChainContracts contracts,
            ChainFollower follower,
            ChainTransfers transfers,
            AnchorWindows windows) {
        this.windows = windows;
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
        List<AnchorCheck> anchors = new ArrayList<>();
        int compared = 0;
        for (ChainContracts.Contract contract : contracts.list()) {
            if (contract.chainId() != chainId) {
                continue;
            }
            followers.add(new Follower(
                    contract.id(),
                    contract.address(),
                    follower.position(contract.id()).orElse(null)));
            if (contract.mode() == ChainContracts.Mode.ANCHORED) {
                compared += anchored(client, contract, holders, differences, anchors);
                continue;
            }
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
                anchors,
                OffsetDateTime.now());
    }

    /**
     * An ANCHORED contract: each holder's entitlement in the newest anchored root, checked on chain
     * ({@code verifyEntitlement}), against the ledger's settled balance plus what the contract says
     * they withdrew; the EXTERNAL share (withdrawn tokens) against the token's total supply; and the
     * root and ledger head on chain against the ledger.
     */
    private int anchored(
            ChainClient client,
            ChainContracts.Contract contract,
            List<Holder> holders,
            List<Difference> differences,
            List<AnchorCheck> anchors) {
        CreditToken token = new CreditToken(client, contract.address());
        ChainContracts.Binding binding = contract.tokens().get(0);
        CreditToken.Anchor onChain = token.latestAnchor();
        Optional<AnchorWindows.AnchorWindow> recorded = windows.latestAnchored(contract.id());
        String sealAtSeq = db.sql("select hash from ledger_seals where seq = ?")
                .param(onChain.ledgerSeq())
                .query(byte[].class)
                .optional()
                .map(Numeric::toHexString)
                .orElse(null);
        String root = Numeric.toHexString(onChain.root());
        String head = Numeric.toHexString(onChain.ledgerHead());
        boolean consistent = recorded.isPresent()
                ? recorded.get().window() == onChain.window()
                        && recorded.get().root().equals(root)
                        && recorded.get().ledgerHead().equals(head)
                        && (onChain.ledgerSeq() == 0 || head.equals(sealAtSeq))
                : onChain.window() == 0;
        anchors.add(new AnchorCheck(
                contract.id(),
                onChain.window(),
                root,
                head,
                onChain.ledgerSeq(),
                recorded.map(AnchorWindows.AnchorWindow::root).orElse(null),
                sealAtSeq,
                consistent));
        Map<String, BigInteger> entitlements = recorded.map(w -> windows.entitlements(contract.id(), w.window()))
                .orElse(Map.of());
        EntitlementTree tree = EntitlementTree.of(entitlements);
        int compared = 0;
        for (Holder holder : holders) {
            // A holder without a leaf has nothing proven: their settled ledger balance must be 0 too.
            BigInteger cumulative = entitlements.getOrDefault(holder.address(), BigInteger.ZERO);
            BigInteger proven = cumulative.signum() > 0
                            && token.verifyEntitlement(holder.address(), cumulative, tree.proof(holder.address()))
                    ? cumulative
                    : BigInteger.ZERO;
            BigInteger ledger = ledgerBalance(holder.owner(), binding.tokenId())
                    .add(withdrawnFrom(holder.owner(), binding.tokenId()));
            BigInteger unsettled = unsettled(holder.owner(), contract.id(), binding.onchainId());
            difference(differences, holder, contract, binding, proven, ledger, unsettled);
            compared++;
        }
        Holder external = new Holder(new Wallets.Owner(Wallets.OwnerType.EXTERNAL, binding.tokenId()), null);
        difference(
                differences,
                external,
                contract,
                binding,
                token.totalSupply(),
                ledgerBalance(external.owner(), binding.tokenId()),
                BigInteger.ZERO);
        return compared + 1;
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
        difference(differences, holder, contract, binding, onChain, ledger, unsettled);
    }

    private static void difference(
            List<Difference> differences,
            Holder holder,
            ChainContracts.Contract contract,
            ChainContracts.Binding binding,
            BigInteger onChain,
            BigInteger ledger,
            BigInteger unsettled) {
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

    /**
     * What the follower booked out of the wallet to the chain: withdrawals of an anchored token (the
     * only entries the chain makes on one). A withdrawal beyond the balance booked its shortfall
     * from issuance, so it is not counted here, and the holder's figures still meet.
     */
    private BigInteger withdrawnFrom(Wallets.Owner owner, UUID tokenId) {
        return sum("""
                        select coalesce(sum(-p.amount), 0) from postings p
                          join wallets w on w.id = p.wallet_id
                          join journal_entries e on e.id = p.entry_id
                         where w.owner_type = ? and w.owner_id = ? and e.token_id = ? and e.actor_type = 'CHAIN'
                           and p.amount < 0""", owner.type().name(), owner.id(), tokenId);
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
