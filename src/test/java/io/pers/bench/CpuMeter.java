package io.pers.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time the service spends per operation, which unlike throughput hardly depends on what else
 * the machine runs. Three parts: the load's client in this JVM (the workers, which measure
 * themselves, and the JDK HTTP client's threads), the rest of this JVM (the service: Tomcat,
 * filters, ledger, the background sealer and dispatcher), and the PostgreSQL server's processes
 * (the postmaster, its live backends, and the children it has reaped).
 */
final class CpuMeter {

    record Sample(long httpClientNanos, long jvmNanos, long postgresNanos) {}

    /** Milliseconds of CPU per operation between two samples. */
    record PerOperation(double serviceMs, double postgresMs, double clientMs) {}

    private static final long NANOS_PER_TICK = 1_000_000_000L / 100; // USER_HZ is 100 on Linux
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long postmasterPid;

    /** @param backendPid {@code pg_backend_pid()} of any connection to the server */
    CpuMeter(long backendPid) {
        this.postmasterPid = stat(backendPid)[3];
    }

    Sample sample() {
        long client = 0;
        for (ThreadInfo thread : THREADS.dumpAllThreads(false, false)) {
            String name = thread.getThreadName();
            if (name.startsWith("HttpClient-")) {
                client += Math.max(0, THREADS.getThreadCpuTime(thread.getThreadId()));
            }
        }
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new Sample(client, jvm, postgresTicks() * NANOS_PER_TICK);
    }

    static PerOperation between(Sample before, Sample after, Load.Result load) {
        return between(before, after, load.calls(), load.workerCpuNanos());
    }

    /** Per operation of work the app did on its own (no load client but this JVM's HTTP clients). */
    static PerOperation between(Sample before, Sample after, long operations) {
        return between(before, after, operations, 0);
    }

    private static PerOperation between(Sample before, Sample after, long operations, long workerCpuNanos) {
        double client = after.httpClientNanos() - before.httpClientNanos() + workerCpuNanos;
        double jvm = after.jvmNanos() - before.jvmNanos();
        double postgres = after.postgresNanos() - before.postgresNanos();
        double n = Math.max(1, operations) * 1e6;
        return new PerOperation((jvm - client) / n, postgres / n, client / n);
    }

    /** utime + stime of the postmaster, its reaped children, and its live children. */
    private long postgresTicks() {
        long[] postmaster = stat(postmasterPid);
        long ticks = postmaster[13] + postmaster[14] + postmaster[15] + postmaster[16];
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String name = process.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    long[] child = stat(Long.parseLong(name));
                    if (child.length > 14 && child[3] == postmasterPid) {
                        ticks += child[13] + child[14];
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc", e);
        }
        return ticks;
    }

    /** The numeric fields of /proc/PID/stat, 0-based as in proc(5) less one; empty if it is gone. */
    private static long[] stat(long pid) {
        String line;
        try {
            line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return new long[0];
        }
        // The command name may hold spaces and parentheses: the fields start after the last ')'.
        String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        long[] out = new long[fields.length + 2];
        out[0] = pid;
        for (int i = 0; i < fields.length; i++) {
            // Some fields are unsigned 64-bit (e.g. rlim): only the small counters are read.
            out[i + 2] = fields[i].length() < 19 && fields[i].chars().allMatch(Character::isDigit)
                    ? Long.parseLong(fields[i])
                    : 0;
        }
        return out;
    }
}
