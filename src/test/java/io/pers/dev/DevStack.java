package io.pers.dev;

import io.pers.stack.EmbeddedService;
import io.pers.stack.EmbeddedStack;
import io.temporal.testserver.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

/**
 * The developer's stack, each piece under the state folder {@code pers.home} so it survives
 * restarts: a real PostgreSQL 17 from Maven Central binaries, Temporal's Java test server, a KRaft
 * broker from the Kafka jars, and anvil from the build's tools folder (supervised, its settler
 * funded by PERS). Only on the test classpath: {@code ./mvnw spring-boot:run} and the tests.
 */
final class DevStack implements EmbeddedStack {

    private static final Logger log = LoggerFactory.getLogger(DevStack.class);

    private final Environment env;
    private final Path home;

    DevStack(Environment env) {
        this.env = env;
        this.home = Path.of(env.getProperty("pers.home", ".pers"));
    }

    @Override
    public EmbeddedDatabase database() {
        return new EmbeddedPostgresServer(
                home.resolve("postgres"),
                env.getProperty("pers.embedded.postgres.port", Integer.class, 54329),
                env.getProperty("pers.embedded.postgres.durable", Boolean.class, true));
    }

    /**
     * The test server keeps histories in memory and slows as they pile up (docs/STACK.md): fine for a
     * local run because the claims table, not Temporal, is the record.
     */
    @Override
    public EmbeddedService temporal() {
        int port = env.getProperty("pers.temporal.embedded-port", Integer.class, 7233);
        int bound = port > 0 ? port : FreePorts.pick();
        TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(bound);
        TimeSkippingLockLog.disable(server);
        log.info("Embedded Temporal test server on 127.0.0.1:{} (no UI; production uses a Temporal cluster)", bound);
        return new EmbeddedService() {
            @Override
            public String address() {
                return "127.0.0.1:" + bound;
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    @Override
    public EmbeddedService kafka() {
        int port = env.getProperty("pers.kafka.embedded-port", Integer.class, 9092);
        int controllerPort = env.getProperty("pers.kafka.embedded-controller-port", Integer.class, 0);
        // A fixed broker port keeps its controller beside it (9092 -> 9093); port 0 (tests) picks both.
        int brokerPort = port > 0 ? port : FreePorts.pick();
        int quorumPort = controllerPort > 0 ? controllerPort : port > 0 ? port + 1 : FreePorts.pick();
        return new EmbeddedKafkaBroker(home.resolve("kafka"), brokerPort, quorumPort);
    }

    @Override
    public Optional<EmbeddedService> chain() {
        String anvilPath = env.getProperty("pers.chain.anvil-path", "");
        Path binary = anvilPath.isBlank() ? defaultAnvil() : Path.of(anvilPath);
        if (!Files.isExecutable(binary)) {
            log.warn("No anvil at {} (the build installs it with npm: install Node.js and run ./mvnw again)", binary);
            return Optional.empty();
        }
        int port = env.getProperty("pers.chain.anvil-port", Integer.class, 8545);
        return Optional.of(new AnvilNode(binary, home.resolve("anvil"), port > 0 ? port : FreePorts.pick()));
    }

    /** Where {@code tools/package.json} puts the anvil of this machine's os and cpu. */
    private static Path defaultAnvil() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "darwin" : "linux";
        String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "arm64" : "amd64";
        return Path.of("tools", "node_modules", "@foundry-rs", "anvil-" + os + "-" + arch, "bin", "anvil");
    }
}
