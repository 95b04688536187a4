package io.pers.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child PERS started in an earlier run that outlived it: a PERS killed with SIGKILL runs no
 * shutdown hook, so its PostgreSQL (detached by {@code pg_ctl}) and its anvil keep running, holding
 * their ports and data folders. The pid file under the state folder names the process; it is
 * stopped cleanly (each writes what it holds on a clean stop) before the new one starts on the
 * same data. A pid that now names another program is left alone.
 */
public final class StaleProcess {

    private static final Logger log = LoggerFactory.getLogger(StaleProcess.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private StaleProcess() {}

    /** The live process the pid file's first line names, when its command line mentions {@code marker}. */
    static Optional<ProcessHandle> find(Path pidFile, String marker) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().orElse("").contains(marker));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + pidFile, e);
        }
    }

    /**
     * Stops the embedded PostgreSQL an earlier run left on {@code dataDirectory} with a fast
     * shutdown ({@code pg_ctl stop -m fast}, from the same binaries): open transactions roll back,
     * every commit is kept.
     */
    static void stopPostgres(Path dataDirectory) {
        find(dataDirectory.resolve("postmaster.pid"), "postgres").ifPresent(postgres -> {
            log.warn(
                    "PostgreSQL {} of an earlier run still runs on {}: stopping it first",
                    postgres.pid(),
                    dataDirectory);
            Path pgCtl = postgres.info()
                    .command()
                    .map(c -> Path.of(c).resolveSibling("pg_ctl"))
                    .filter(Files::isExecutable)
                    .orElse(null);
            if (pgCtl != null) {
                run(List.of(pgCtl.toString(), "stop", "-D", dataDirectory.toString(), "-m", "fast", "-w", "-t", "60"));
            }
            stop(postgres); // a smart shutdown (SIGTERM) when pg_ctl was not found; else it is gone already
        });
    }

    /**
     * Stops the PostgreSQL and anvil a developer launch under {@code home} left running (a PERS
     * killed with SIGKILL leaves both), and waits for them: what a test does after killing PERS.
     */
    public static void stopServicesOf(Path home) {
        stopPostgres(home.resolve("postgres"));
        find(home.resolve("anvil").resolve("anvil.pid"), "anvil").ifPresent(StaleProcess::stop);
    }

    /** Stops the process with SIGTERM and waits; SIGKILL only when it does not go within a minute. */
    static void stop(ProcessHandle process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Process {} did not stop within {}: killing it", process.pid(), STOP_TIMEOUT);
            process.destroyForcibly();
        }
    }

    /**
     * Written beside and moved into place, so a reader (a test pausing anvil, the next start) never
     * finds the file empty or half written while the supervisor replaces it.
     */
    static void writePid(Path pidFile, long pid) {
        try {
            Path written = pidFile.resolveSibling(pidFile.getFileName() + ".new");
            Files.writeString(written, pid + "\n", StandardCharsets.UTF_8);
            Files.move(
                    written,
                    pidFile,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + pidFile, e);
        }
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            log.warn("{} failed: {}", command.get(0), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping a stale process", e);
        }
    }
}
