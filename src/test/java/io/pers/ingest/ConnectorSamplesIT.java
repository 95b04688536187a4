package io.pers.ingest;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.pers.claim.CampaignSetup;
import io.pers.stack.KafkaTarget;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The connector replay kit: every connector folder's samples through the real route, over HTTP.
 * A webhook sample is signed as its connector.yaml declares, delivered, then delivered again; a
 * polled connector's sample pages are served by a stand-in of its API and read by the poller. The
 * canonical triggers that reach the trigger topic must be exactly the samples'
 * {@code <sample>.expected.json} (a JSON array; {@code []} for a sample the connector ignores),
 * and a second delivery must be answered {@code duplicate} and publish nothing. A connector with
 * no samples, or a sample with no expected output, fails. What a sample did give is written to
 * {@code target/connector-samples/<connector>/<sample>.actual.json}, to review and save as the
 * expected file. One connector alone: {@code -Dconnector=<name>}.
 */
class ConnectorSamplesIT extends ApiTest {

    private static final Duration PUBLISHED = Duration.ofSeconds(30);
    /**
     * How long a sample expected to give nothing is watched for triggers. The route publishes before
     * it answers, and a sample it ignores is answered {@code ignored} without anything stored to
     * publish later, so this is a window for a stray publication, not for a slow one.
     */
    private static final Duration NOTHING = Duration.ofSeconds(5);

    private static final Path CONNECTORS = Path.of("connectors");
    private static final Path ACTUAL = Path.of("target", "connector-samples");
    private static final WireMockServer api = new WireMockServer(options().dynamicPort());

    @Autowired
    Connectors connectors;

    @Autowired
    KafkaTarget kafka;

    @BeforeAll
    static void startApi() {
        api.start();
    }

    @AfterAll
    static void stopApi() {
        api.stop();
    }

    @TestFactory
    Stream<DynamicTest> everyConnectorReplaysItsSamplesToItsExpectedTriggers() throws IOException {
        String only = System.getProperty("connector", "");
        List<String> names;
        try (Stream<Path> folders = Files.list(CONNECTORS)) {
            names = folders.filter(f -> Files.isRegularFile(f.resolve("connector.yaml")))
                    .map(f -> f.getFileName().toString())
                    .filter(name -> only.isBlank() || name.equals(only))
                    .sorted()
                    .toList();
        }
        assertThat(names).as("connectors/" + (only.isBlank() ? "" : only)).isNotEmpty();
        return names.stream().map(name -> DynamicTest.dynamicTest(name, () -> replay(name)));
    }

    private void replay(String name) throws Exception {
        Connectors.Connector connector = connectors.find(name).orElseThrow();
        List<Path> samples = samples(name);
        assertThat(samples)
                .as("connectors/" + name + "/samples/ holds no sample")
                .isNotEmpty();
        CampaignSetup setup = new CampaignSetup(newTenant());
        List<String> missing = new ArrayList<>();
        try (Triggers triggers = new Triggers(setup.tenant.id())) {
            if (connector.polled()) {
                replayPolled(new Replay(connector, setup, samples, triggers, missing));
            } else {
                replayDelivered(new Replay(connector, setup, samples, triggers, missing));
            }
        }
        if (!missing.isEmpty()) {
            fail("Samples without the canonical triggers they must give (a JSON array, [] for a sample the connector"
                    + " ignores); review what each gave and save it as its expected file if it is right:\n  "
                    + String.join("\n  ", missing));
        }
    }

    /** One connector's replay: its tenant, samples, the trigger topic, and the samples lacking an expected file. */
    private record Replay(
            Connectors.Connector connector,
            CampaignSetup setup,
            List<Path> samples,
            Triggers triggers,
            List<String> missing) {}

