package io.pers.audit;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.ObjectMapper;

@Configuration(proxyBeanMethods = false)
class AuditConfig {

    /**
     * After authentication and rate limits (it needs the caller), outside idempotency, so the
     * response it records is the one the client got.
     */
    @Bean
    FilterRegistrationBean<AuditFilter> auditFilter(AuditLog auditLog, ObjectMapper json) {
        FilterRegistrationBean<AuditFilter> registration =
                new FilterRegistrationBean<>(new AuditFilter(auditLog, new Redaction(json)));
        registration.addUrlPatterns("/v2/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 25);
        return registration;
    }
}
