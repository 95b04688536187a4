package io.pers.dev;

import io.pers.stack.EmbeddedService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * anvil (Foundry's local EVM node, installed by the build from npm) as a child process. Its chain
 * state is dumped to the state folder every second and at a clean stop (SIGTERM), and loaded at
 * start, so blocks, receipts and balances survive restarts as the ledger does.
 *
 * <p>Supervised: when anvil exits while PERS runs (stopped, crashed), it is started again on the
 * same port from its saved state, after 1 s, then 2, 4 ... up to 30 s while it keeps failing.
 * Settlement steps wait the outage out and go on. An anvil an earlier run left behind (that run
 * was killed with SIGKILL, so its children outlived it) is named by {@code anvil.pid} and stopped
 * with SIGTERM, which dumps its state, before this one loads it.
 */
final class AnvilNode implements EmbeddedService {

    private static final Logger log = LoggerFactory.getLogger(AnvilNode.class);
    static final long CHAIN_ID = 31337;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(30);
    /** A node that ran this long before it exited is restarted after the first backoff again. */
    private static final Duration STEADY = Duration.ofMinutes(1);

    private final Path binary;
    private final Path stateDirectory;
    private final int port;
    private final String rpcUrl;
    private final AtomicInteger restarts = new AtomicInteger();
    private final Thread supervisor = new Thread(this::supervise, "anvil-supervisor");
    private volatile Process process;
    private volatile boolean closing;

    AnvilNode(Path binary, Path stateDirectory, int port) {
        this.binary = binary;
        this.stateDirectory = stateDirectory;
        this.port = port;
        this.rpcUrl = "http://127.0.0.1:" + port;
        try {
            Files.createDirectories(stateDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + stateDirectory, e);
        }
        StaleProcess.find(pidFile(), "anvil").ifPresent(stale -> {
            log.warn("anvil {} of an earlier run still runs on this state: stopping it first", stale.pid());
            StaleProcess.stop(stale);
        });
        process = launch();
        supervisor.setDaemon(true);
    }

    @Override
    public String address() {
        return rpcUrl;
    }

    /** Health shows which anvil answers and how often the supervisor brought it back. */
    @Override
    public Map<String, Object> details() {
        return Map.of("embeddedPid", pid(), "embeddedRestarts", restarts());
    }

    /** The live anvil's process id (tests stop and pause it through this, or through anvil.pid). */
    long pid() {
        return process.pid();
    }

    /** How often the supervisor started anvil again since PERS started. */
    int restarts() {
        return restarts.get();
    }

    /** Waits until anvil answers JSON-RPC (it loads its state meanwhile), then supervises it. */
    @Override
    public void awaitReady() {
        try {
            awaitAnswering(process);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("anvil (chain id {}) on {} with its state in {}", CHAIN_ID, rpcUrl, stateDirectory);
        if (!supervisor.isAlive()) {
            supervisor.start();
        }
    }

    private Process launch() {
        try {
            Process started = new ProcessBuilder(List.of(
                            binary.toString(),
                            "--host",
                            "127.0.0.1",
                            "--port",
                            String.valueOf(port),
                            "--chain-id",
                            String.valueOf(CHAIN_ID),
                            "--state",
                            stateDirectory.resolve("state.json").toString(),
                            // At most the last second of blocks is lost when anvil itself is
                            // killed with SIGKILL; SIGTERM and a pause (SIGSTOP) lose nothing.
                            "--state-interval",
                            "1"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            stateDirectory.resolve("anvil.log").toFile()))
                    .start();
            StaleProcess.writePid(pidFile(), started.pid());
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("anvil did not start from " + binary, e);
        }
    }

    private Path pidFile() {
        return stateDirectory.resolve("anvil.pid");
    }

    private void awaitAnswering(Process node) {
        Web3j web3 = Web3j.build(new HttpService(rpcUrl));
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        try {
            while (true) {
                if (!node.isAlive()) {
                    throw new IllegalStateException("anvil exited at start with code " + node.exitValue()
                            + " (its output is in anvil.log under the state folder)");
                }
                try {
                    web3.ethChainId().send();
                    return;
                } catch (IOException notYet) {
                    if (Instant.now().isAfter(deadline)) {
                        node.destroyForcibly();
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

    /** Starts anvil again whenever it exits, until PERS closes it. */
    private void supervise() {
        Duration backoff = FIRST_BACKOFF;
        try {
            while (!closing) {
                Instant since = Instant.now();
                int code = process.waitFor();
                if (closing) {
                    return;
                }
                if (Duration.between(since, Instant.now()).compareTo(STEADY) >= 0) {
                    backoff = FIRST_BACKOFF;
                }
                log.warn(
                        "anvil exited with code {}: starting it again in {} s from its saved state",
                        code,
                        backoff.toSeconds());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(LONGEST_BACKOFF) > 0
                        ? LONGEST_BACKOFF
                        : backoff.multipliedBy(2);
                restart();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void restart() {
        if (closing) {
            return;
        }
        try {
            process = launch();
            awaitAnswering(process);
            restarts.incrementAndGet();
            log.info("anvil is back on {} (restart {})", rpcUrl, restarts.get());
        } catch (RuntimeException e) {
            log.warn("anvil did not come back: {}", e.getMessage());
        }
    }

    /** SIGTERM first: anvil writes its state on a clean exit. */
    @Override
    public synchronized void close() {
        closing = true;
        supervisor.interrupt();
        Process node = process;
        node.destroy();
        try {
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        } catch (InterruptedException e) {
            node.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            log.debug("Could not delete {}", pidFile(), e);
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
