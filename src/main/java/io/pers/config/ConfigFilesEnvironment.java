package io.pers.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.Resource;

/**
 * Puts the workflow tuning files and the route files {@link ConfigFiles} chose into the
 * environment, after the config files are read (so {@code pers.config-dir} may be set in any of
 * them): each {@code workflows/*.yaml} as a property source just above the packaged
 * {@code application.yml} (where {@code spring.config.import} used to put them: any other config
 * file, the environment and the command line still override them), and the routes as
 * {@code camel.main.routes-include-pattern} (a value set anywhere else wins).
 */
class ConfigFilesEnvironment implements EnvironmentPostProcessor {

    static final String ROUTES_PATTERN = "camel.main.routes-include-pattern";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        ConfigFiles files = new ConfigFiles(environment.getProperty(ConfigFiles.PROPERTY, ""));
        MutablePropertySources sources = environment.getPropertySources();
        String above = packagedApplicationYaml(sources);
        for (PropertySource<?> workflow : workflows(files.yamlFiles(ConfigFiles.WORKFLOWS))) {
            if (above == null) {
                sources.addLast(workflow);
            } else {
                sources.addBefore(above, workflow);
            }
        }
        String routes = files.yamlFiles(ConfigFiles.ROUTES).values().stream()
                .map(ConfigFiles::location)
                .collect(Collectors.joining(","));
        sources.addLast(new MapPropertySource("persRoutes", Map.of(ROUTES_PATTERN, routes)));
    }

    private static List<PropertySource<?>> workflows(Map<String, Resource> files) {
        YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
        List<PropertySource<?>> loaded = new ArrayList<>();
        files.forEach((name, resource) -> {
            try {
                loaded.addAll(loader.load("workflows/" + name + " (" + ConfigFiles.location(resource) + ")", resource));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read workflows/" + name, e);
            }
        });
        return loaded;
    }

    /** The packaged application.yml's first document, or null when there is none (a bare test context). */
    private static String packagedApplicationYaml(MutablePropertySources sources) {
        for (PropertySource<?> source : sources) {
            String name = source.getName();
            if (name.contains("class path resource [application.yml]")) {
                return name;
            }
        }
        return null;
    }
}
