package io.pers.dev;

import io.pers.PersApplication;
import java.io.IOException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * The developer launch: PERS with its embedded stack (PostgreSQL, the Temporal test server, Kafka,
 * anvil) for every target left unset. {@code ./mvnw spring-boot:run} runs this on the test
 * classpath; the fault test and {@code bench/faults.sh} run it as their own process the same way.
 * The packaged jar's main class is {@link PersApplication}, which has no embedded services.
 */
public final class DevPers {

    private DevPers() {}

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(PersApplication.class);
        // The test classes share this classpath: their @TestConfiguration classes (stand-ins the
        // tests import where they want them) stay out of the component scan, as they do in tests.
        app.addInitializers(context -> context.getBeanFactory()
                .registerSingleton(NoTestConfigurations.class.getName(), new NoTestConfigurations()));
        app.run(args);
    }

    static final class NoTestConfigurations extends TypeExcludeFilter {
        @Override
        public boolean match(MetadataReader reader, MetadataReaderFactory factory) throws IOException {
            return reader.getAnnotationMetadata().hasAnnotation(TestConfiguration.class.getName());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof NoTestConfigurations;
        }

        @Override
        public int hashCode() {
            return NoTestConfigurations.class.hashCode();
        }
    }
}
