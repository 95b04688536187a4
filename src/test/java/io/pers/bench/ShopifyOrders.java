package io.pers.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed Shopify orders/paid deliveries, each a new order (new webhook id, order id and customer
 * among {@code customers}), built from the shipped sample connectors/shopify/samples.
 */
final class ShopifyOrders {

    /** One delivery as Shopify sends it, and sends it again (same webhook id) when not acknowledged. */
    record Delivery(String webhookId, long orderId, String customer, long totalPrice, byte[] body, String hmac) {}

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final String template;
    private final byte[] secret;
    private final int customers;
    private final AtomicLong orderIds = new AtomicLong(7_000_000_000L);

    ShopifyOrders(String secret, int customers) throws IOException {
        this.template = Files.readString(Path.of("connectors/shopify/samples/orders-paid-single-item.json"));
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.customers = customers;
    }

    /** Delivers one new paid order; answers the HTTP status. */
    int deliver(String url) throws Exception {
        return send(url, next(25)).statusCode();
    }

    /** A new paid order of {@code totalPrice} (whole units) by one of the customers. */
    Delivery next(long totalPrice) throws GeneralSecurityException {
        long order = orderIds.incrementAndGet();
        String customer = "buyer" + ThreadLocalRandom.current().nextInt(customers) + "@bench.test";
        byte[] body = template.replace("\"id\": 5324830114101,", "\"id\": " + order + ",")
                .replace("\"total_price\": \"25.00\"", "\"total_price\": \"" + totalPrice + ".00\"")
                .replace("ana.silva@example.com", customer)
                .getBytes(StandardCharsets.UTF_8);
        return new Delivery(UUID.randomUUID().toString(), order, customer, totalPrice, body, hmac(body));
    }

    HttpResponse<Void> send(String url, Delivery delivery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Shopify-Topic", "orders/paid")
                .header("X-Shopify-Shop-Domain", "pers-bench.myshopify.com")
                .header("X-Shopify-Webhook-Id", delivery.webhookId())
                .header("X-Shopify-Hmac-Sha256", delivery.hmac())
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding());
    }

    private String hmac(byte[] body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }
}
