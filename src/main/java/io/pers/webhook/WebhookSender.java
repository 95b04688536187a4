package io.pers.webhook;

import io.pers.outbound.Excerpts;
import io.pers.outbound.OutboundGuard;
import io.pers.workflow.webhook.WebhookTuning;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.stereotype.Component;

/**
 * Sends one webhook POST. Every connection goes through {@link OutboundGuard} as its DNS resolver;
 * redirects are not followed (a redirect could point anywhere) and the client never retries on
 * its own: the workflow's schedule decides retries.
 */
@Component
class WebhookSender implements AutoCloseable {

    /** A receiver's answer, or none ({@code statusCode} null) with the reason in {@code error}. */
    record Response(Integer statusCode, long latencyMs, String excerpt, long retryAfterMs, String error) {

        boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    /** An error names a host and a reason: longer text is not ours. */
    private static final int ERROR_CHARS = 500;

    private final CloseableHttpClient http;
    private final int excerptChars;

    WebhookSender(OutboundGuard guard, WebhookTuning tuning) {
        Timeout timeout = Timeout.of(tuning.requestTimeout());
        int connections = Math.max(64, tuning.worker().maxConcurrentActivities() * 2);
        this.excerptChars = tuning.responseExcerptChars();
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(guard)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout)
                                .setSocketTimeout(timeout)
                                .build())
                        .setMaxConnTotal(connections)
                        .setMaxConnPerRoute(connections)
                        .build())
                .setDefaultRequestConfig(
                        RequestConfig.custom().setResponseTimeout(timeout).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("PERS-Webhooks/1")
                .build();
    }

    Response post(String url, Map<String, String> headers, String body) {
        HttpPost post = new HttpPost(url);
        headers.forEach(post::setHeader);
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        long started = System.nanoTime();
        try (CloseableHttpResponse response = http.execute(post)) {
            String excerpt = excerpt(response.getEntity());
            return new Response(response.getCode(), elapsedMs(started), excerpt, retryAfterMs(response), null);
        } catch (OutboundGuard.Refused e) {
            return new Response(
                    null, elapsedMs(started), null, 0, "Refused target: " + Excerpts.of(e.getMessage(), ERROR_CHARS));
        } catch (IOException | RuntimeException e) {
            return new Response(
                    null,
                    elapsedMs(started),
                    null,
                    0,
                    Excerpts.of(e.getClass().getSimpleName() + ": " + e.getMessage(), ERROR_CHARS));
        }
    }

    /** The start of the answer, sanitised, for the delivery log; the rest is not read (it may be huge). */
    private String excerpt(HttpEntity entity) throws IOException {
        if (entity == null) {
            return null;
        }
        try (InputStream in = entity.getContent()) {
            return Excerpts.of(new String(in.readNBytes(excerptChars), StandardCharsets.UTF_8), excerptChars);
        }
    }

    /** Retry-After (seconds or an HTTP date) of a 429 or 503; 0 otherwise. */
    private static long retryAfterMs(CloseableHttpResponse response) {
        Header header = response.getFirstHeader("Retry-After");
        if (header == null || (response.getCode() != 429 && response.getCode() != 503)) {
            return 0;
        }
        String value = header.getValue().trim();
        try {
            return Math.max(0, TimeUnit.SECONDS.toMillis(Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                return Math.max(0, Duration.between(Instant.now(), at).toMillis());
            } catch (DateTimeParseException unreadable) {
                return 0;
            }
        }
    }

    private static long elapsedMs(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
