package io.pers.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A script a test runs as its own process (node, bash), its output kept in a file for the failure message. */
public record Script(boolean succeeded, String output) {

    /** Runs the command with {@code env} added to its environment; killed when it outlasts {@code timeout}. */
    public static Script run(ProcessBuilder command, Map<String, String> env, Path output, Duration timeout)
            throws IOException, InterruptedException {
        command.environment().putAll(env);
        Process process = command.redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        return new Script(finished && process.exitValue() == 0, Files.readString(output, StandardCharsets.UTF_8));
    }
}
