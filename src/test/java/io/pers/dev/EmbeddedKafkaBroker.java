package io.pers.dev;

import io.pers.stack.EmbeddedService;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker (broker and controller in one) from the Kafka jars, with its log under
 * the state folder so the trigger log survives restarts. The log directory is formatted once, the
 * way {@code kafka-storage.sh format} does.
 */
final class EmbeddedKafkaBroker implements EmbeddedService {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER = "CONTROLLER";

    private final CompletableFuture<KafkaRaftServer> server;
    private final String bootstrapServers;

    /**
     * Starts the broker on a background thread (about 3 s) while the rest of PERS starts;
     * {@link #awaitReady()} joins it before PERS reports ready.
     */
    EmbeddedKafkaBroker(Path logDirectory, int port, int controllerPort) {
        bootstrapServers = "127.0.0.1:" + port;
        server = CompletableFuture.supplyAsync(() -> start(logDirectory, port, controllerPort), runnable -> {
            Thread thread = new Thread(runnable, "embedded-kafka-start");
            thread.setDaemon(true);
            thread.start();
        });
    }

    private KafkaRaftServer start(Path logDirectory, int port, int controllerPort) {
        String logDir = logDirectory.toAbsolutePath().toString();
        formatOnce(logDirectory, logDir);
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER + "://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", CONTROLLER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        props.put("log.dirs", logDir);
        // One node: every internal topic has a single replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "4");
        // The controller appends a no-op record this often to move the metadata log on; its
        // default (500 ms) is most of an idle broker's work, and one node has no follower to wait.
        props.put("metadata.max.idle.interval.ms", "5000");
        // Thread pools sized for one local node on a small machine: each idle network and request
        // handler thread wakes about three times a second to look for work (defaults: 3 and 8).
        props.put("num.network.threads", "1");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        props.put("group.coordinator.threads", "1");
        KafkaRaftServer started = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        started.startup();
        log.info("Embedded Kafka broker (KRaft) on {} with its log in {}", bootstrapServers, logDirectory);
        return started;
    }

    /** Waits for the broker started in the background; fails as its start failed. */
    @Override
    public void awaitReady() {
        server.join();
    }

    @Override
    public String address() {
        return bootstrapServers;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    private static void formatOnce(Path logDirectory, String logDir) {
        if (Files.exists(logDirectory.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDirectory);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir))
                    .setMetadataLogDirectory(logDir)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName(CONTROLLER)
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the Kafka log folder", e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not format the embedded Kafka log folder " + logDir, e);
        }
    }

    @Override
    public void close() {
        KafkaRaftServer started = server.join();
        started.shutdown();
        started.awaitShutdown();
    }
}
