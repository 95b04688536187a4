package io.pers.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * Stripe's API as WireMock, for the one application context every {@link ApiTest} shares (its
 * URL and keys are part of that context's properties). A PaymentIntent's id and client secret
 * echo the request's Idempotency-Key.
 */
public final class StripeStandIn {

    public static final String SECRET_KEY = "sk_test_pers_purchases";
    public static final String WEBHOOK_SECRET = "whsec_pers_purchases_test";

    private static WireMockServer server;

    private StripeStandIn() {}

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort().globalTemplating(true));
            server.start();
            server.stubFor(
                    post(urlPathEqualTo("/v1/payment_intents"))
                            .willReturn(
                                    aResponse()
                                            .withStatus(200)
                                            .withHeader("Content-Type", "application/json")
                                            .withBody(
                                                    "{\"id\":\"pi_{{request.headers.Idempotency-Key}}\",\"object\":\"payment_intent\","
                                                            + "\"client_secret\":\"pi_{{request.headers.Idempotency-Key}}_secret_x\"}")));
        }
        return server;
    }
}
