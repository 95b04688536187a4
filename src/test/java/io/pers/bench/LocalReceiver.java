package io.pers.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A partner's webhook receiver on this machine: answers 204 and tells who waits for a webhook-id. */
final class LocalReceiver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(64);
    private final ConcurrentHashMap<String, CompletableFuture<Void>> arrivals = new ConcurrentHashMap<>();
    private final Object counted = new Object();
    private long count;
    private long firstNanos;
    private long lastNanos;

    /** How many messages arrived, when the first and the last of them did. */
    record Arrivals(long count, double firstNanos, double lastNanos) {}

    LocalReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/hook", this::receive);
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Waits until the message with this webhook-id has arrived; false after the timeout. */
    boolean await(String webhookId, long timeoutSeconds) throws Exception {
        try {
            arrival(webhookId).get(timeoutSeconds, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } finally {
            arrivals.remove(webhookId);
        }
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        if (id != null) {
            arrival(id).complete(null);
        }
        synchronized (counted) {
            lastNanos = System.nanoTime();
            if (count++ == 0) {
                firstNanos = lastNanos;
            }
            counted.notifyAll();
        }
    }

    /** Starts counting arrivals from zero. */
    void count() {
        synchronized (counted) {
            count = 0;
        }
    }

    /** Waits until {@code expected} messages have arrived since {@link #count()}, or the time is up. */
    Arrivals awaitCount(long expected, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        synchronized (counted) {
            while (count < expected && deadline - System.nanoTime() > 0) {
                TimeUnit.NANOSECONDS.timedWait(counted, deadline - System.nanoTime());
            }
            return new Arrivals(count, firstNanos, lastNanos);
        }
    }

    private CompletableFuture<Void> arrival(String webhookId) {
        return arrivals.computeIfAbsent(webhookId, id -> new CompletableFuture<>());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
