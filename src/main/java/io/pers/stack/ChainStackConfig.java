package io.pers.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The chain: a node at {@code pers.chain.rpc-url} (else the first of {@code pers.chain.chains}: see
 * chain.ConfiguredChains), or else anvil from the build's tools folder. When
 * neither is there PERS still runs, with on-chain settlement off, and says so once.
 */
@Configuration(proxyBeanMethods = false)
class ChainStackConfig {

    private static final Logger log = LoggerFactory.getLogger(ChainStackConfig.class);

    @Bean(destroyMethod = "close")
    ChainTarget chainTarget(
            @Value("${pers.chain.rpc-url:${pers.chain.chains[0].rpc-url:}}") String rpcUrl,
            @Value("${pers.chain.anvil-path:}") String anvilPath,
            @Value("${pers.home:.pers}") Path home,
            @Value("${pers.chain.anvil-port:8545}") int port) {
        if (!rpcUrl.isBlank()) {
            return new ChainTarget(rpcUrl, null);
        }
        Path binary = anvilPath.isBlank() ? defaultAnvil() : Path.of(anvilPath);
        if (!Files.isExecutable(binary)) {
            log.warn(
                    "On-chain settlement is OFF: no pers.chain.rpc-url and no anvil at {} (the build installs it"
                            + " with npm: install Node.js and run ./mvnw again). Tokens stay off-chain.",
                    binary);
            return new ChainTarget(null, null);
        }
        AnvilNode anvil = new AnvilNode(binary, home.resolve("anvil"), port > 0 ? port : FreePorts.pick());
        return new ChainTarget(anvil.rpcUrl(), anvil);
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

    /** Where {@code tools/package.json} puts the anvil of this machine's os and cpu. */
    private static Path defaultAnvil() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "darwin" : "linux";
        String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "arm64" : "amd64";
        return Path.of("tools", "node_modules", "@foundry-rs", "anvil-" + os + "-" + arch, "bin", "anvil");
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
                health.withDetail("embeddedPid", target.embedded().pid())
                        .withDetail("embeddedRestarts", target.embedded().restarts());
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
