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

    private final HttpClient http = HttpClient.newHttpClient();
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
        long order = orderIds.incrementAndGet();
        String customer = "buyer" + ThreadLocalRandom.current().nextInt(customers) + "@bench.test";
        byte[] body = template.replace("\"id\": 5324830114101,", "\"id\": " + order + ",")
                .replace("ana.silva@example.com", customer)
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Shopify-Topic", "orders/paid")
                .header("X-Shopify-Shop-Domain", "pers-bench.myshopify.com")
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Hmac-Sha256", hmac(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String hmac(byte[] body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }
}
