package io.pers.stack;

import java.util.List;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Production mode's check, as soon as the configuration is read and before any bean is defined: a
 * start that lacks a service fails in about a second instead of after the context is built. (Outside
 * production mode whether a target is needed depends on an embedded stack bean, which
 * {@link StackRequirements} sees.)
 */
class ProductionModeCheck implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!StackMode.production(environment)) {
            return;
        }
        List<StackMode.Requirement> missing = StackMode.missing(environment, false);
        if (!missing.isEmpty()) {
            throw new MissingConfigurationException(missing, true);
        }
    }

    /** After the config files are read (ConfigDataEnvironmentPostProcessor), so pers.mode may be set in one. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
