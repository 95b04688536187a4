package io.pers.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * anvil (Foundry's local EVM node, installed by the build from npm) as a child process. Its chain
 * state is dumped to the state folder on a timer and at stop, and loaded at start, so balances
 * survive restarts as the ledger does.
 */
final class AnvilNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AnvilNode.class);
    static final long CHAIN_ID = 31337;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final String rpcUrl;
    private final Path stateDirectory;

    AnvilNode(Path binary, Path stateDirectory, int port) {
        try {
            Files.createDirectories(stateDirectory);
            process = new ProcessBuilder(List.of(
                            binary.toString(),
                            "--host",
                            "127.0.0.1",
                            "--port",
                            String.valueOf(port),
                            "--chain-id",
                            String.valueOf(CHAIN_ID),
                            "--state",
                            stateDirectory.resolve("state.json").toString(),
                            "--state-interval",
                            "5"))
                    .redirectErrorStream(true)
                    .redirectOutput(stateDirectory.resolve("anvil.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("anvil did not start from " + binary, e);
        }
        rpcUrl = "http://127.0.0.1:" + port;
        this.stateDirectory = stateDirectory;
    }

    String rpcUrl() {
        return rpcUrl;
    }

    /** Waits until anvil answers JSON-RPC; it was started by the constructor and loads its state meanwhile. */
    void awaitReady() {
        Web3j web3 = Web3j.build(new HttpService(rpcUrl));
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("anvil exited at start with code " + process.exitValue()
                            + " (its output is in anvil.log under the state folder)");
                }
                try {
                    web3.ethChainId().send();
                    log.info("anvil (chain id {}) on {} with its state in {}", CHAIN_ID, rpcUrl, stateDirectory);
                    return;
                } catch (IOException notYet) {
                    if (Instant.now().isAfter(deadline)) {
                        close();
                        throw new IllegalStateException(
                                "anvil did not answer on " + rpcUrl + " within " + START_TIMEOUT);
                    }
                    sleep(Duration.ofMillis(50));
                }
            }
        } finally {
            web3.shutdown();
        }
    }

    /** SIGTERM first: anvil writes its state on a clean exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for anvil", e);
        }
    }
}
