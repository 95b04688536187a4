package io.pers.chain;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.ledger.Tokens;
import io.pers.tenant.TenantContext;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A tenant's token contracts and the ledger tokens each carries: a CREDIT token on an ERC-20 of its
 * own, REWARD and STATUS tokens as ids of an ERC-1155 they may share. A bound token's claims settle
 * on that contract; a token may have one testnet and one mainnet binding.
 */
@Component
public class ChainContracts {

    public enum Standard {
        ERC20,
        ERC1155
    }

    /**
     * How the contract settles: MINTED mints (and moves, burns) every ledger movement on chain;
     * ANCHORED writes one Merkle root of every holder's entitlement per settlement window, and
     * holders withdraw with a proof (AnchorWindows, contracts/README.md). Chosen at binding, which is
     * refused once the token is issued, so a token never changes mode with supply outstanding.
     */
    public enum Mode {
        MINTED,
        ANCHORED
    }

    public record Binding(
            UUID tokenId,

            @Schema(
                    types = {"integer", "null"},
                    description = "The token's id within an ERC-1155 contract; null on an ERC-20 one")
            BigInteger onchainId) {}

    public record Contract(
            UUID id,
            long chainId,
            String address,
            Standard standard,

            @Schema(
                    description = "MINTED: every movement settles as a mint, transfer or burn; ANCHORED: one Merkle"
                            + " root per settlement window, holders withdraw with a proof")
            Mode mode,

            boolean deployed,
            List<Binding> tokens,
            OffsetDateTime createdAt) {}

    /** Where a bound token's mints go. */
    public record Target(UUID contractId, long chainId, String address, Standard standard, BigInteger onchainId) {}

    private final JdbcClient db;
    private final Chains chains;
    private final ChainNodes nodes;
    private final Custody custody;
    private final SettlementKeys settlementKeys;
    private final Tokens tokens;
    private final SettlerNonces nonces;

    ChainContracts(
            JdbcClient db,
            Chains chains,
            ChainNodes nodes,
            Custody custody,
            SettlementKeys settlementKeys,
            Tokens tokens,
            SettlerNonces nonces) {
        this.settlementKeys = settlementKeys;
        this.nonces = nonces;
        this.db = db;
        this.chains = chains;
        this.nodes = nodes;
        this.custody = custody;
        this.tokens = tokens;
    }

    /**
     * Deploys a contract for the token on the chain (admin and settlement keys of the tenant), or
     * registers the one at {@code address} after checking it is there and the settler may mint; then
     * binds the token to it.
     */
    @Transactional
    public Contract create(long chainId, UUID tokenId, String address, Mode mode) {
        Chains.Chain chain = chains.find(chainId);
        Tokens.Token token = tokens.find(tokenId);
        requireUnbound(tokenId, chain.testnet());
        Standard standard = token.type() == Tokens.Type.CREDIT ? Standard.ERC20 : Standard.ERC1155;
        if (mode == Mode.ANCHORED && standard != Standard.ERC20) {
            throw new PersException(
                    ErrorCode.TOKEN_STANDARD_MISMATCH, "Anchored settlement is for CREDIT tokens (ERC-20)");
        }
        ChainClient client = nodes.client(chain);
        TokenContract contract =
                address == null ? deploy(chain, client, token, standard) : existing(client, address, standard);
        if (mode == Mode.ANCHORED && address != null) {
            requireAnchoring((CreditToken) contract);
        }
        UUID id = UUID.randomUUID();
        try {
            db.sql("""
                            insert into chain_contracts (id, tenant_id, chain_id, address, standard, mode, deployed)
                            values (?, ?, ?, ?, ?, ?, ?)""")
                    .params(
                            id,
                            TenantContext.requireTenantId(),
                            chainId,
                            contract.address().toLowerCase(),
                            standard.name(),
                            mode.name(),
                            address == null)
                    .update();
        } catch (DuplicateKeyException e) {
            throw new PersException(ErrorCode.ALREADY_EXISTS, "That contract is registered; bind more tokens to it");
        }
        insertBinding(id, tokenId, standard);
        return find(id);
    }

