package io.pers.chain;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An external RPC endpoint, configured as an operator would: a provider URL whose path, query and
 * user info carry keys (a second anvil behind a proxy that answers on any path). The chain is
 * registered from configuration; its key never shows in health output, API answers or logs; PERS
 * does not fund its settler, and binding a token works once the operator has. Its own context (its
 * own embedded stack) is closed after it, so it does not run beside the shared one for the rest of the suite.
 */
@DirtiesContext
class ExternalChainIT extends ApiTest {

    static final String PATH_KEY = "SECRETPROVIDERKEY0123456789";
    static final String QUERY_KEY = "QUERYSECRET9876";
    static final String USER_INFO = "pers-node:USERINFOSECRET";
    static final long CHAIN_ID = 50_000 + new Random().nextInt(1_000_000);

    static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    static final Set<String> PROXIED = ConcurrentHashMap.newKeySet();
    static Process anvil;
    static HttpServer proxy;
    static String anvilUrl;

    @DynamicPropertySource
    static void externalChain(DynamicPropertyRegistry registry) throws Exception {
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
        int anvilPort = freePort();
        anvil = new ProcessBuilder(
                        Path.of("tools", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil")
                                .toString(),
                        "--port",
                        String.valueOf(anvilPort),
                        "--chain-id",
                        String.valueOf(CHAIN_ID))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        anvilUrl = "http://127.0.0.1:" + anvilPort;
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(() -> new DevChain(anvilUrl).client().chainId() == CHAIN_ID);
        proxy = providerStandIn(anvilUrl);
        String rpcUrl = "http://" + USER_INFO + "@127.0.0.1:"
                + proxy.getAddress().getPort() + "/v2/" + PATH_KEY + "?apikey=" + QUERY_KEY;
        // Its own Camel name, so its own Quartz scheduler: one shared by name with the suite's
        // context would have its triggers (chain follower, pollers) paused when this one closes.
        registry.add("camel.main.name", () -> "pers-external-chain");
        registry.add("pers.chain.chains[0].id", () -> String.valueOf(CHAIN_ID));
        registry.add("pers.chain.chains[0].name", () -> "provider mainnet");
        registry.add("pers.chain.chains[0].rpc-url", () -> rpcUrl);
        registry.add("pers.chain.chains[0].confirmations", () -> "1");
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
        if (proxy != null) {
            proxy.stop(0);
        }
        if (anvil != null) {
            anvil.destroy();
        }
    }

    @Test
    void theChainIsRegisteredFromConfigurationAndItsKeyIsNeverShown() {
        String shown = "http://127.0.0.1:" + proxy.getAddress().getPort();

        Api.Response chain = operator().get("/v2/chains/" + CHAIN_ID);
        assertThat(chain.status()).as(chain.toString()).isEqualTo(200);
        assertThat(chain.json().path("name").asString()).isEqualTo("provider mainnet");
        assertThat(chain.json().path("rpcUrl").asString()).isEqualTo(shown);
        assertThat(chain.json().path("embedded").asBoolean()).isFalse();
        assertThat(chain.json().path("testnet").asBoolean()).isFalse();
        assertNoSecret(operator().get("/v2/chains").raw().body());

        JsonNode health = operator().get("/actuator/health").json();
        JsonNode settlement = health.path("components").path("chain");
        assertThat(settlement.path("status").asString()).isEqualTo("UP");
        assertThat(settlement.path("details").path("rpcUrl").asString()).isEqualTo(shown);
        assertThat(settlement.path("details").path("chainId").asLong()).isEqualTo(CHAIN_ID);
        assertNoSecret(health.toString());
        assertNoSecret(operator().get("/actuator/health/settlement").raw().body());

        assertThat(PROXIED)
                .as("the full URL, key included, is what PERS connects to")
                .contains("/v2/" + PATH_KEY + "?apikey=" + QUERY_KEY);
    }

    @Test
    void perSDoesNotFundTheSettlerOfAConfiguredChainTheOperatorDoes() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("EXT");
        Api.Response status = tenant.admin().get("/v2/chains/" + CHAIN_ID + "/status");
        assertThat(status.status()).as(status.toString()).isEqualTo(200);
        String settler = status.json().path("settlerAddress").asString();
        assertThat(status.json().path("settlerBalanceWei").asString()).isEqualTo("0");

        Api.Response unfunded =
                tenant.admin().post("/v2/contracts", Map.of("chainId", CHAIN_ID, "tokenId", token.toString()));
        assertThat(unfunded.code()).as(unfunded.toString()).isEqualTo("SETTLER_NOT_FUNDED");
        assertThat(unfunded.json().path("detail").asString()).contains(settler);
        assertThat(new DevChain(anvilUrl).client().balance(settler))
                .as("PERS funded nothing")
                .isZero();
        assertNoSecret(unfunded.raw().body());

        new DevChain(anvilUrl).fund(settler); // the operator's transfer to the settler address
        Api.Response bound =
                tenant.admin().post("/v2/contracts", Map.of("chainId", CHAIN_ID, "tokenId", token.toString()));
        assertThat(bound.status()).as(bound.toString()).isEqualTo(201);
    }

    @Test
    void anUnreachableNodeIsDownWithoutItsKey() throws Exception {
        theChainIsRegisteredFromConfigurationAndItsKeyIsNeverShown();
        int port = proxy.getAddress().getPort();
        proxy.stop(0);
        try {
            JsonNode settlement =
                    operator().get("/actuator/health").json().path("components").path("chain");
            assertThat(settlement.path("status").asString()).isEqualTo("DOWN");
            assertThat(settlement.path("details").path("error").asString()).isNotBlank();
            assertNoSecret(settlement.toString());
        } finally {
            proxy = providerStandIn(anvilUrl, port);
        }
    }

    @Test
    void noLogLineCarriesTheKey() {
        theChainIsRegisteredFromConfigurationAndItsKeyIsNeverShown();
        List<ILoggingEvent> events = List.copyOf(LOGS.list);
        assertThat(events).as("the capture works").isNotEmpty();
        assertThat(events).as("the registration is logged, redacted").anySatisfy(e -> assertThat(
                        e.getFormattedMessage())
                .contains("Chain " + CHAIN_ID + " registered from configuration at http://127.0.0.1:"));
        for (ILoggingEvent event : events) {
            assertNoSecret(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                assertNoSecret(t.getMessage());
            }
        }
    }

    private static void assertNoSecret(String text) {
        if (text == null) {
            return;
        }
        assertThat(text).doesNotContain(PATH_KEY).doesNotContain(QUERY_KEY).doesNotContain("USERINFOSECRET");
    }

    /** A provider's endpoint: JSON-RPC on a keyed path, handed to anvil (which answers on / only). */
    static HttpServer providerStandIn(String target) throws IOException {
        return providerStandIn(target, 0);
    }

    static HttpServer providerStandIn(String target, int port) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            PROXIED.add(exchange.getRequestURI().toString());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            try {
                HttpResponse<byte[]> answer = http.send(
                        HttpRequest.newBuilder(URI.create(target + "/"))
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                exchange.getResponseHeaders().add("content-type", "application/json");
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            }
        });
        server.start();
        return server;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
