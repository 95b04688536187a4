package io.pers.dev;

import io.pers.PersApplication;
import org.springframework.boot.SpringApplication;

/**
 * The developer launch: PERS with its embedded stack (PostgreSQL, the Temporal test server, Kafka,
 * anvil) for every target left unset. {@code ./mvnw spring-boot:run} runs this on the test
 * classpath; {@code bench/faults.sh} and the fault test run it as their own process with
 * {@code java -cp "$(cat target/dev.classpath)" io.pers.dev.DevPers}. The packaged jar's main class is
 * {@link PersApplication}, which has no embedded services.
 */
public final class DevPers {

    private DevPers() {}

    public static void main(String[] args) {
        SpringApplication.run(PersApplication.class, args);
    }
}
