package io.pers.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Which external services PERS must be pointed at, and where it may stand in for them itself.
 *
 * <p>{@code pers.mode=production} ({@code PERS_MODE=production}): every service is configured,
 * nothing is started or generated in its place; a missing property stops the start and is named.
 * Any other mode (the default, {@code development}): an unset target is stood in for by the
 * embedded stack, when there is one ({@link EmbeddedStack}: the developer launch and the tests).
 * The packaged jar has none, so there too an unset target stops the start, named, whatever the mode.
 */
public final class StackMode {

    public static final String PROPERTY = "pers.mode";
    public static final String PRODUCTION = "production";

    /** A property PERS cannot start without, and what it points at. */
    public record Requirement(String property, String what) {

        /** The environment variable an operator sets it with (Spring's relaxed binding). */
        public String environmentVariable() {
            return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }

    static final Requirement DATASOURCE_URL =
            new Requirement("spring.datasource.url", "PostgreSQL: the JDBC URL, e.g. jdbc:postgresql://db:5432/pers");
    static final Requirement DATASOURCE_USERNAME = new Requirement(
            "spring.datasource.username", "PostgreSQL: the app role, under row-level security (not the owner)");
    static final Requirement TEMPORAL_TARGET =
            new Requirement("pers.temporal.target", "Temporal: the frontend's host:port, e.g. temporal:7233");
    static final Requirement KAFKA_BOOTSTRAP_SERVERS = new Requirement(
            "pers.kafka.bootstrap-servers", "Kafka: the bootstrap servers, e.g. kafka-1:9092,kafka-2:9092");
    static final Requirement MASTER_KEY = new Requirement(
            "pers.secrets.master-key",
            "the master key sealing secrets at rest: base64 of 32 bytes (openssl rand -base64 32); or keys by id"
                    + " in pers.secrets.master-keys.<id> with pers.secrets.current-key-id (README \"Rotating the master key\")");

    private StackMode() {}

    public static boolean production(Environment env) {
        return PRODUCTION.equalsIgnoreCase(env.getProperty(PROPERTY, "").strip());
    }

    /**
     * Every requirement the environment leaves unmet. {@code embedded}: an {@link EmbeddedStack}
     * is there to stand in for unset targets (never used in production mode).
     */
    public static List<Requirement> missing(Environment env, boolean embedded) {
        boolean production = production(env);
        boolean standIns = embedded && !production;
        List<Requirement> missing = new ArrayList<>();
        if (!standIns || set(env, DATASOURCE_URL)) {
            require(env, DATASOURCE_URL, missing);
            require(env, DATASOURCE_USERNAME, missing);
        }
        if (!standIns) {
            require(env, TEMPORAL_TARGET, missing);
            require(env, KAFKA_BOOTSTRAP_SERVERS, missing);
        }
        if (production && !masterKeysById(env)) {
            require(env, MASTER_KEY, missing);
        }
        return missing;
    }

    /**
     * The embedded stack standing in for an unset target, or the start-up failure naming it: in
     * production mode, or where there is no embedded stack (the packaged jar).
     */
    static EmbeddedStack standIn(Environment env, ObjectProvider<EmbeddedStack> stack, Requirement target) {
        EmbeddedStack embedded = production(env) ? null : stack.getIfAvailable();
        if (embedded == null) {
            throw new MissingConfigurationException(List.of(target), production(env));
        }
        return embedded;
    }

    private static void require(Environment env, Requirement requirement, List<Requirement> missing) {
        if (!set(env, requirement)) {
            missing.add(requirement);
        }
    }

    private static boolean masterKeysById(Environment env) {
        return env instanceof ConfigurableEnvironment configurable
                && Binder.get(configurable)
                        .bind("pers.secrets.master-keys", Bindable.mapOf(String.class, String.class))
                        .map(keys -> !keys.isEmpty())
                        .orElse(false);
    }

    private static boolean set(Environment env, Requirement requirement) {
        return !env.getProperty(requirement.property(), "").isBlank();
    }
}
