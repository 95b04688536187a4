package io.pers.ingest;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * One route per connector, made from the route templates of routes/ingest-webhook.yaml (a
 * connector that is delivered to: {@code ingest-<name>}) and routes/ingest-polled.yaml (a polled
 * one: {@code poll-<name>-timer} and {@code poll-<name>}), once the route files are loaded and
 * before Camel starts. A connector folder alone so adds a connector. A route of the same id from
 * a route file (pers.config-dir's routes/) is kept instead: a system that needs a route of its
 * own still can have one.
 */
@Component
class ConnectorRoutes implements CamelContextConfiguration {

    static final String WEBHOOK_TEMPLATE = "ingest-webhook";
    static final String POLL_TIMER_TEMPLATE = "poll-timer";
    static final String POLL_PAGES_TEMPLATE = "poll-pages";

    private final Connectors connectors;

    ConnectorRoutes(Connectors connectors) {
        this.connectors = connectors;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        for (Connectors.Connector connector : connectors.all()) {
            if (connector.polled()) {
                add(camel, POLL_TIMER_TEMPLATE, "poll-" + connector.name() + "-timer", connector.name());
                add(camel, POLL_PAGES_TEMPLATE, "poll-" + connector.name(), connector.name());
            } else {
                add(camel, WEBHOOK_TEMPLATE, "ingest-" + connector.name(), connector.name());
            }
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        // Every route starts with the context.
    }

    private static void add(CamelContext camel, String template, String routeId, String connector) {
        if (((ModelCamelContext) camel).getRouteDefinition(routeId) != null) {
            return;
        }
        TemplatedRouteBuilder.builder(camel, template)
                .routeId(routeId)
                .parameter("connector", connector)
                .add();
    }
}
