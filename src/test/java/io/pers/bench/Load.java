package io.pers.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** A closed-loop load: {@code concurrency} workers repeat one operation for a fixed time. */
final class Load {

    /** One operation; false when the service refused it (counted, not timed as a success). */
    interface Operation {
        boolean call() throws Exception;
    }

    record Result(int concurrency, long succeeded, long refused, double seconds, long p50Micros, long p99Micros) {
        double perSecond() {
            return succeeded / seconds;
        }
    }

    private Load() {}

    static Result run(int concurrency, int seconds, Operation operation) throws Exception {
        warmUp(operation);
        long endNanos = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
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
            long ok = micros[0];
            succeeded += ok;
            refused += micros[1];
            latencies.add(Arrays.copyOfRange(micros, 2, micros.length));
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(concurrency, succeeded, refused, elapsed, percentile(all, 50), percentile(all, 99));
    }

    /** [succeeded, refused, latency micros...] of one worker. */
    private static long[] worker(Operation operation, long endNanos) throws Exception {
        long[] out = new long[1 << 16];
        int n = 2;
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
        return Arrays.copyOf(out, n);
    }

    private static void warmUp(Operation operation) throws Exception {
        for (int i = 0; i < 50; i++) {
            operation.call();
        }
    }

    private static long percentile(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }
}
