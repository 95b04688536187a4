package io.pers.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** A closed-loop load: {@code concurrency} workers repeat one operation for a fixed time. */
final class Load {

    /** One operation; false when the service refused it (counted, not timed as a success). */
    interface Operation {
        boolean call() throws Exception;
    }

    /** Names of the workers' threads, so CPU time can tell the client from the service. */
    static final String WORKER_PREFIX = "load-worker-";

    record Result(
            int concurrency,
            long succeeded,
            long refused,
            double seconds,
            long p50Micros,
            long p99Micros,
            long workerCpuNanos) {
        double perSecond() {
            return succeeded / seconds;
        }

        long calls() {
            return succeeded + refused;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Load() {}

    static Result run(int concurrency, int seconds, Operation operation) throws Exception {
        AtomicInteger workerNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(
                concurrency, work -> new Thread(work, WORKER_PREFIX + workerNumber.incrementAndGet()));
        long workerCpu = 0;
        long endNanos = System.nanoTime() + seconds * 1_000_000_000L;
        long started = System.nanoTime();
        List<Future<long[]>> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(pool.submit(() -> worker(operation, endNanos)));
        }
        long succeeded = 0;
        long refused = 0;
        List<long[]> latencies = new ArrayList<>();
        for (Future<long[]> worker : workers) {
            long[] micros = worker.get();
            succeeded += micros[0];
            refused += micros[1];
            workerCpu += micros[2];
            latencies.add(Arrays.copyOfRange(micros, 3, micros.length));
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(
                concurrency, succeeded, refused, elapsed, percentile(all, 50), percentile(all, 99), workerCpu);
    }

    /** [succeeded, refused, CPU nanos, latency micros...] of one worker. */
    private static long[] worker(Operation operation, long endNanos) throws Exception {
        long[] out = new long[1 << 16];
        long cpuAtStart = THREADS.getCurrentThreadCpuTime();
        int n = 3;
        while (System.nanoTime() < endNanos) {
            long t0 = System.nanoTime();
            boolean ok = operation.call();
            long micros = (System.nanoTime() - t0) / 1000;
            out[ok ? 0 : 1]++;
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[n++] = micros;
        }
        out[2] = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
        return Arrays.copyOf(out, n);
    }

    private static long percentile(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }
}
