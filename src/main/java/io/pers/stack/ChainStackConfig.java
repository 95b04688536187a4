package io.pers.stack;

import java.time.Duration;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The chain: a node at {@code pers.chain.rpc-url} (else the first of {@code pers.chain.chains}: see
 * chain.ConfiguredChains). Unset, the developer's embedded stack may stand in with its dev chain
 * (anvil from the build's tools folder, {@code io.pers.dev}); never in production mode, and the
 * packaged jar has none. Without either PERS still runs, with on-chain settlement off, and says so
 * once: a chain is optional, tokens then stay off-chain.
 */
@Configuration(proxyBeanMethods = false)
class ChainStackConfig {

    private static final Logger log = LoggerFactory.getLogger(ChainStackConfig.class);

    @Bean(destroyMethod = "close")
    ChainTarget chainTarget(
            @Value("${pers.chain.rpc-url:${pers.chain.chains[0].rpc-url:}}") String rpcUrl,
            Environment env,
            ObjectProvider<EmbeddedStack> stack) {
        if (!rpcUrl.isBlank()) {
            return new ChainTarget(rpcUrl, null);
        }
        EmbeddedStack embedded = StackMode.production(env) ? null : stack.getIfAvailable();
        Optional<EmbeddedService> devChain = embedded == null ? Optional.empty() : embedded.chain();
        if (devChain.isEmpty()) {
            log.warn(
                    "On-chain settlement is OFF: pers.chain.rpc-url is not set{}. Tokens stay off-chain.",
                    embedded == null ? "" : " and the dev chain (anvil) is not installed");
            return new ChainTarget(null, null);
        }
        return new ChainTarget(devChain.get().address(), devChain.get());
    }

    /** PERS is ready only once anvil answers. */
    @Bean
    SmartLifecycle chainStarted(ChainTarget target) {
        return new AwaitOnStart(() -> {
            if (target.embedded() != null) {
                target.embedded().awaitReady();
            }
        });
    }

    /**
     * DOWN while the node does not answer within 2 s: stopped (the supervisor starts an embedded
     * anvil again), paused, or unreachable.
     */
    @Bean
    HealthIndicator chain(ChainTarget target) {
        OkHttpClient http =
                new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(2)).build();
        return () -> {
            if (target.rpcUrl() == null) {
                return Health.unknown()
                        .withDetail("settlement", "off: no chain configured and no anvil installed")
                        .build();
            }
            Web3j web3 = Web3j.build(new HttpService(target.rpcUrl(), http));
            Health.Builder health = Health.up();
            if (target.embedded() != null) {
                health.withDetails(target.embedded().details());
            }
            // The URL may carry a provider key: only scheme://host shows, also in the error (RpcUrls).
            try {
                return health.withDetail("rpcUrl", RpcUrls.redact(target.rpcUrl()))
                        .withDetail("chainId", web3.ethChainId().send().getChainId())
                        .withDetail("headBlock", web3.ethBlockNumber().send().getBlockNumber())
                        .build();
            } catch (Exception e) {
                return health.down()
                        .withDetail("rpcUrl", RpcUrls.redact(target.rpcUrl()))
                        .withDetail("error", RpcUrls.scrub(e.toString(), target.rpcUrl()))
                        .build();
            } finally {
                web3.shutdown();
            }
        };
    }
}
