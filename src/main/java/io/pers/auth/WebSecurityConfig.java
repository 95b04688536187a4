package io.pers.auth;

import io.pers.api.Problems;
import io.pers.tenant.Tenants;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Authentication runs on {@code /v2} after correlation and size checks, before idempotency. */
@Configuration(proxyBeanMethods = false)
class WebSecurityConfig implements WebMvcConfigurer {

    static final int AUTHENTICATION_ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    @Bean
    FilterRegistrationBean<AuthenticationFilter> authenticationFilter(
            AccessTokens tokens, ApiKeys apiKeys, Tenants tenants, Problems problems) {
        FilterRegistrationBean<AuthenticationFilter> registration =
                new FilterRegistrationBean<>(new AuthenticationFilter(tokens, apiKeys, tenants, problems));
        registration.addUrlPatterns("/v2/*");
        registration.setOrder(AUTHENTICATION_ORDER);
        return registration;
    }

    /** Before the actuator's own handling; nothing else runs on /actuator. */
    @Bean
    FilterRegistrationBean<ActuatorAccessFilter> actuatorAccessFilter(AccessTokens tokens, Problems problems) {
        FilterRegistrationBean<ActuatorAccessFilter> registration =
                new FilterRegistrationBean<>(new ActuatorAccessFilter(tokens, problems));
        registration.addUrlPatterns("/actuator/*");
        registration.setOrder(AUTHENTICATION_ORDER);
        return registration;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AccessInterceptor()).addPathPatterns("/v2/**");
    }
}
