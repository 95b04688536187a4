package io.pers.dev;

import io.pers.stack.EmbeddedStack;
import io.pers.stack.StackMode;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Lets every unset target (datasource, Temporal, Kafka, chain) be stood in for by the developer's
 * embedded stack. Listed in the test classpath's {@code AutoConfiguration.imports}, so it is there
 * for {@code ./mvnw spring-boot:run} ({@link DevPers}) and every test, never in the packaged jar;
 * never in production mode either.
 */
@AutoConfiguration
@Conditional(DevStackAutoConfiguration.NotProduction.class)
class DevStackAutoConfiguration {

    static final class NotProduction implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StackMode.production(context.getEnvironment());
        }
    }

    @Bean
    EmbeddedStack embeddedStack(Environment env) {
        return new DevStack(env);
    }
}
