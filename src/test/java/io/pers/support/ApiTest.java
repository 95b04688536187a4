package io.pers.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.PersApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the API tests: one application on the real embedded stack (PostgreSQL, the Temporal
 * test server, a Kafka broker, anvil when installed), shared by every test class through
 * Spring's context cache, under a fresh state folder per run. Each test makes its own tenant.
 */
@SpringBootTest(classes = PersApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ChainStandIn.Config.class)
public abstract class ApiTest {

    public static final String PLATFORM_EMAIL = "platform@pers.test";
    public static final String PLATFORM_PASSWORD = "platform-password-for-tests";
    public static final String TENANT_ADMIN_PASSWORD = "tenant-admin-password";
    /** The one browser origin CORS allows in tests. */
    public static final String ALLOWED_ORIGIN = "https://console.pers.test";

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void embeddedStack(DynamicPropertyRegistry registry) throws IOException {
        Path home = Files.createTempDirectory("pers-test-");
        registry.add("pers.home", home::toString);
        registry.add("pers.embedded.postgres.port", () -> "0");
        registry.add("pers.embedded.postgres.durable", () -> "false");
        registry.add("pers.temporal.embedded-port", () -> "0");
        registry.add("pers.kafka.embedded-port", () -> "0");
        registry.add("pers.chain.anvil-port", () -> "0");
        registry.add("pers.bootstrap.admin-email", () -> PLATFORM_EMAIL);
        registry.add("pers.bootstrap.admin-password", () -> PLATFORM_PASSWORD);
        registry.add("pers.ledger.seal-interval", () -> "200ms");
        // Settlement gives up quickly in tests, so compensation is seen within seconds; each attempt
        // still outlasts a batch on the loaded test machine's anvil.
        registry.add("pers.workflows.claim.settlement.start-to-close-timeout", () -> "20s");
        registry.add("pers.workflows.claim.settlement.retry.initial-interval", () -> "100ms");
        // Five attempts of 20 s outlast SettlementIT's 30 s pause of anvil mid-batch.
        registry.add("pers.workflows.claim.settlement.retry.maximum-attempts", () -> "5");
        // A transaction not mined within this is replaced at a higher fee (30 s shipped): ChainSafetyIT
        // holds mining back to see the bump, and waited the shipped 30 s for each. Automine mines a
        // transaction as it is sent, so no other test's transaction waits this long; 10 s is still
        // well beyond the few RPC calls ChainSafetyIT makes between one bump and the next.
        registry.add("pers.workflows.settlement.mine-timeout", () -> "10s");
        // Anchored windows of a few seconds (60 s shipped): AnchoredSettlementIT waits for several.
        registry.add("pers.workflows.settlement.anchored.longest-wait", () -> "3s");
        registry.add("pers.workflows.claim.sweeper.interval", () -> "2s");
        registry.add("pers.workflows.claim.sweeper.older-than", () -> "5s");
        // The shipped connector samples carry fixed dates: keep them inside the event-time horizon.
        registry.add("pers.workflows.claim.event-time.max-age", () -> "3650d");
        registry.add("pers.workflows.claim.unknown-order-wait", () -> "10s");
        // Rate limits out of every other test's way; RateLimitIT overrides them for its own keys.
        registry.add("pers.rate-limit.api-key.capacity", () -> "100000");
        registry.add("pers.rate-limit.api-key.refill-per-second", () -> "100000");
        registry.add("pers.rate-limit.project-key.capacity", () -> "100000");
        registry.add("pers.rate-limit.project-key.refill-per-second", () -> "100000");
        registry.add("pers.cors.allowed-origins", () -> ALLOWED_ORIGIN);
        // Retention runs only when RetentionIT calls it: its counts are then its own.
        registry.add("pers.retention.initial-delay", () -> "1d");
        // The ingest relay too (IngestRelayIT): RetentionIT's unpublished event must stay unpublished.
        registry.add("pers.ingest.relay.interval", () -> "1d");
        registry.add("pers.webhooks.allow-private-targets", () -> "true"); // WireMock receivers on loopback
        registry.add("pers.outbound.local-targets-opt-in", () -> "true");
        // X-Forwarded-For from the loopback test client is the client address: sign-in throttling
        // tests sign in from addresses of their own, out of every other test's way.
        registry.add("server.forward-headers-strategy", () -> "native");
        // The polled connectors tick and read fast, in small pages, so paging shows in a few stays.
        registry.add("pers.ingest.polling.tick-ms", () -> "200");
        registry.add("pers.ingest.polling.cloudbeds.interval", () -> "300ms");
        registry.add("pers.ingest.polling.cloudbeds.page-size", () -> "2");
        registry.add(
                "pers.purchases.stripe.base-url", () -> StripeStandIn.server().baseUrl());
        registry.add("pers.purchases.stripe.secret-key", () -> StripeStandIn.SECRET_KEY);
        registry.add("pers.purchases.stripe.webhook-secret", () -> StripeStandIn.WEBHOOK_SECRET);
    }

    /**
     * The sum of a Prometheus metric's samples whose labels include every one of {@code labels}
     * (each as {@code name="value"}); 0 when there are none.
     */
    protected double metric(String metric, String... labels) {
        Api.Response response = operator().get("/actuator/prometheus");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{([^}]*)\\} (\\S+)$")
                .matcher(response.raw().body());
        double sum = 0;
        while (m.find()) {
            String found = m.group(1);
            if (Arrays.stream(labels).allMatch(found::contains)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    protected Api api() {
        return new Api("http://localhost:" + port);
    }

    /** A platform admin: the one caller /actuator shows details, metrics and Prometheus to. */
    protected Api operator() {
        return api().bearer(platformToken());
    }

    protected String platformToken() {
        return token(api(), Map.of("grantType", "PASSWORD", "email", PLATFORM_EMAIL, "password", PLATFORM_PASSWORD));
    }

    protected static String token(Api api, Map<String, ?> grant) {
        Api.Response response = api.post("/v2/auth/token", grant);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.text("accessToken");
    }

    /** A new tenant with its admin signed in. */
    protected TenantFixture newTenant() {
        return newTenant("admin-" + UUID.randomUUID() + "@tenant.test");
    }

    /** A new tenant whose admin has this email and {@link #TENANT_ADMIN_PASSWORD}, signed in. */
    protected TenantFixture newTenant(String email) {
        Api.Response created = api().bearer(platformToken())
                .post(
                        "/v2/tenants",
                        Map.of("name", "Tenant " + email, "adminEmail", email, "adminPassword", TENANT_ADMIN_PASSWORD));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID tenantId = UUID.fromString(created.json().path("tenant").path("id").asString());
        String projectKey = created.json().path("tenant").path("projectKeyTest").asString();
        Api anonymous = api().with("x-project-key", projectKey);
        String adminToken =
                token(anonymous, Map.of("grantType", "PASSWORD", "email", email, "password", TENANT_ADMIN_PASSWORD));
        return new TenantFixture(tenantId, projectKey, anonymous, anonymous.bearer(adminToken));
    }
}
