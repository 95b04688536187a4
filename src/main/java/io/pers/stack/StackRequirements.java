package io.pers.stack;

import java.util.List;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Checks every required property once the beans are defined and before any is made (so no pool,
 * client or embedded service starts first), and names all that are missing in one failure.
 */
@Component
class StackRequirements implements BeanFactoryPostProcessor, EnvironmentAware {

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        boolean embedded = beanFactory.getBeanNamesForType(EmbeddedStack.class, true, false).length > 0;
        List<StackMode.Requirement> missing = StackMode.missing(environment, embedded);
        if (!missing.isEmpty()) {
            throw new MissingConfigurationException(missing, StackMode.production(environment));
        }
    }
}
