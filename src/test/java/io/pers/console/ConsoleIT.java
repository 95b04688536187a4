package io.pers.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pers.claim.CampaignSetup;
import io.pers.expiry.TokenExpiry;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.Script;
import io.pers.support.TenantFixture;
import io.pers.webhook.Receiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The operator console (/console/) in headless Chromium: a tenant with a claim, a trigger mapping
 * and a delivered webhook, then src/test/console/console.test.mjs signs in as the tenant's admin
 * and walks through a Shopify points program (connections made from the connectors' declarations,
 * campaign saved in one call, mapping checked and simulated, a signed order, its claim, the
 * campaign's figures, the person's balance and redemptions, the charts with what was issued,
 * redeemed and expired), then opens the other views, leaving
 * a screenshot per view in target/console-screenshots/. Also the endpoint the console added: a
 * claim's workflow.
 */
class ConsoleIT extends ApiTest {

    /**
     * The browser: {@code PERS_CHROMIUM} when set (a binary, or {@code npm} for the one from npm),
     * else a system Chromium when there is one, else the headless shell the build installed from npm
     * (src/test/console/browser.mjs unpacks it).
     */
    private static final Optional<Path> SYSTEM_CHROMIUM = systemChromium(System.getenv("PERS_CHROMIUM"));

    /** The browser script and its playwright-core, which the build installs (pom.xml, install-console-test). */
    private static final Path SCRIPT_DIR = Path.of("src/test/console");

    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");

    private static final String GUEST = "guest@console.test";

    @Autowired
    TokenExpiry expiry;

    @Test
    void anAdminRunsAShopifyProgramFromTheConsoleAndSeesEveryView() throws Exception {
        requireBrowser();
        String email = "console-" + UUID.randomUUID() + "@tenant.test";
        CampaignSetup setup = new CampaignSetup(newTenant(email));
        try (Receiver partner = new Receiver()) {
            Api.Response webhook = setup.tenant.admin().post("/v2/webhooks", Map.of("url", partner.endpoint(204)));
            assertThat(webhook.status()).as(webhook.toString()).isEqualTo(201);
            UUID claim = completedClaim(setup);
            UUID mapping = shopifyMapping(setup);
            redeemedAndExpired(setup);
            String subscription = webhook.json().path("subscription").path("id").asString();
            await().atMost(Duration.ofSeconds(30)).until(() -> delivered(setup.tenant, subscription));

            Files.createDirectories(SCREENSHOTS);
            Map<String, String> env = new HashMap<>(Map.of(
                    "PERS_URL",
                    "http://localhost:" + port,
                    "PERS_PROJECT_KEY",
                    setup.tenant.projectKey(),
                    "PERS_EMAIL",
                    email,
                    "PERS_PASSWORD",
                    TENANT_ADMIN_PASSWORD,
                    "PERS_CLAIM_ID",
                    claim.toString(),
                    "PERS_MAPPING_ID",
                    mapping.toString(),
                    "PERS_GUEST_EMAIL",
                    GUEST,
                    "PERS_SCREENSHOTS",
                    SCREENSHOTS.toAbsolutePath().toString()));
            SYSTEM_CHROMIUM.ifPresent(chromium -> env.put("CHROMIUM", chromium.toString()));
            Script browser = Script.run(
                    new ProcessBuilder("node", "console.test.mjs").directory(SCRIPT_DIR.toFile()),
                    env,
                    SCREENSHOTS.resolve("console-test.log"),
                    Duration.ofMinutes(3));
            assertThat(browser.succeeded())
                    .as("the console check in Chromium (screenshots in %s):%n%s", SCREENSHOTS, browser.output())
                    .isTrue();
            for (String view : List.of(
                    "sign-in",
                    "connections",
                    "connection-calendly",
                    "connection-polled-error",
                    "campaign-error",
                    "campaign-unit-error",
                    "campaign",
                    "mapping-error",
                    "mapping",
                    "connection",
                    "campaign-claimed",
                    "people",
                    "person-redeems",
                    "charts",
                    "claims",
                    "claim",
                    "mappings",
                    "webhooks",
                    "chains")) {
                assertThat(SCREENSHOTS.resolve(view + ".png")).isNotEmptyFile();
            }
        }
    }

    @Test
    void aClaimsWorkflowIsForItsTenantsAdminsOnly() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        UUID claim = completedClaim(setup);
        TenantFixture other = newTenant();
        Api user = setup.tenant.signIn("workflow-reader", "reader@console.test");

        Api.Response ofOtherTenant = other.admin().get("/v2/campaigns/claims/" + claim + "/workflow");
        Api.Response unknown = setup.tenant.admin().get("/v2/campaigns/claims/" + UUID.randomUUID() + "/workflow");
        Api.Response asUser = user.get("/v2/campaigns/claims/" + claim + "/workflow");

