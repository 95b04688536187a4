package io.pers.stack;

import java.util.List;
import java.util.stream.Collectors;

/** PERS was started without a property it cannot run without; the message names each one. */
public class MissingConfigurationException extends IllegalStateException {

    private final List<StackMode.Requirement> missing;
    private final boolean production;

    public MissingConfigurationException(List<StackMode.Requirement> missing, boolean production) {
        super("Missing configuration"
                + (production ? " (pers.mode=production)" : " (no embedded services on this classpath)") + ": "
                + missing.stream().map(StackMode.Requirement::property).collect(Collectors.joining(", ")));
        this.missing = List.copyOf(missing);
        this.production = production;
    }

    public List<StackMode.Requirement> missing() {
        return missing;
    }

    public boolean production() {
        return production;
    }
}
