package io.pers.ingest;

import io.pers.outbound.OutboundGuard;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The polled connectors' HTTP client. Base URLs are tenant-set, so connections resolve through
 * the SSRF guard (the address checked is the one connected to) and no redirect is followed.
 * Timeouts: camel-http waits 3 minutes by default, and its starter (which would read
 * camel.component.http.*) is not served, so the components are set here.
 */
@Configuration
class PollingConfig {

    @Bean
    CamelContextConfiguration pollingHttpClient(
            OutboundGuard guard,
            @Value("${pers.ingest.polling.connect-timeout:10s}") Duration connect,
            @Value("${pers.ingest.polling.response-timeout:30s}") Duration response) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                for (String scheme : new String[] {"http", "https"}) {
                    HttpComponent http = camel.getComponent(scheme, HttpComponent.class);
                    // A connection manager of our own bypasses the component's timeouts: they are set on it too.
                    http.setClientConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                            .setDnsResolver(guard)
                            .setDefaultConnectionConfig(ConnectionConfig.custom()
                                    .setConnectTimeout(Timeout.of(connect))
                                    .setSocketTimeout(Timeout.of(response))
                                    .build())
                            .build());
                    http.setRedirectHandlingDisabled(true);
                    http.setFollowRedirects(false);
                    http.setConnectTimeout(connect.toMillis());
                    http.setConnectionRequestTimeout(connect.toMillis());
                    http.setResponseTimeout(response.toMillis());
                    http.setSoTimeout(response.toMillis());
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {}
        };
    }
}
