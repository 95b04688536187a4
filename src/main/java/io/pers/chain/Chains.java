package io.pers.chain;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.stack.ChainTarget;
import io.pers.stack.RpcUrls;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The EVM chains PERS may settle on: platform-wide, each known by its EIP-155 chain id. */
@Component
public class Chains {

    /** A stuck transaction is replaced with fees raised by {@code bumpPercent}, up to {@code maxFeeGwei}. */
    public record FeePolicy(int bumpPercent, Long maxFeeGwei) {}

    public record Chain(
            long id,
            String name,
            String rpcUrl,
            int confirmations,
            boolean testnet,
            FeePolicy feePolicy,
            boolean embedded,
            OffsetDateTime createdAt) {

        /** As answered by the API: the RPC URL without the provider key it may carry (RpcUrls). */
        Chain shown() {
            return new Chain(id, name, RpcUrls.redact(rpcUrl), confirmations, testnet, feePolicy, embedded, createdAt);
        }
    }

    private final JdbcClient db;
    private final ChainNodes nodes;
    private final ChainTarget target;

    Chains(JdbcClient db, ChainNodes nodes, ChainTarget target) {
        this.db = db;
        this.nodes = nodes;
        this.target = target;
    }

    Chain register(Chain chain) {
        requireAnswers(chain.id(), chain.rpcUrl());
        try {
            db.sql("""
                            insert into chains (id, name, rpc_url, confirmations, testnet, fee_bump_percent, max_fee_gwei)
                            values (?, ?, ?, ?, ?, ?, ?)""")
                    .params(
                            chain.id(),
                            chain.name(),
                            chain.rpcUrl(),
                            chain.confirmations(),
                            chain.testnet(),
                            chain.feePolicy().bumpPercent(),
                            chain.feePolicy().maxFeeGwei())
                    .update();
        } catch (DuplicateKeyException e) {
            throw new PersException(ErrorCode.ALREADY_EXISTS, "Chain " + chain.id() + " is registered");
        }
        return find(chain.id());
    }

    /** Changes what is given; a new RPC URL must answer with the chain's id. */
    Chain update(long id, String name, String rpcUrl, Integer confirmations, FeePolicy fees) {
        find(id);
        if (rpcUrl != null) {
            requireAnswers(id, rpcUrl);
        }
        db.sql("""
                        update chains set name = coalesce(?, name), rpc_url = coalesce(?, rpc_url),
                               confirmations = coalesce(?, confirmations),
                               fee_bump_percent = coalesce(?, fee_bump_percent),
                               max_fee_gwei = coalesce(?, max_fee_gwei), updated_at = now()
                         where id = ?""")
                .params(
                        name,
                        rpcUrl,
                        confirmations,
                        fees == null ? null : fees.bumpPercent(),
                        fees == null ? null : fees.maxFeeGwei(),
                        id)
                .update();
        return find(id);
    }

    /** The anvil PERS started becomes the default dev chain, at its RPC URL of this start. */
    @EventListener(ApplicationReadyEvent.class)
    void registerEmbedded() {
        if (target.embedded() == null) {
            return;
        }
        String rpcUrl = target.rpcUrl();
        long id = nodes.client(rpcUrl).chainId();
        db.sql("""
                        insert into chains (id, name, rpc_url, confirmations, testnet, fee_bump_percent, embedded)
                        values (?, 'anvil (embedded dev chain)', ?, 1, true, 10, true)
                        on conflict (id) do update set rpc_url = excluded.rpc_url, embedded = true, updated_at = now()""").params(id, rpcUrl).update();
    }

    public Chain find(long id) {
        return db.sql("select * from chains where id = ?")
                .param(id)
                .query(Chains::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("Chain"));
    }

    List<Chain> list() {
        return db.sql("select * from chains order by id").query(Chains::map).list();
    }

    private void requireAnswers(long id, String rpcUrl) {
        long answered;
        try {
            answered = nodes.client(rpcUrl).chainId();
        } catch (RuntimeException e) {
            throw new PersException(ErrorCode.CHAIN_UNREACHABLE, "No JSON-RPC answer from the RPC URL");
        }
        if (answered != id) {
            throw new PersException(
                    ErrorCode.CHAIN_UNREACHABLE, "The RPC URL serves chain " + answered + ", not " + id);
        }
    }

    private static Chain map(ResultSet rs, int row) throws SQLException {
        return new Chain(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("rpc_url"),
                rs.getInt("confirmations"),
                rs.getBoolean("testnet"),
                new FeePolicy(rs.getInt("fee_bump_percent"), rs.getObject("max_fee_gwei", Long.class)),
                rs.getBoolean("embedded"),
                rs.getObject("created_at", OffsetDateTime.class));
    }
}
