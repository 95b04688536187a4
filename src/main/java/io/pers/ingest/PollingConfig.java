package io.pers.ingest;

import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Timeouts of the polled connectors' API calls. camel-http waits 3 minutes by default, and its
 * starter (which would read camel.component.http.*) is not served, so the components are set here.
 */
@Configuration
class PollingConfig {

    @Bean
    CamelContextConfiguration pollingHttpTimeouts(
            @Value("${pers.ingest.polling.connect-timeout:10s}") Duration connect,
            @Value("${pers.ingest.polling.response-timeout:30s}") Duration response) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                for (String scheme : new String[] {"http", "https"}) {
                    HttpComponent http = camel.getComponent(scheme, HttpComponent.class);
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