    /** Binds one more REWARD or STATUS token to an ERC-1155 contract, as the next id. */
    @Transactional
    public Contract bind(UUID contractId, UUID tokenId) {
        Contract contract = find(contractId);
        Tokens.Token token = tokens.find(tokenId);
        if (contract.standard() != Standard.ERC1155 || token.type() == Tokens.Type.CREDIT) {
            throw new PersException(
                    ErrorCode.TOKEN_STANDARD_MISMATCH, "Only REWARD and STATUS tokens share an ERC-1155 contract");
        }
        requireUnbound(tokenId, chains.find(contract.chainId()).testnet());
        insertBinding(contractId, tokenId, Standard.ERC1155);
        return find(contractId);
    }

    public Contract find(UUID id) {
        Contract contract = db.sql("select * from chain_contracts where id = ?")
                .param(id)
                .query(this::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("Contract"));
        return contract;
    }

    List<Contract> list() {
        return db.sql("select * from chain_contracts order by created_at, id")
                .query(this::map)
                .list();
    }

    /**
     * Where the token's ledger movements settle: its mainnet binding, or its only one. Claims of a
     * testnet campaign go by {@link #target(UUID, boolean)} instead.
     */
    public Optional<Target> target(UUID tokenId) {
        return target(tokenId, false);
    }

    /** The token's binding on a chain of the given kind (testnet or not), else its other one. */
    public Optional<Target> target(UUID tokenId, boolean testnet) {
        return db.sql("""
                        select c.id, c.chain_id, c.address, c.standard, b.onchain_id
                          from token_bindings b join chain_contracts c on c.id = b.contract_id
                         where b.token_id = ? order by b.testnet = ? desc limit 1""")
                .params(tokenId, testnet)
                .query((rs, i) -> new Target(
                        rs.getObject(1, UUID.class),
                        rs.getLong(2),
                        rs.getString(3),
                        Standard.valueOf(rs.getString(4)),
                        integer(rs.getBigDecimal(5))))
                .optional();
    }

    /** Deploys with the settler key, at nonces from the source its batches take theirs from. */
    private TokenContract deploy(Chains.Chain chain, ChainClient node, Tokens.Token token, Standard standard) {
        Custody.Addresses keys = custody.addresses();
        TransactionSigner settler = settlementKeys.settler();
        nodes.fundOnDevChain(chain, settler.address());
        requireFunded(chain, node, settler.address());
        ChainClient client = node.withNonces(settler.address(), () -> nonces.take(chain.id(), node, settler.address()));
        return standard == Standard.ERC20
                ? CreditToken.deploy(
                        client,
                        settler,
                        token.name(),
                        token.symbol(),
                        token.decimals(),
                        keys.admin(),
                        settler.address())
                : RewardToken.deploy(client, settler, "", keys.admin(), settler.address());
    }

    /** Outside the dev chain the operator funds the settler; until then nothing is deployed (README). */
    private static void requireFunded(Chains.Chain chain, ChainClient node, String settler) {
        if (node.balance(settler).signum() == 0) {
            throw new PersException(
                    ErrorCode.SETTLER_NOT_FUNDED,
                    "Fund the settlement address " + settler + " on chain " + chain.id()
                            + " with its native currency first (GET /v2/chains/" + chain.id() + "/status)");
        }
    }

