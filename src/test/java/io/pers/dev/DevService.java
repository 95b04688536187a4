package io.pers.dev;

import io.pers.stack.EmbeddedService;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.springframework.mock.env.MockEnvironment;

/**
 * One piece of the developer's stack as its own OS process, for trying (and proving) the
 * production shape without Docker: the packaged jar in production mode pointed at them.
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/dev.classpath -Dmdep.includeScope=test
 * CP="target/test-classes:target/classes:$(cat target/dev.classpath)"
 * java -cp "$CP" io.pers.dev.DevService postgres /tmp/pers-services 5432
 * java -cp "$CP" io.pers.dev.DevService temporal /tmp/pers-services 7233
 * java -cp "$CP" io.pers.dev.DevService kafka /tmp/pers-services 9092
 * java -cp "$CP" io.pers.dev.DevService anvil /tmp/pers-services 8545
 * </pre>
 *
 * Each prints the property to point PERS at it, then runs until stopped (SIGTERM stops it cleanly).
 * The Temporal one is Temporal's Java test server: the one Temporal server obtainable here without
 * Docker; a real deployment uses a Temporal cluster.
 */
public final class DevService {

    private DevService() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: DevService postgres|temporal|kafka|anvil <state folder> <port>");
            System.exit(2);
        }
        String which = args[0];
        MockEnvironment env =
                new MockEnvironment().withProperty("pers.home", Path.of(args[1]).toString());
        String port = args[2];
        DevStack stack = new DevStack(env.withProperty("pers.embedded.postgres.port", port)
                .withProperty("pers.temporal.embedded-port", port)
                .withProperty("pers.kafka.embedded-port", port)
                .withProperty("pers.chain.anvil-port", port));
        EmbeddedService service =
                switch (which) {
                    case "postgres" -> stack.database();
                    case "temporal" -> stack.temporal();
                    case "kafka" -> stack.kafka();
                    case "anvil" -> stack.chain().orElseThrow(() -> new IllegalStateException("anvil not installed"));
                    default -> throw new IllegalArgumentException("unknown service " + which);
                };
        service.awaitReady();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }));
        for (String line : properties(which, service.address())) {
            System.out.println(line);
        }
        System.out.flush();
        stopped.await();
    }

    private static List<String> properties(String which, String address) {
        return switch (which) {
            case "postgres" ->
                List.of(
                        "spring.datasource.url=" + address,
                        "spring.datasource.username=" + EmbeddedPostgresServer.APP,
                        "spring.flyway.user=" + EmbeddedPostgresServer.OWNER);
            case "temporal" -> List.of("pers.temporal.target=" + address);
            case "kafka" -> List.of("pers.kafka.bootstrap-servers=" + address);
            default -> List.of("pers.chain.rpc-url=" + address);
        };
    }
}