    private void replayDelivered(Replay replay) throws Exception {
        Connectors.Connector connector = replay.connector();
        CampaignSetup setup = replay.setup();
        Triggers triggers = replay.triggers();
        List<String> missing = replay.missing();
        Api.Response created = setup.tenant.admin().post("/v2/connectors", Map.of("connector", connector.name()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String url = created.text("ingestUrl");
        String secret = created.text("signingSecret");
        // What a redelivery published is looked for once, after the last sample, not for 2 s after
        // each: a trigger one published would be taken as the next sample's (which then differs
        // from its expected file) or be found at the end. Before a sample with no expected file it
        // is looked for at once, so what that sample gives (to be saved as its expected file) is
        // its own.
        Path previous = null;
        for (Path sample : replay.samples()) {
            ArrayNode expected = expected(sample);
            if (expected == null && previous != null) {
                nothingMore(previous + " delivered again", triggers);
            }
            byte[] body = Files.readAllBytes(sample);
            Api.Response first = deliver(connector.signature(), secret, url, sample, body);
            assertThat(first.status()).as(sample + ": " + first).isEqualTo(202);
            List<JsonNode> published = triggers.next(expected);
            Api.Response again = deliver(connector.signature(), secret, url, sample, body);
            boolean ignored = published.isEmpty();
            assertThat(again.status()).as(sample + " again: " + again).isEqualTo(ignored ? 202 : 200);
            assertThat(again.text("status")).isEqualTo(ignored ? "ignored" : "duplicate");
            compare(sample, expected, published, missing);
            previous = sample;
        }
        nothingMore(connector.name() + "'s samples delivered again", triggers);
    }

    /** The API stand-in serves the sample pages in name order (page 1 = the first), then empty pages. */
    private void replayPolled(Replay replay) throws Exception {
        Connectors.Connector connector = replay.connector();
        List<Path> samples = replay.samples();
        Triggers triggers = replay.triggers();
        List<String> missing = replay.missing();
        PollingSpec spec = connector.polling();
        String credential = "replay_" + UUID.randomUUID();
        String path = "/" + connector.name() + spec.path();
        for (int page = 1; page <= samples.size(); page++) {
            api.stubFor(get(urlPathEqualTo(path))
                    .withHeader("Authorization", equalTo("Bearer " + credential))
                    .withQueryParam(spec.pageParam(), equalTo(Integer.toString(page)))
                    .willReturn(okJson(Files.readString(samples.get(page - 1)))));
        }
        api.stubFor(get(urlPathEqualTo(path))
                .atPriority(10)
                .withHeader("Authorization", equalTo("Bearer " + credential))
                .willReturn(okJson("{\"" + spec.itemsField() + "\":[]}")));
        Api.Response created = replay.setup()
                .tenant
                .admin()
                .post(
                        "/v2/connectors",
                        Map.of(
                                "connector",
                                connector.name(),
                                "baseUrl",
                                api.baseUrl() + "/" + connector.name(),
                                "accountId",
                                "replay",
                                "credential",
                                credential));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("connection").path("id").asString();
        try {
            for (Path sample : samples) {
                ArrayNode expected = expected(sample);
                compare(sample, expected, triggers.next(expected), missing);
            }
            // The poller reads the same pages again (each window overlaps the last): deduplicated.
            nothingMore(connector.name() + "'s pages read again", triggers);
        } finally {
            replay.setup().tenant.admin().patch("/v2/connectors/" + id, Map.of("active", false));
        }
    }

    /** The published triggers (tenant removed: it is the test's) against the expected file, in order. */
    private static void compare(Path sample, ArrayNode expected, List<JsonNode> published, List<String> missing)
            throws IOException {
        ArrayNode actual = Api.JSON.createArrayNode();
        published.forEach(event -> actual.add(((ObjectNode) event).without("tenant")));
        Path written = ACTUAL.resolve(sample.getParent().getParent().getFileName())
                .resolve(sample.getFileName().toString().replace(".json", ".actual.json"));
        Files.createDirectories(written.getParent());
        Files.writeString(written, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
        if (expected == null) {
            missing.add(sample.toString().replace(".json", ".expected.json") + " (it gave " + written + ")");
            return;
        }
        assertThat(actual)
                .as(sample + ": the canonical triggers on the topic differ from the expected file (what it gave: "
                        + written + ")")
                .isEqualTo(expected);
    }

    private static void nothingMore(String what, Triggers triggers) throws IOException {
        assertThat(triggers.next(0, Duration.ofSeconds(2)))
                .as(what + ": a duplicate, nothing more is published")
                .isEmpty();
    }

    private static ArrayNode expected(Path sample) throws IOException {
        Path file = sample.resolveSibling(sample.getFileName().toString().replace(".json", ".expected.json"));
        if (!Files.exists(file)) {
            return null; // said once what the sample gives is known
        }
        JsonNode expected = Api.JSON.readTree(file.toFile());
        assertThat(expected.isArray()).as(file + " must be a JSON array").isTrue();
        return (ArrayNode) expected;
    }

    private static List<Path> samples(String connector) throws IOException {
        Path folder = CONNECTORS.resolve(connector).resolve("samples");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> {
                        String name = p.getFileName().toString();
                        return name.endsWith(".json")
                                && !name.endsWith(".headers.json")
                                && !name.endsWith(".expected.json");
                    })
                    .sorted()
                    .toList();
        }
    }

    private static Api.Response deliver(SignatureSpec spec, String secret, String url, Path sample, byte[] body)
            throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        Path headerFile = sample.resolveSibling(sample.getFileName().toString().replace(".json", ".headers.json"));
        if (Files.exists(headerFile)) {
            Api.JSON
                    .readTree(headerFile.toFile())
                    .properties()
                    .forEach(e -> headers.put(
                            e.getKey().toLowerCase(Locale.ROOT), e.getValue().asString()));
        }
        headers.putAll(sign(spec, secret, url, body, headers, Instant.now()));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::setHeader);
        return new Api("http://x").send(request);
    }

    /**
     * Signs a delivery as {@code spec} declares, the way its vendor would: the signing time where
     * the declaration reads it, then the signature (among {@code key=value} pairs where declared).
     * Public-key schemes cannot be signed here (the vendor keeps the private key).
     */
    static Map<String, String> sign(
            SignatureSpec spec, String secret, String url, byte[] body, Map<String, String> headers, Instant now)
            throws Exception {
        assertThat(spec.hmac())
                .as("a public-key scheme's samples cannot be signed by the kit")
                .isTrue();
        Map<String, String> added = new LinkedHashMap<>();
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (spec.timestamp() != null) {
            String time = Long.toString(spec.timestamp().milliseconds() ? now.toEpochMilli() : now.getEpochSecond());
            if (spec.timestamp().value() instanceof SignatureSpec.Header header) {
                added.put(header.name(), time);
            } else {
                params.put(((SignatureSpec.Param) spec.timestamp().value()).name(), List.of(time));
            }
        }
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(added);
        byte[] signed = IngestSignatures.signed(spec.signed(), all, params, body, url);
        assertThat(signed)
                .as("a header the signature covers is missing from the sample's headers")
                .isNotNull();
        Mac mac = Mac.getInstance(spec.algorithm());
        mac.init(new SecretKeySpec(
                IngestSignatures.key(spec.secret(), secret.getBytes(StandardCharsets.UTF_8)), spec.algorithm()));
        byte[] raw = mac.doFinal(signed);
        String signature = spec.prefix()
                + switch (spec.encoding()) {
                    case BASE64 -> Base64.getEncoder().encodeToString(raw);
                    case BASE64URL -> Base64.getUrlEncoder().encodeToString(raw);
                    case HEX -> HexFormat.of().formatHex(raw);
                };
        if (spec.pairs() == null) {
            added.put(spec.header(), signature);
        } else {
            List<String> pairs = new ArrayList<>();
            params.forEach((key, values) -> pairs.add(key + "=" + values.get(0)));
            pairs.add(spec.signatureParam() + "=" + signature);
            added.put(spec.header(), String.join(spec.pairs(), pairs));
        }
        return added;
    }

    /** The tenant's canonical triggers on the trigger topic, read from its end as the test started. */
    private final class Triggers implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final String keyPrefix;
        private final List<JsonNode> unread = new ArrayList<>();

        Triggers(UUID tenant) {
            this.keyPrefix = tenant + ":";
            this.consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ConsumerConfig.GROUP_ID_CONFIG,
                            "replay-" + UUID.randomUUID(),
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "latest"),
                    new StringDeserializer(),
                    new ByteArrayDeserializer());
            consumer.subscribe(List.of(TriggerLog.TOPIC));
            // Joined and positioned at the end before anything is delivered.
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            consumer.seekToEnd(consumer.assignment());
            consumer.assignment().forEach(consumer::position);
        }

        /**
         * As many triggers as expected, waiting for them; with no expected file or an empty one, what
         * comes within a few seconds.
         */
        List<JsonNode> next(ArrayNode expected) throws IOException {
            return expected == null || expected.isEmpty() ? next(0, NOTHING) : next(expected.size(), PUBLISHED);
        }

        /** The next {@code count} triggers of the tenant, waiting for them; with 0, whatever came meanwhile. */
        List<JsonNode> next(int count, Duration wait) throws IOException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline && (count == 0 || unread.size() < count)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && record.key().startsWith(keyPrefix)) {
                        unread.add(Api.JSON.readTree(record.value()));
                    }
                }
            }
            List<JsonNode> taken =
                    new ArrayList<>(unread.subList(0, count == 0 ? unread.size() : Math.min(count, unread.size())));
            unread.subList(0, taken.size()).clear();
            return taken;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
