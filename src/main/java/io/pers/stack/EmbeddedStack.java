package io.pers.stack;

import java.util.Optional;

/**
 * The developer's stand-ins for the external services, one per target property left unset. Only
 * the developer launch ({@code ./mvnw spring-boot:run}) and the tests provide a bean of this type
 * ({@code io.pers.dev}); the packaged jar has none, so there an unset target is a start-up failure
 * naming its property ({@link StackMode}).
 */
public interface EmbeddedStack {

    /** A PostgreSQL with the owner role (migrations) and the app role (row-level security). */
    EmbeddedDatabase database();

    EmbeddedService temporal();

    /** Started in the background: {@link EmbeddedService#awaitReady()} joins it. */
    EmbeddedService kafka();

    /** The dev chain; empty when it is not installed (settlement off). */
    Optional<EmbeddedService> chain();

    interface EmbeddedDatabase extends EmbeddedService {
        String appUser();

        String ownerUser();
    }
}
