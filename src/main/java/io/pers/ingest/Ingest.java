package io.pers.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.crypto.Secrets;
import io.pers.ingest.ConnectorConnections.Connection;
import io.pers.ingest.ConnectorConnections.Resolved;
import io.pers.tenant.TenantContext;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The ingest hub's entry: connections per tenant, and deliveries handed to the connector's Camel
 * route ({@code direct:ingest-<connector>}, made from routes/ingest-webhook.yaml's template by
 * {@link ConnectorRoutes}), which verifies, maps,
 * records and publishes them before the connector is answered.
 */
@Component
class Ingest {

    private static final Logger log = LoggerFactory.getLogger(Ingest.class);

    /** Exchange property: the connection the delivery names ({@link Resolved}). */
    static final String CONNECTION = "persConnection";
    /** Exchange property: the connector's descriptor ({@link Connectors.Connector}). */
    static final String CONNECTOR = "persConnector";
    /** Exchange property: the URL the system delivered to, as it was given it (the ingest URL). */
    static final String REQUEST_URL = "persRequestUrl";
    /** Header: the request's headers, names lower-cased. */
    static final String HTTP_HEADERS = "PersHttpHeaders";

    /**
     * The connection, its ingest URL, and its signing secret, shown this once; a polled connection
     * has neither (PERS reads the system's API with the credential it was given).
     */
    record NewConnection(Connection connection, String ingestUrl, String signingSecret) {}

    /** What the route answers: the HTTP status and body for the connector. */
    record Delivery(int status, Map<String, Object> body) {}

    private final Connectors connectors;
    private final ConnectorConnections connections;
    private final CamelContext camel;
    private final ProducerTemplate template;
    private final PollingConnections polling;
    private final TransactionTemplate tx;
    private final MeterRegistry meters;
    private final String publicBaseUrl;

    Ingest(
            Connectors connectors,
            ConnectorConnections connections,
            CamelContext camel,
            ProducerTemplate template,
            PollingConnections polling,
            TransactionTemplate tx,
            MeterRegistry meters,
            @Value("${pers.public-base-url:}") String publicBaseUrl) {
        this.connectors = connectors;
        this.connections = connections;
        this.camel = camel;
        this.template = template;
        this.polling = polling;
        this.tx = tx;
        this.meters = meters;
        this.publicBaseUrl = publicBaseUrl;
    }

