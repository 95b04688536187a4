package io.pers.bench;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pers.support.Api;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * A partner's webhook endpoint on 127.0.0.1 (JDK HttpServer) that checks every delivery with the
 * reference Standard Webhooks library, keeps the webhook-ids it accepted, and can be told to
 * answer 500 for a while (a partner outage). Only a delivery answered 204 counts as delivered.
 */
final class PartnerReceiver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(32);
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    /** claim id -> event types delivered for it. */
    private final Map<String, Set<String>> claimEvents = new ConcurrentHashMap<>();

    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong badSignatures = new AtomicLong();
    private Instant failingUntil = Instant.MIN;
    private Duration nextOutage;
    private volatile Webhook verifier;

    PartnerReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/hook", this::receive);
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The subscription's secret (whsec_...), shown once when it was made. */
    void secret(String secret) throws Exception {
        verifier = new Webhook(secret);
    }

    /**
     * A partner outage: answers 500 to every delivery for this long, counted from the next delivery
     * to come, so the outage always meets traffic (deliveries may pause while anvil is down).
     */
    void failFor(Duration outage) {
        synchronized (this) {
            nextOutage = outage;
        }
    }

    private synchronized boolean failing() {
        if (nextOutage != null) {
            failingUntil = Instant.now().plus(nextOutage);
            nextOutage = null;
        }
        return Instant.now().isBefore(failingUntil);
    }

    Set<String> delivered() {
        return delivered;
    }

    Set<String> eventsOf(String claimId) {
        return claimEvents.getOrDefault(claimId, Set.of());
    }

    long attempts() {
        return attempts.get();
    }

    long refused() {
        return refused.get();
    }

    long badSignatures() {
        return badSignatures.get();
    }

    private void receive(HttpExchange exchange) throws IOException {
        attempts.incrementAndGet();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (failing()) {
            refused.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
            return;
        }
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        if (id == null || !verifies(body, exchange)) {
            badSignatures.incrementAndGet();
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return;
        }
        JsonNode message = Api.JSON.readTree(body);
        String claimId = message.path("data").path("claimId").asString("");
        if (!claimId.isEmpty()) {
            claimEvents
                    .computeIfAbsent(claimId, c -> ConcurrentHashMap.newKeySet())
                    .add(message.path("type").asString());
        }
        delivered.add(id);
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    private boolean verifies(String body, HttpExchange exchange) {
        Map<String, List<String>> headers = Map.of(
                "webhook-id", List.of(exchange.getRequestHeaders().getFirst("webhook-id")),
                "webhook-timestamp",
                        List.of(String.valueOf(exchange.getRequestHeaders().getFirst("webhook-timestamp"))),
                "webhook-signature",
                        List.of(String.valueOf(exchange.getRequestHeaders().getFirst("webhook-signature"))));
        try {
            verifier.verify(body, headers);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
