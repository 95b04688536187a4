package io.pers.stack;

import java.util.Map;

/**
 * A service a developer's PERS runs itself (PostgreSQL, the Temporal test server, a Kafka broker,
 * anvil). The implementations live with the developer launch and the tests ({@code io.pers.dev},
 * on the test classpath): the production artifact carries none.
 */
public interface EmbeddedService extends AutoCloseable {

    /** Where clients reach it: a JDBC URL, a host:port, bootstrap servers, an RPC URL. */
    String address();

    /** Joins a start begun in the background; fails as that start failed. */
    default void awaitReady() {}

    /** What health shows about it besides its address (a child process's pid, its restarts). */
    default Map<String, Object> details() {
        return Map.of();
    }

    @Override
    void close();
}
