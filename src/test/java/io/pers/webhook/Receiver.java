package io.pers.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.standardwebhooks.Webhook;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A partner's webhook receiver (WireMock). Every request it got can be checked with the
 * reference Standard Webhooks library, as a partner would check it.
 */
public final class Receiver implements AutoCloseable {

    private final WireMockServer server = new WireMockServer(options().dynamicPort());

    public Receiver() {
        server.start();
    }

    /** A fresh endpoint answering {@code status}; its URL. */
    public String endpoint(int status) {
        String path = "/hooks/" + UUID.randomUUID();
        server.stubFor(post(urlPathEqualTo(path))
                .willReturn(aResponse().withStatus(status).withBody("status " + status)));
        return url(path);
    }

    /** From now on the endpoint answers {@code status} (WireMock prefers the newest stub). */
    void answer(String url, int status) {
        server.stubFor(post(urlPathEqualTo(url.substring(url.indexOf("/hooks/"))))
                .willReturn(aResponse().withStatus(status).withBody("status " + status)));
    }

    String url(String path) {
        return "http://localhost:" + server.port() + path;
    }

    WireMockServer server() {
        return server;
    }

    public List<LoggedRequest> received(String url) {
        return server.findAll(postRequestedFor(urlPathEqualTo(url.substring(url.indexOf("/hooks/")))));
    }

    /** Checks the request's Standard Webhooks signature with the reference library; fails the test otherwise. */
    static void verify(String secret, LoggedRequest request) {
        try {
            new Webhook(secret).verify(request.getBodyAsString(), headers(request));
        } catch (Exception e) {
            throw new AssertionError("signature does not verify with " + secret + ": " + headers(request), e);
        }
    }

    static boolean verifies(String secret, LoggedRequest request) {
        try {
            new Webhook(secret).verify(request.getBodyAsString(), headers(request));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static Map<String, List<String>> headers(LoggedRequest request) {
        assertThat(request.getHeader("content-type")).startsWith("application/json");
        return Map.of(
                "webhook-id", List.of(request.getHeader("webhook-id")),
                "webhook-timestamp", List.of(request.getHeader("webhook-timestamp")),
                "webhook-signature", List.of(request.getHeader("webhook-signature")));
    }

    @Override
    public void close() {
        server.stop();
    }
}
