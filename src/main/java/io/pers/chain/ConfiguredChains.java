package io.pers.chain;

import io.pers.stack.RpcUrls;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Chains an operator declares in configuration, registered (or brought in line) at every start, so
 * an external RPC endpoint needs no API call: {@code pers.chain.chains[n].*}, or just
 * {@code pers.chain.rpc-url} (registered under the id its node answers, 12 confirmations, not a
 * testnet). Configured chains are never the embedded dev chain: PERS does not fund their settlers
 * (ChainNodes.fundOnDevChain); the operator does. Their RPC URLs are logged and shown only as
 * {@code scheme://host} (RpcUrls).
 */
@Component
class ConfiguredChains {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredChains.class);
    static final int DEFAULT_CONFIRMATIONS = 12;
    static final int DEFAULT_FEE_BUMP_PERCENT = 12;

    /**
     * @param rpcUrl the one chain's RPC URL (also what /actuator/health/settlement checks)
     * @param chains every chain to register; the first one's URL is the health target when
     *     {@code rpcUrl} is not set
     */
    @ConfigurationProperties("pers.chain")
    record Settings(String rpcUrl, List<Configured> chains) {
        Settings {
            chains = chains == null ? List.of() : chains;
        }
    }

    /** One chain as configured; left out: name "chain id", 12 confirmations, mainnet, 12 % fee bumps, no fee cap. */
    record Configured(
            Long id,
            String name,
            String rpcUrl,
            Integer confirmations,
            Boolean testnet,
            Integer feeBumpPercent,
            Long maxFeeGwei) {}

    private final Settings settings;
    private final ChainNodes nodes;
    private final JdbcClient db;

    ConfiguredChains(Settings settings, ChainNodes nodes, JdbcClient db) {
        this.settings = settings;
        this.nodes = nodes;
        this.db = db;
    }

    @EventListener(ApplicationReadyEvent.class)
    void register() {
        for (Configured chain : all()) {
            register(chain);
        }
    }

    /** The listed chains, and {@code pers.chain.rpc-url} when no listed chain has that URL. */
    List<Configured> all() {
        List<Configured> all = new ArrayList<>(settings.chains());
        String single = settings.rpcUrl();
        if (single != null && !single.isBlank() && all.stream().noneMatch(c -> single.equals(c.rpcUrl()))) {
            all.add(new Configured(null, null, single, null, null, null, null));
        }
        return all;
    }

    private void register(Configured chain) {
        if (chain.rpcUrl() == null || chain.rpcUrl().isBlank()) {
            throw new IllegalStateException(
                    "A chain in pers.chain.chains has no rpc-url (chain id " + chain.id() + ")");
        }
        String shown = RpcUrls.redact(chain.rpcUrl());
        Long answered;
        try {
            answered = nodes.client(chain.rpcUrl()).chainId();
        } catch (RuntimeException e) {
            answered = null;
        }
        if (answered != null && chain.id() != null && answered.longValue() != chain.id()) {
            throw new IllegalStateException("pers.chain.chains: the node at " + shown + " serves chain " + answered
                    + ", not the configured " + chain.id());
        }
        Long id = chain.id() != null ? chain.id() : answered;
        if (id == null) {
            log.warn(
                    "Chain at {} does not answer and pers.chain.chains[].id is not set: not registered this start",
                    shown);
            return;
        }
        if (answered == null) {
            log.warn("Chain {} at {} does not answer now; registered, settlement waits for it", id, shown);
        }
        db.sql("""
                        insert into chains (id, name, rpc_url, confirmations, testnet, fee_bump_percent, max_fee_gwei, embedded)
                        values (:id, :name, :url, :confirmations, :testnet, :bump, :maxFee, false)
                        on conflict (id) do update set name = excluded.name, rpc_url = excluded.rpc_url,
                               confirmations = excluded.confirmations, testnet = excluded.testnet,
                               fee_bump_percent = excluded.fee_bump_percent, max_fee_gwei = excluded.max_fee_gwei,
                               embedded = false, updated_at = now()""")
                .param("id", id)
                .param("name", chain.name() != null ? chain.name() : "chain " + id)
                .param("url", chain.rpcUrl())
                .param("confirmations", chain.confirmations() != null ? chain.confirmations() : DEFAULT_CONFIRMATIONS)
                .param("testnet", chain.testnet() != null && chain.testnet())
                .param("bump", chain.feeBumpPercent() != null ? chain.feeBumpPercent() : DEFAULT_FEE_BUMP_PERCENT)
                .param("maxFee", chain.maxFeeGwei())
                .update();
        log.info("Chain {} registered from configuration at {} (settlers funded by the operator)", id, shown);
    }
}
