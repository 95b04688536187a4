package io.pers.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The embedded anvil of a PERS whose state folder is {@code home}, found by the pid file PERS keeps
 * ({@code anvil/anvil.pid}), for tests that stop or pause the real process: SIGSTOP/SIGCONT (a node
 * that stops answering, state untouched) and SIGTERM (anvil dumps its state and exits; PERS's
 * supervisor starts it again from that state).
 */
public record AnvilProcess(long pid) {

    /** The anvil running now for the state folder {@code home}. */
    public static AnvilProcess of(Path home) {
        try {
            return new AnvilProcess(Long.parseLong(
                    Files.readString(home.resolve("anvil").resolve("anvil.pid")).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("No anvil.pid under " + home, e);
        }
    }

    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** SIGSTOP: the process stays, answers nothing, until {@link #resume()}. */
    public void pause() {
        signal("-STOP");
    }

    public void resume() {
        signal("-CONT");
    }

    /** SIGTERM, and waits until it has exited (its state written). */
    public void stop() {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroy();
        process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, String.valueOf(pid))
                    .inheritIO()
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