        for (Api.Response notFound : List.of(ofOtherTenant, unknown)) {
            assertThat(notFound.status()).as(notFound.toString()).isEqualTo(404);
            assertThat(notFound.header("content-type")).startsWith("application/problem+json");
            assertThat(notFound.code()).isEqualTo("NOT_FOUND");
        }
        assertThat(asUser.status()).as(asUser.toString()).isEqualTo(403);
        assertThat(asUser.header("content-type")).startsWith("application/problem+json");
    }

    /**
     * The guest of {@link #completedClaim} redeems 4 of the 10 points it earned ("Console coffee"),
     * and 7 points of a token that expires 30 days after they are earned expire: the expiry job is run
     * 31 days ahead (as ExpiryIT runs it).
     */
    private void redeemedAndExpired(CampaignSetup setup) {
        Api admin = setup.tenant.admin();
        UUID guest = UUID.fromString(admin.get("/v2/users?email=" + GUEST)
                .json()
                .path("items")
                .get(0)
                .path("id")
                .asString());
        UUID redemption = CampaignSetup.id(admin.post(
                "/v2/redemptions",
                Map.of("name", "Console coffee", "costTokenId", setup.token.toString(), "costAmount", "4")));
        Api.Response asked = admin.post(
                "/v2/redemptions/redeems",
                Map.of("redemptionId", redemption.toString(), "userIdentifier", guest.toString()));
        assertThat(asked.status()).as(asked.toString()).isBetween(200, 202);
        String redeem = asked.text("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.get("/v2/redemption-redeems/" + redeem)
                .text("status")
                .equals("COMPLETED"));

        Api.Response token = admin.post(
                "/v2/tokens",
                Map.of(
                        "type",
                        "CREDIT",
                        "name",
                        "Expiring points",
                        "symbol",
                        "XP" + UUID.randomUUID().toString().substring(0, 4).toUpperCase(),
                        "decimals",
                        0,
                        "expiry",
                        Map.of("type", "DAYS_AFTER_EARN", "days", 30)));
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        setup.tenant.mint(UUID.fromString(token.text("id")), guest, 7);
        expiry.run(Instant.now().plus(Duration.ofDays(31)));
    }

    /** A user's claim, awaited until its workflow closed; asserts what the workflow endpoint tells of it. */
    private UUID completedClaim(CampaignSetup setup) {
        UUID campaign = setup.campaign(10, null, Map.of(), Map.of());
        Api user = setup.tenant.signIn("console-guest-" + UUID.randomUUID(), GUEST);
        Api.Response claimed = user.post("/v2/campaigns/claims", Map.of("campaignId", campaign.toString()));
        assertThat(claimed.status()).as(claimed.toString()).isEqualTo(201);
        UUID claim = UUID.fromString(claimed.text("id"));
        String path = "/v2/campaigns/claims/" + claim + "/workflow";
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Api.Response workflow = setup.tenant.admin().get(path);
            return workflow.status() == 200
                    && workflow.json()
                            .path("workflow")
                            .path("status")
                            .asString()
                            .equals("COMPLETED");
        });
        JsonNode found = setup.tenant.admin().get(path).json();
        assertThat(found.path("claimId").asString()).isEqualTo(claim.toString());
        assertThat(found.path("claimStatus").asString()).isEqualTo("COMPLETED");
        JsonNode run = found.path("workflow");
        assertThat(run.path("workflowId").asString()).isEqualTo(claimed.text("workflowId"));
        assertThat(run.path("workflowType").asString()).isEqualTo("ClaimWorkflow");
        assertThat(run.path("closeTime").asString()).isNotEmpty();
        JsonNode events = run.path("events");
        assertThat(events.get(0).path("id").asLong()).isEqualTo(1);
        assertThat(events.get(0).path("type").asString()).isEqualTo("WORKFLOW_EXECUTION_STARTED");
        assertThat(events.get(events.size() - 1).path("type").asString()).isEqualTo("WORKFLOW_EXECUTION_COMPLETED");
        // Every step of a claim that needs no settlement is a local activity: a marker each.
        assertThat(activities(events, "MARKER_RECORDED")).contains("CheckEligibility", "Mint", "NotifyCompleted");
        return claim;
    }

    private static List<String> activities(JsonNode events, String type) {
        return events.valueStream()
                .filter(e -> e.path("type").asString().equals(type))
                .map(e -> e.path("activity").asString())
                .toList();
    }

    private static UUID shopifyMapping(CampaignSetup setup) {
        UUID campaign =
                setup.campaign(1, null, Map.of("triggerType", "CLAIM_BY_SYSTEM", "maxMultiplier", 1000), Map.of());
        Api.Response created = setup.tenant
                .admin()
                .post(
                        "/v2/trigger-mappings",
                        Map.of(
                                "source", "shopify",
                                "eventType", "com.shopify.order.paid",
                                "condition", "double(event.data.total_price) >= 50.0",
                                "multiplier", "int(double(event.data.total_price))",
                                "campaignId", campaign.toString()));
        return CampaignSetup.id(created);
    }

    private static boolean delivered(TenantFixture tenant, String subscription) {
        return tenant.admin()
                        .get("/v2/webhooks/" + subscription + "/messages?status=DELIVERED")
                        .json()
                        .path("total")
                        .asLong()
                > 0;
    }

    private static Optional<Path> systemChromium(String chosen) {
        if ("npm".equals(chosen)) {
            return Optional.empty();
        }
        if (chosen != null) {
            return Optional.of(Path.of(chosen));
        }
        return Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Fails, never skips, without the browser: the build installs playwright-core and Chromium from npm. */
    private static void requireBrowser() {
        SYSTEM_CHROMIUM.ifPresent(chromium -> assertThat(Files.isExecutable(chromium))
                .as("PERS_CHROMIUM names %s, which is not an executable", chromium)
                .isTrue());
        for (String module : List.of("playwright-core", "@sparticuz/chromium")) {
            assertThat(SCRIPT_DIR.resolve("node_modules").resolve(module))
                    .as("%s is installed by the build into %s (npm ci there)", module, SCRIPT_DIR)
                    .isDirectory();
        }
    }
}
