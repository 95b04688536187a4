package io.pers.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.pers.api.Problems;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
class RateLimitConfig {

    /** Right after authentication (it needs the caller), before idempotency and the handlers. */
    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(
            RateLimitProperties properties, Problems problems, MeterRegistry meters, JdbcClient db) {
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(new RateLimitFilter(properties, problems, meters, new SharedBuckets(db)));
        registration.addUrlPatterns("/v2/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 22);
        return registration;
    }
}