    /**
     * A contract registered for anchoring must have it (an older implementation is upgraded first)
     * and be fresh: its windows are numbered from the ledger's, which starts at 1, and its supply is
     * what holders withdraw.
     */
    private static void requireAnchoring(CreditToken contract) {
        CreditToken.Anchor anchor;
        try {
            anchor = contract.latestAnchor();
        } catch (ChainReverted noAnchoring) {
            throw new PersException(
                    ErrorCode.TOKEN_STANDARD_MISMATCH,
                    "The contract at " + contract.address() + " has no anchoring (latestAnchor): upgrade it to the"
                            + " PersCredit implementation in contracts/ first");
        }
        if (anchor.window() != 0 || contract.totalSupply().signum() != 0) {
            throw new PersException(
                    ErrorCode.TOKEN_STANDARD_MISMATCH,
                    "The contract at " + contract.address() + " has anchored windows or supply already: anchored mode"
                            + " takes a contract with neither");
        }
    }

    private TokenContract existing(ChainClient client, String address, Standard standard) {
        String normalized = Custody.normalized(address);
        if (!client.hasCode(normalized)) {
            throw new PersException(ErrorCode.NO_CONTRACT_AT_ADDRESS, "No contract code at " + normalized);
        }
        TokenContract contract =
                standard == Standard.ERC20 ? new CreditToken(client, normalized) : new RewardToken(client, normalized);
        boolean minter;
        try {
            minter = contract.hasRole(TokenContract.MINTER_ROLE, settlementKeys.settlerAddress());
        } catch (RuntimeException notAccessControl) {
            minter = false;
        }
        if (!minter) {
            throw new PersException(
                    ErrorCode.SETTLER_NOT_MINTER,
                    "Grant MINTER_ROLE to the settlement key " + settlementKeys.settlerAddress() + " first");
        }
        return contract;
    }

    /**
     * A token is bound at most once per kind of chain: one testnet and one mainnet contract; and
     * only before it is issued, since a new binding starts empty and may become where the token's
     * ledger movements settle: the chain would then not hold what the ledger says.
     */
    private void requireUnbound(UUID tokenId, boolean testnet) {
        BigInteger outstanding = tokens.supply(tokenId).outstanding();
        if (outstanding.signum() > 0) {
            throw new PersException(
                    ErrorCode.TOKEN_ALREADY_ISSUED,
                    "The token has " + outstanding + " outstanding: bind it to its contracts before issuing it");
        }
        if (db.sql("select 1 from token_bindings where token_id = ? and testnet = ?")
                .params(tokenId, testnet)
                .query(Integer.class)
                .optional()
                .isPresent()) {
            throw new PersException(
                    ErrorCode.ALREADY_EXISTS,
                    "The token is bound to a " + (testnet ? "testnet" : "mainnet") + " contract already");
        }
    }

    /** ERC-1155 ids count up from 1 per contract; an ERC-20 carries one token and no id. */
    private void insertBinding(UUID contractId, UUID tokenId, Standard standard) {
        db.sql("""
                        insert into token_bindings (token_id, tenant_id, contract_id, onchain_id, testnet)
                        values (?, ?, ?, case when ? then (select count(*) + 1 from token_bindings
                                                            where contract_id = ?) end,
                                (select c.testnet from chain_contracts k join chains c on c.id = k.chain_id
                                  where k.id = ?))""")
                .params(
                        tokenId,
                        TenantContext.requireTenantId(),
                        contractId,
                        standard == Standard.ERC1155,
                        contractId,
                        contractId)
                .update();
    }

    private Contract map(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        List<Binding> bindings = db.sql("select token_id, onchain_id from token_bindings where contract_id = ?"
                        + " order by onchain_id nulls first, created_at")
                .param(id)
                .query((b, i) -> new Binding(b.getObject(1, UUID.class), integer(b.getBigDecimal(2))))
                .list();
        return new Contract(
                id,
                rs.getLong("chain_id"),
                rs.getString("address"),
                Standard.valueOf(rs.getString("standard")),
                Mode.valueOf(rs.getString("mode")),
                rs.getBoolean("deployed"),
                bindings,
                rs.getObject("created_at", OffsetDateTime.class));
    }

    private static BigInteger integer(BigDecimal value) {
        return value == null ? null : value.toBigIntegerExact();
    }
}
