package io.pers.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pers.ingest.PollingConnections.Due;
import io.pers.ingest.PollingConnections.Page;
import io.pers.ingest.PollingConnections.State;
import io.pers.outbound.Excerpts;
import io.pers.tenant.TenantContext;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The polled connectors' steps (routes/ingest-polled.yaml, one pair of routes per polled connector). On each Quartz tick, {@link #pollDue}
 * takes every due connection of the connector, one at a time under its lock and in its tenant,
 * and sends it page by page through {@code direct:poll-<connector>}: {@link #request} builds the
 * GET from the stored cursor, the route calls the API, {@link #page} checks the answer and hands
 * its items one by one to the same mapping and dedup steps webhooks use, and {@link #advance}
 * moves the cursor once they are all stored and published. A failed page moves nothing and is
 * read again on the next poll; its error is kept on the connection.
 */
@Component("bookingPoller")
class BookingPoller {

    private static final Logger log = LoggerFactory.getLogger(BookingPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERROR_LENGTH = 300;

    /** Exchange properties of one page's exchange. */
    static final String SPEC = "persPollingSpec";

    static final String PAGE = "persPollPage";
    static final String URL = "persPollUrl";
    static final String ITEMS = "persPollItems";
    static final String MORE = "persPollMore";

    /** The API refused the credential (401/403): the connection is FAILING until it works again. */
    static final class CredentialRefused extends RuntimeException {
        CredentialRefused(int status) {
            super("the API refused the credential (HTTP " + status + ")");
        }
    }

    /** Any other answer that is no page of items; the same page is read again next time. */
    static final class PollFailed extends RuntimeException {
        PollFailed(String message) {
            super(message);
        }
    }

    private final Connectors connectors;
    private final PollingConnections polling;
    private final ProducerTemplate template;
    private final Environment env;

    BookingPoller(Connectors connectors, PollingConnections polling, ProducerTemplate template, Environment env) {
        this.connectors = connectors;
        this.polling = polling;
        this.template = template;
        this.env = env;
    }

    /** The Quartz route's step: polls every due connection of the connector. */
    public void pollDue(String name) {
        Connectors.Connector connector = connectors
                .find(name)
                .filter(Connectors.Connector::polled)
                .orElseThrow(() -> new IllegalStateException("No polled connector " + name));
        PollingSpec spec = spec(connector);
        for (Due due : polling.due(name, spec)) {
            Optional<AutoCloseable> lock = polling.tryLock(due.connectionId());
            if (lock.isEmpty()) {
                continue; // another instance is polling it
            }
            try (AutoCloseable held = lock.get()) {
                TenantContext.runAs(due.tenantId(), () -> poll(connector, spec, due));
            } catch (Exception e) {
                log.warn("Polling connection {} stopped: {}", due.connectionId(), e.toString());
            }
        }
    }

    private void poll(Connectors.Connector connector, PollingSpec spec, Due due) {
        if (!polling.startPoll(due.connectionId(), spec)) {
            return;
        }
        ConnectorConnections.Resolved connection =
                new ConnectorConnections.Resolved(due.connectionId(), due.tenantId(), connector.name(), null, true);
        for (int pages = 0; pages < spec.maxPages(); pages++) {
            Exchange done = template.send("direct:poll-" + connector.name(), exchange -> {
                exchange.setProperty(Ingest.CONNECTION, connection);
                exchange.setProperty(Ingest.CONNECTOR, connector);
                exchange.setProperty(SPEC, spec);
            });
            if (done.getException() != null) {
                failed(due.connectionId(), done.getException());
                return;
            }
            if (!done.getProperty(MORE, false, Boolean.class)) {
                return;
            }
        }
    }

    /** Builds the page's GET from the stored cursor: a new window, or the next page of the open one. */
    public void request(Exchange exchange) {
        PollingSpec spec = exchange.getProperty(SPEC, PollingSpec.class);
        UUID connectionId = exchange.getProperty(Ingest.CONNECTION, ConnectorConnections.Resolved.class)
                .id();
        State state = polling.state(connectionId);
        Page page = state.windowTo() != null
                ? new Page(connectionId, state.windowFrom(), state.windowTo(), state.nextPage())
                : new Page(connectionId, state.watermark().minus(spec.overlap()), Instant.now(), 1);
        Map<String, String> query = new LinkedHashMap<>(spec.query());
        if (spec.accountParam() != null && state.accountId() != null) {
            query.put(spec.accountParam(), state.accountId());
        }
        query.put(spec.fromParam(), spec.timeFormat().format(page.from()));
        query.put(spec.toParam(), spec.timeFormat().format(page.to()));
        query.put(spec.pageParam(), Integer.toString(page.number()));
        query.put(spec.pageSizeParam(), Integer.toString(spec.pageSize()));

        // Only these reach the API: camel-http sends every message header as a request header.
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getIn().setHeader(Exchange.HTTP_QUERY, encode(query));
        exchange.getIn().setHeader("Accept", "application/json");
        exchange.getIn().setHeader("Authorization", "Bearer " + polling.credential(state));
        exchange.getIn().setBody(null);
        exchange.setProperty(PAGE, page);
        exchange.setProperty(URL, state.baseUrl() + spec.path());
    }

    /** The API's answer: its items, each a JSON body for the mapping step, or the reason there are none. */
    public void page(Exchange exchange) {
        PollingSpec spec = exchange.getProperty(SPEC, PollingSpec.class);
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        // The request's Authorization and the response's headers stop here.
        exchange.getMessage().removeHeaders("*");
        if (status != null && (status == 401 || status == 403)) {
            throw new CredentialRefused(status);
        }
        if (status == null || status / 100 != 2) {
            throw new PollFailed("the API answered HTTP " + status);
        }
        JsonNode items = items(body, spec.itemsField());
        List<byte[]> bodies = new ArrayList<>();
        for (JsonNode item : items) {
            bodies.add(item.toString().getBytes(StandardCharsets.UTF_8));
        }
        exchange.setProperty(ITEMS, bodies.size());
        exchange.getMessage().setHeader(Ingest.HTTP_HEADERS, Map.of());
        exchange.getMessage().setBody(bodies);
    }

    /** After every item of the page is stored and published: the cursor moves past the page. */
    public void advance(Exchange exchange) {
        PollingSpec spec = exchange.getProperty(SPEC, PollingSpec.class);
        boolean more = exchange.getProperty(ITEMS, Integer.class) >= spec.pageSize();
        polling.advance(exchange.getProperty(PAGE, Page.class), more);
        exchange.setProperty(MORE, more);
    }

    private void failed(UUID connectionId, Exception failure) {
        Throwable cause = failure;
        while (!(cause instanceof CredentialRefused || cause instanceof PollFailed) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String error = cause instanceof CredentialRefused || cause instanceof PollFailed
                ? cause.getMessage()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        // The API's own words (a parse error quotes its body) reach the connection's lastError: bounded, sanitised.
        error = Excerpts.of(error, ERROR_LENGTH);
        log.warn("Polling connection {} failed, retried on its next poll: {}", connectionId, error);
        polling.failed(connectionId, error, cause instanceof CredentialRefused);
    }

    /** connector.yaml's pace and page size, unless the operator sets pers.ingest.polling.<name>.*. */
    private PollingSpec spec(Connectors.Connector connector) {
        PollingSpec spec = connector.polling();
        String prefix = "pers.ingest.polling." + connector.name() + ".";
        return spec.tuned(
                env.getProperty(prefix + "interval", Duration.class, spec.interval()),
                env.getProperty(prefix + "page-size", Integer.class, spec.pageSize()));
    }

    static JsonNode items(byte[] body, String field) {
        JsonNode root;
        try {
            root = body == null ? null : JSON.readTree(body);
        } catch (IOException e) {
            throw new PollFailed("the API answered with no JSON");
        }
        JsonNode items = root == null ? null : root.path(field);
        if (items == null || !items.isArray()) {
            String message = root == null ? "" : root.path("message").asText("");
            throw new PollFailed(
                    "the API's answer has no " + field + " array" + (message.isBlank() ? "" : ": " + message));
        }
        return items;
    }

    private static String encode(Map<String, String> query) {
        return query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
