package io.pers.purchase;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The payment provider, in Stripe's API shape: PaymentIntents are created here and their webhook
 * signatures checked. The platform has one Stripe account, configured by {@code
 * pers.purchases.stripe.*}; neither key is ever logged.
 */
@Component
class Stripe {

    /** What the front end needs to collect the payment (Stripe.js confirmPayment). */
    record PaymentIntent(String id, String clientSecret) {}

    private static final Logger log = LoggerFactory.getLogger(Stripe.class);

    private final String baseUrl;
    private final String secretKey;
    private final String webhookSecret;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Duration timeout;

    Stripe(
            @Value("${pers.purchases.stripe.base-url:https://api.stripe.com}") String baseUrl,
            @Value("${pers.purchases.stripe.secret-key:}") String secretKey,
            @Value("${pers.purchases.stripe.webhook-secret:}") String webhookSecret,
            @Value("${pers.purchases.stripe.timeout:15s}") Duration timeout,
            ObjectMapper json) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.secretKey = secretKey;
        this.webhookSecret = webhookSecret;
        this.timeout = timeout;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * Creates the PaymentIntent of a purchase. The purchase id is Stripe's Idempotency-Key, so a
     * retried top-up (same id) gets the intent made the first time, never a second charge.
     */
    PaymentIntent createPaymentIntent(UUID purchaseId, long amount, String currency) {
        requireConfigured(secretKey);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("amount", Long.toString(amount));
        form.put("currency", currency);
        form.put("metadata[purchase_id]", purchaseId.toString());
        form.put("automatic_payment_methods[enabled]", "true");
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/payment_intents"))
                .timeout(timeout)
                .header("Authorization", "Bearer " + secretKey)
                .header("Idempotency-Key", "purchase-" + purchaseId)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            log.warn("Stripe did not answer creating the PaymentIntent of purchase {}: {}", purchaseId, e.toString());
            throw new PersException(ErrorCode.PAYMENT_PROVIDER_ERROR, "The payment provider did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PersException(ErrorCode.PAYMENT_PROVIDER_ERROR, "Interrupted");
        }
        JsonNode body = response.statusCode() / 100 == 2 ? json.readTree(response.body()) : null;
        if (body == null
                || body.path("id").asString("").isEmpty()
                || body.path("client_secret").asString("").isEmpty()) {
            // Stripe's error body names the cause (e.g. amount_too_small) and carries no secret.
            log.warn(
                    "Stripe refused the PaymentIntent of purchase {}: {} {}",
                    purchaseId,
                    response.statusCode(),
                    response.body());
            throw new PersException(
                    ErrorCode.PAYMENT_PROVIDER_ERROR, "The payment provider answered " + response.statusCode());
        }
        return new PaymentIntent(
                body.path("id").asString(), body.path("client_secret").asString());
    }

    /** Checks a webhook delivery's Stripe-Signature against the endpoint secret. */
    void verify(String signatureHeader, byte[] payload) {
        requireConfigured(webhookSecret);
        StripeSignatures.verify(signatureHeader, payload, webhookSecret, Instant.now());
    }

    private static void requireConfigured(String setting) {
        if (setting.isBlank()) {
            throw new PersException(ErrorCode.PAYMENTS_NOT_CONFIGURED);
        }
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