    /** {@code target} is what a polled connector reads from; null for a connector that is delivered to. */
    NewConnection connect(String name, String description, String signingSecret, PollingConnections.Target target) {
        Connectors.Connector connector = connector(name);
        if (connector.polled()) {
            return connectPolled(connector, description, signingSecret, target);
        }
        if (target != null) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED,
                    name + " delivers webhooks: baseUrl, accountId and credential are for polled connectors");
        }
        String secret = signingSecret != null ? signingSecret : newSecret(connector);
        checkSecret(connector, secret);
        Connection connection = connections.create(UUID.randomUUID(), name, description, secret);
        return new NewConnection(connection, ingestUrl(name, connection.id()), secret);
    }

    /**
     * Switches a connection on or off, renames it, or (a webhook connection) gives it the secret its
     * system now signs with: deliveries signed with the previous one are refused from then on.
     */
    Connection update(UUID id, Boolean active, String description, String signingSecret) {
        if (signingSecret != null) {
            Connectors.Connector connector = connector(connections.find(id).connector());
            if (connector.polled()) {
                throw new PersException(
                        ErrorCode.VALIDATION_FAILED, connector.name() + " is polled: it has no signing secret");
            }
            checkSecret(connector, signingSecret);
        }
        return connections.update(id, active, description, signingSecret);
    }

    private static void checkSecret(Connectors.Connector connector, String secret) {
        if (whsec(connector) && !standardWebhooksSecret(secret)) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED,
                    "A Standard Webhooks secret is whsec_ and at least 24 bytes in base64");
        }
    }

    /**
     * Where a connection's system delivers: under {@code pers.public-base-url} when set (behind a
     * proxy, the URL this app sees is not the one the system was given, and Square and HubSpot sign
     * that one), else under the current request's own.
     */
    private String ingestUrl(String name, UUID connectionId) {
        UriComponentsBuilder base = publicBaseUrl.isBlank()
                ? ServletUriComponentsBuilder.fromCurrentContextPath()
                : UriComponentsBuilder.fromUriString(publicBaseUrl.replaceAll("/+$", ""));
        return base.path("/v2/ingest/{connector}/{id}")
                .buildAndExpand(name, connectionId)
                .toUriString();
    }

    private NewConnection connectPolled(
            Connectors.Connector connector,
            String description,
            String signingSecret,
            PollingConnections.Target target) {
        if (signingSecret != null || target == null) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED,
                    connector.name() + " is polled: give baseUrl, accountId and credential, not a signingSecret");
        }
        polling.validate(target);
        Connection connection = tx.execute(status -> {
            UUID id = UUID.randomUUID();
            connections.create(id, connector.name(), description, null);
            polling.create(id, target);
            return connections.find(id);
        });
        return new NewConnection(connection, null, null);
    }

    List<Connection> connections() {
        return connections.list();
    }

    /** An HTTP delivery: its URL is the connection's ingest URL, with the query string it came with. */
    Delivery deliver(String name, UUID connectionId, byte[] body, Map<String, String> headers, String query) {
        String url = ingestUrl(name, connectionId) + (query == null ? "" : "?" + query);
        return deliverAt(name, connectionId, body, headers, url);
    }

    /**
     * Runs the delivery through its route, in the connection's tenant. {@code requestUrl} is null
     * where there is none (a Kafka record): schemes that sign the URL then refuse it.
     */
    Delivery deliverAt(String name, UUID connectionId, byte[] body, Map<String, String> headers, String requestUrl) {
        Connectors.Connector connector = connector(name);
        if (connector.polled()) {
            throw PersException.notFound("Connector"); // nothing is delivered to a polled connector
        }
        try {
            Resolved connection = connections
                    .resolve(connectionId)
                    .filter(c -> c.active() && c.connector().equals(name))
                    .orElseThrow(
                            () -> new PersException(ErrorCode.INVALID_SIGNATURE, "No active connection with this id"));
            return TenantContext.callAs(connection.tenantId(), () -> {
                Exchange done = template.send("direct:ingest-" + name, exchange -> {
                    exchange.setProperty(CONNECTION, connection);
                    exchange.setProperty(CONNECTOR, connector);
                    exchange.setProperty(REQUEST_URL, requestUrl);
                    exchange.getIn().setHeader(HTTP_HEADERS, headers);
                    exchange.getIn().setBody(body);
                });
                if (done.getException() != null) {
                    throw rethrown(done.getException());
                }
                return done.getMessage().getBody(Delivery.class);
            });
        } catch (PersException refusal) {
            meters.counter(
                            "pers.ingest.refused",
                            "connector",
                            name,
                            "code",
                            refusal.code().name())
                    .increment();
            throw refusal;
        }
    }

    /** The connectors this instance runs: a connector.yaml loaded, and its route in Camel. */
    List<Connectors.Connector> running() {
        return connectors.all().stream().filter(this::routed).toList();
    }

    /** A connector this instance runs, or 404 {@code NOT_FOUND}. */
    Connectors.Connector connector(String name) {
        return connectors.find(name).filter(this::routed).orElseThrow(() -> PersException.notFound("Connector"));
    }

    private boolean routed(Connectors.Connector c) {
        return camel.getRoute((c.polled() ? "poll-" : "ingest-") + c.name()) != null;
    }

    /** The route's refusal as it is; anything else (the topic or database unreachable) is retryable. */
    private static PersException rethrown(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PersException e) {
                return e;
            }
        }
        log.warn("A delivery could not be taken in: {}", failure.toString());
        return new PersException(ErrorCode.SERVICE_UNAVAILABLE, "The event could not be stored; send it again");
    }

    private static boolean standardWebhooksSecret(String secret) {
        try {
            return secret.startsWith("whsec_")
                    && Base64.getDecoder().decode(secret.substring("whsec_".length())).length >= 24;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String newSecret(Connectors.Connector connector) {
        String key = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
        return whsec(connector) ? "whsec_" + key : key;
    }

    /** Its system signs with a Standard Webhooks {@code whsec_} secret. */
    private static boolean whsec(Connectors.Connector connector) {
        return connector.signature().secret() == SignatureSpec.SecretFormat.WHSEC;
    }
}
