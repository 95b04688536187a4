package io.pers.idempotency;

import io.pers.api.Problems;
import io.pers.crypto.SecretBox;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class IdempotencyConfig {

    /** After authentication: keys are scoped to the tenant and the caller. */
    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(
            JdbcClient db, TransactionTemplate tx, Problems problems, SecretBox box) {
        FilterRegistrationBean<IdempotencyFilter> registration =
                new FilterRegistrationBean<>(new IdempotencyFilter(db, tx, problems, box));
        registration.addUrlPatterns("/v2/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
        return registration;
    }
}
