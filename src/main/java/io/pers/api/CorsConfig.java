package io.pers.api;

import java.io.IOException;
import java.util.List;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * CORS for browser front ends, off unless {@code pers.cors.allowed-origins} lists origins. As a
 * filter ahead of authentication, so preflights need no credential and refusals still carry
 * the CORS headers a browser needs to read them.
 */
@Configuration(proxyBeanMethods = false)
class CorsConfig {

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(Environment environment, ObjectMapper json) {
        // Bound rather than @Value: a YAML list arrives as indexed properties.
        List<String> allowedOrigins = Binder.get(environment)
                .bind("pers.cors.allowed-origins", Bindable.listOf(String.class))
                .orElse(List.of());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!allowedOrigins.isEmpty()) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(allowedOrigins);
            cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
            cors.setAllowedHeaders(
                    List.of("Authorization", "Content-Type", "x-project-key", "Idempotency-Key", "X-Correlation-Id"));
            cors.setExposedHeaders(List.of("X-Correlation-Id", "Retry-After", "Idempotent-Replayed", "Location"));
            cors.setMaxAge(3600L);
            source.registerCorsConfiguration("/v2/**", cors);
        }
        CorsFilter filter = new CorsFilter(source);
        filter.setCorsProcessor(new ProblemCorsProcessor(json));
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    /** Refuses a cross-origin request as problem+json, like every other refusal. */
    private static final class ProblemCorsProcessor extends DefaultCorsProcessor {
        private final ObjectMapper json;

        ProblemCorsProcessor(ObjectMapper json) {
            this.json = json;
        }

        @Override
        protected void rejectRequest(ServerHttpResponse response) throws IOException {
            response.setStatusCode(HttpStatus.FORBIDDEN);
            response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            response.getBody()
                    .write(json.writeValueAsBytes(
                            Problems.of(ErrorCode.ORIGIN_NOT_ALLOWED, "Origin is not in pers.cors.allowed-origins")));
            response.flush();
        }
    }
}
