package io.pers.ingest;

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
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The ingest hub's entry: connections per tenant, and deliveries handed to the connector's Camel
 * route ({@code direct:ingest-<connector>} in routes/<connector>.yaml), which verifies, maps,
 * records and publishes them before the connector is answered.
 */
@Component
class Ingest {

    private static final Logger log = LoggerFactory.getLogger(Ingest.class);

    /** Exchange property: the connection the delivery names ({@link Resolved}). */
    static final String CONNECTION = "persConnection";
    /** Exchange property: the connector's descriptor ({@link Connectors.Connector}). */
    static final String CONNECTOR = "persConnector";
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

    Ingest(
            Connectors connectors,
            ConnectorConnections connections,
            CamelContext camel,
            ProducerTemplate template,
            PollingConnections polling,
            TransactionTemplate tx) {
        this.connectors = connectors;
        this.connections = connections;
        this.camel = camel;
        this.template = template;
        this.polling = polling;
        this.tx = tx;
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
        if (connector.scheme() == Connectors.Scheme.STANDARD_WEBHOOKS && !standardWebhooksSecret(secret)) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED,
                    "A Standard Webhooks secret is whsec_ and at least 24 bytes in base64");
        }
        Connection connection = connections.create(UUID.randomUUID(), name, description, secret);
        String url = ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/v2/ingest/{connector}/{id}")
                .buildAndExpand(name, connection.id())
                .toUriString();
        return new NewConnection(connection, url, secret);
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
        target.validate();
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

    /** Runs the delivery through its route, in the connection's tenant. */
    Delivery deliver(String name, UUID connectionId, byte[] body, Map<String, String> headers) {
        Connectors.Connector connector = connector(name);
        if (connector.polled()) {
            throw PersException.notFound("Connector"); // nothing is delivered to a polled connector
        }
        Resolved connection = connections
                .resolve(connectionId)
                .filter(c -> c.active() && c.connector().equals(name))
                .orElseThrow(() -> new PersException(ErrorCode.INVALID_SIGNATURE, "No active connection with this id"));
        return TenantContext.callAs(connection.tenantId(), () -> {
            Exchange done = template.send("direct:ingest-" + name, exchange -> {
                exchange.setProperty(CONNECTION, connection);
                exchange.setProperty(CONNECTOR, connector);
                exchange.getIn().setHeader(HTTP_HEADERS, headers);
                exchange.getIn().setBody(body);
            });
            if (done.getException() != null) {
                throw rethrown(done.getException());
            }
            return done.getMessage().getBody(Delivery.class);
        });
    }

    private Connectors.Connector connector(String name) {
        return connectors
                .find(name)
                .filter(c -> camel.getRoute((c.polled() ? "poll-" : "ingest-") + name) != null)
                .orElseThrow(() -> PersException.notFound("Connector"));
    }

    /** The route's refusal as it is; anything else (the topic or database unreachable) is retryable. */
    private static RuntimeException rethrown(Throwable failure) {
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
        return connector.scheme() == Connectors.Scheme.STANDARD_WEBHOOKS ? "whsec_" + key : key;
    }
}
