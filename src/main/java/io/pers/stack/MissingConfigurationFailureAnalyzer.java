package io.pers.stack;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says which properties a start lacked and how to set them, instead of a stack trace. */
class MissingConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<MissingConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, MissingConfigurationException cause) {
        StringBuilder description = new StringBuilder();
        description.append(
                cause.production()
                        ? "PERS runs in production mode (pers.mode=production): it starts no service itself and"
                                + " generates no key, so each of these must be configured and is not:\n"
                        : "This PERS has no embedded services (the packaged jar never carries them; only"
                                + " ./mvnw spring-boot:run and the tests do), so each of these must be configured"
                                + " and is not:\n");
        for (StackMode.Requirement requirement : cause.missing()) {
            description
                    .append("\n    ")
                    .append(requirement.property())
                    .append(" (")
                    .append(requirement.environmentVariable())
                    .append("): ")
                    .append(requirement.what());
        }
        return new FailureAnalysis(
                description.toString(),
                "Set each property above (as --property=value, in a config file, or as the environment variable in"
                        + " brackets). README.md, \"Running in production\", lists every property and service.",
                cause);
    }
}
