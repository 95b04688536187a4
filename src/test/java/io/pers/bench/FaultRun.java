package io.pers.bench;

import io.pers.chain.CreditToken;
import io.pers.chain.DevChain;
import io.pers.support.Api;
import io.pers.support.TenantFixture;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * The load-and-fault proof (bench/faults.sh; FaultIT runs a small one): PERS as its own process,
 * signed Shopify orders at a given concurrency with a share of redeliveries, PERS killed with
 * SIGKILL and started again on the way (the sender re-sends what was not acknowledged, as Shopify
 * does), anvil paused (SIGSTOP) and then stopped (SIGTERM; PERS's supervisor starts it again), the
 * partner endpoint answering 500 for a while. Then the invariants: every unique order gave one
 * claim, each user's ledger balance is the points of their unique orders, on chain equals the
 * ledger, and every webhook message was delivered, signed, at least once.
 */
public final class FaultRun {

    /** Sizes and durations, from the environment (bench/README.md). */
    record Plan(
            int events,
            int concurrency,
            int duplicatePercent,
            int kills,
            Duration anvilPause,
            Duration partnerOutage,
            int customers,
            Duration settleTimeout,
            String mode) {

        /** Whether the token settles by anchored roots (FAULT_MODE=ANCHORED) instead of mints. */
        boolean anchored() {
            return "ANCHORED".equals(mode);
        }

        static Plan fromEnvironment() {
            return new Plan(
                    env("FAULT_EVENTS", 10_000),
                    env("FAULT_CONCURRENCY", 32),
                    env("FAULT_DUPLICATE_PERCENT", 10),
                    env("FAULT_KILLS", 2),
                    Duration.ofSeconds(env("FAULT_ANVIL_SECONDS", 30)),
                    Duration.ofSeconds(env("FAULT_PARTNER_SECONDS", 60)),
                    env("FAULT_CUSTOMERS", 200),
                    Duration.ofSeconds(env("FAULT_SETTLE_SECONDS", 900)),
                    System.getenv().getOrDefault("FAULT_MODE", "MINTED"));
        }

        private static int env(String name, int otherwise) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? otherwise : Integer.parseInt(value.strip());
        }
    }

    /** What the run saw; {@link #holds()} is the proof. */
    record Report(
            Plan plan,
            long sent,
            long duplicates,
            long acked,
            long unacked,
            long claims,
            long lost,
            long doubled,
            long ledgerMismatches,
            long onchainMismatches,
            long anchorMismatches,
            double p50Millis,
            double p99Millis,
            double acksPerSecond,
            long webhookMessages,
            long webhooksDelivered,
            long webhooksMissing,
            long badSignatures,
            long partnerRefusals,
            long claimsWithoutSettledWebhook,
            int anvilRestarts,
            double seconds) {

        boolean holds() {
            return unacked == 0
                    && lost == 0
                    && doubled == 0
                    && ledgerMismatches == 0
                    && onchainMismatches == 0
                    && anchorMismatches == 0
                    && webhooksMissing == 0
                    && badSignatures == 0
                    && claimsWithoutSettledWebhook == 0;
        }

        void print() {
            System.out.printf(
                    "%nLoad and faults (%s): %d orders (+%d%% redelivered) at concurrency %d, %d SIGKILL+restart,"
                            + " anvil paused %d s then stopped, partner 500 for %d s; %.0f s in all%n",
                    plan.mode(),
                    plan.events(),
                    plan.duplicatePercent(),
                    plan.concurrency(),
                    plan.kills(),
                    plan.anvilPause().toSeconds(),
                    plan.partnerOutage().toSeconds(),
                    seconds);
            row("sent (deliveries)", sent);
            row("duplicates", duplicates);
            row("acked", acked);
            row("never acked", unacked);
            row("claims", claims);
            row("lost", lost);
            row("doubled", doubled);
            row("ledger mismatches", ledgerMismatches);
            row("on-chain mismatches", onchainMismatches);
            row("anchor mismatches", anchorMismatches);
            System.out.printf("  %-28s %12.1f%n", "ack p50 ms", p50Millis);
            System.out.printf("  %-28s %12.1f%n", "ack p99 ms", p99Millis);
            System.out.printf("  %-28s %12.1f%n", "acks/s", acksPerSecond);
            row("webhook messages", webhookMessages);
            row("webhooks delivered", webhooksDelivered);
            row("webhooks missing", webhooksMissing);
            row("bad signatures", badSignatures);
            row("partner 500s answered", partnerRefusals);
            row("settled w/o claim.settled", claimsWithoutSettledWebhook);
            row("anvil restarts", anvilRestarts);
            System.out.println(holds() ? "  INVARIANTS HOLD" : "  INVARIANTS BROKEN");
        }

        private static void row(String name, long value) {
            System.out.printf("  %-28s %12d%n", name, value);
        }
    }

    static final String SHOPIFY_SECRET = "faults-shopify-secret-0123456789";

    private final Plan plan;
    private final AtomicLong acked = new AtomicLong();
    private final ConcurrentLinkedQueue<Long> ackMicros = new ConcurrentLinkedQueue<>();
    private volatile boolean sendingOver;

    FaultRun(Plan plan) {
        this.plan = plan;
    }

    /** bench/faults.sh: the plan from the environment; exits 1 when an invariant is broken. */
    public static void main(String[] args) throws Exception {
        Report report = new FaultRun(Plan.fromEnvironment()).run();
        report.print();
        System.exit(report.holds() ? 0 : 1);
    }

    /** The tuning of the run: re-drives and webhook retries within the run's minutes, not hours. */
    static Map<String, String> tuning() {
        return Map.of(
                "pers.workflows.claim.sweeper.interval", "3s",
                "pers.workflows.claim.sweeper.older-than", "15s",
                "pers.workflows.claim.sweeper.batch", "1000",
                "pers.workflows.webhook.sweeper.interval", "3s",
                "pers.workflows.webhook.sweeper.grace", "15s",
                "pers.workflows.webhook.sweeper.batch", "1000",
                "pers.workflows.webhook.schedule", "0s,5s,10s,20s,30s,1m,2m,5m",
                "pers.workflows.claim.event-time.max-age", "3650d",
                "pers.workflows.settlement.anchored.longest-wait", "5s",
                "logging.level.root", "WARN");
    }

    /** Runs the plan; the state folder (PERS's logs, database, chain) is kept only when the proof fails. */
    Report run() throws Exception {
        Path home = Files.createTempDirectory("pers-faults-");
        Report report = run(home);
        if (report.holds()) {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        } else {
            System.out.println("State and PERS logs kept in " + home);
        }
        return report;
    }

    private Report run(Path home) throws Exception {
        long started = System.nanoTime();
        try (PersProcess pers = PersProcess.developer(home, tuning());
                PartnerReceiver partner = new PartnerReceiver()) {
            pers.start();
            Api api = new Api(pers.baseUrl());
            TenantLogin login = tenant(api);
            Setup setup = setup(login.signIn(), partner, plan.mode());
            ShopifyOrders orders = new ShopifyOrders(SHOPIFY_SECRET, plan.customers());
            List<ShopifyOrders.Delivery> unique = new ArrayList<>();
            for (int i = 0; i < plan.events(); i++) {
                unique.add(orders.next(1 + ThreadLocalRandom.current().nextInt(60)));
            }
            List<ShopifyOrders.Delivery> deliveries = new ArrayList<>(unique);
            for (int i = 0; i < plan.events() * plan.duplicatePercent() / 100; i++) {
                deliveries.add(unique.get(ThreadLocalRandom.current().nextInt(unique.size())));
            }
            Collections.shuffle(deliveries);

            long sendStarted = System.nanoTime();
            ExecutorService faults = Executors.newSingleThreadExecutor();
            Future<Integer> injected = faults.submit(() -> injectFaults(pers, login, partner, deliveries.size()));
            long unacked = send(orders, setup.ingestUrl(), deliveries);
            double sendSeconds = (System.nanoTime() - sendStarted) / 1e9;
            int anvilRestarts = injected.get();
            faults.shutdown();

            Verifier verifier = new Verifier(pers, login, setup);
            verifier.awaitSettled(unique.size(), plan.settleTimeout());
            Checked checked = verifier.check(unique, partner);
            List<Long> sorted = ackMicros.stream().sorted().toList();
            return new Report(
                    plan,
                    deliveries.size(),
                    deliveries.size() - unique.size(),
                    acked.get(),
                    unacked,
                    checked.claims(),
                    checked.lost(),
                    checked.doubled(),
                    checked.ledgerMismatches(),
                    checked.onchainMismatches(),
                    checked.anchorMismatches(),
                    percentile(sorted, 50),
                    percentile(sorted, 99),
                    acked.get() / sendSeconds,
                    checked.webhookMessages(),
                    partner.delivered().size(),
                    checked.webhooksMissing(),
                    partner.badSignatures(),
                    partner.refused(),
                    checked.claimsWithoutSettledWebhook(),
                    anvilRestarts,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /** What the database, the API and the chain say after the run. */
    record Checked(
            long claims,
            long lost,
            long doubled,
            long ledgerMismatches,
            long onchainMismatches,
            long anchorMismatches,
            long webhookMessages,
            long webhooksMissing,
            long claimsWithoutSettledWebhook) {}

    record Setup(UUID token, UUID campaign, String contract, String ingestUrl, UUID subscription, boolean anchored) {}

    /**
     * The faults, one after another as the acknowledgements go: SIGKILL + restart; anvil paused,
     * resumed, then stopped (the supervisor restarts it) while the partner answers 500; SIGKILL +
     * restart again. Answers how often anvil was started again.
     */
    private int injectFaults(PersProcess pers, TenantLogin login, PartnerReceiver partner, int total) throws Exception {
        int restarts = 0;
        if (plan.kills() > 0) {
            awaitAcked(total * 25 / 100);
            if (plan.anchored()) {
                killMidAnchor(pers, login);
            } else {
                pers.kill();
            }
            pers.start();
        }
        awaitAcked(total * 40 / 100);
        partner.failFor(plan.partnerOutage());
        var anvil = pers.anvil();
        anvil.pause();
        try {
            Awaitility.await("anvil stays paused, not gone")
                    .during(plan.anvilPause())
                    .atMost(plan.anvilPause().plusSeconds(10))
                    .until(anvil::alive);
        } finally {
            anvil.resume();
        }
        anvil.stop();
        Awaitility.await("the supervisor starts anvil again")
                .atMost(Duration.ofSeconds(60))
                .until(() -> pers.anvil().pid() != anvil.pid() && pers.anvil().alive());
        restarts++;
        for (int kill = 1; kill < plan.kills(); kill++) {
            awaitAcked(total * (40 + 30 * kill) / 100);
            pers.kill();
            pers.start();
        }
        return restarts;
    }

    /**
     * SIGKILL between computing a window's root and its anchoring: anvil is paused (nothing is
     * mined), PERS is killed once a window is stored and not yet anchored, and anvil resumes. The
     * next PERS must anchor that very root, once.
     */
    private void killMidAnchor(PersProcess pers, TenantLogin login) throws Exception {
        var anvil = pers.anvil();
        anvil.pause();
        try {
            Verifier probe = new Verifier(pers, login, null);
            Awaitility.await("a window computed, not yet anchored")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> probe.count("select count(*) from anchor_windows where anchored_at is null") > 0);
            pers.kill();
        } finally {
            anvil.resume();
        }
    }

    /** Until {@code count} deliveries are acknowledged, or the sending is over (the fault comes after it). */
    private void awaitAcked(long count) {
        Awaitility.await()
                .atMost(Duration.ofHours(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> acked.get() >= count || sendingOver);
    }

    /** Sends every delivery until acknowledged, as Shopify retries; answers how many never were. */
    private long send(ShopifyOrders orders, String url, List<ShopifyOrders.Delivery> deliveries) throws Exception {
        ConcurrentLinkedQueue<ShopifyOrders.Delivery> queue = new ConcurrentLinkedQueue<>(deliveries);
        AtomicLong given = new AtomicLong();
        ExecutorService workers = Executors.newFixedThreadPool(plan.concurrency());
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < plan.concurrency(); i++) {
            done.add(workers.submit(() -> {
                for (ShopifyOrders.Delivery d = queue.poll(); d != null; d = queue.poll()) {
                    if (!deliverUntilAcked(orders, url, d)) {
                        given.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : done) {
            worker.get();
        }
        sendingOver = true;
        workers.shutdown();
        return given.get();
    }

    private boolean deliverUntilAcked(ShopifyOrders orders, String url, ShopifyOrders.Delivery delivery)
            throws InterruptedException {
        long backoffMillis = 250;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<Void> response = orders.send(url, delivery);
                if (response.statusCode() == 200 || response.statusCode() == 202) {
                    ackMicros.add((System.nanoTime() - t0) / 1000);
                    acked.incrementAndGet();
                    return true;
                }
                // Any other answer is sent again, as Shopify does (PERS starting answers 404/503).
            } catch (java.io.IOException down) {
                // PERS is down or restarting: the sender tries again, as Shopify would
            }
            Thread.sleep(backoffMillis);
            backoffMillis = Math.min(backoffMillis * 2, 2000);
        }
        return false;
    }

    /** The tenant and how its admin signs in: a run outlasts an access token. */
    record TenantLogin(UUID id, Api anonymous, String email) {

        TenantFixture signIn() {
            String admin = anonymous
                    .post(
                            "/v2/auth/token",
                            Map.of("grantType", "PASSWORD", "email", email, "password", "faults-password"))
                    .text("accessToken");
            return new TenantFixture(id, null, anonymous, anonymous.bearer(admin));
        }
    }

    static TenantLogin tenant(Api api) {
        String platform = api.post(
                        "/v2/auth/token",
                        Map.of(
                                "grantType",
                                "PASSWORD",
                                "email",
                                PersProcess.ADMIN_EMAIL,
                                "password",
                                PersProcess.ADMIN_PASSWORD))
                .text("accessToken");
        String email = "faults-" + UUID.randomUUID() + "@tenant.test";
        Api.Response created = api.bearer(platform)
                .post("/v2/tenants", Map.of("name", "Faults", "adminEmail", email, "adminPassword", "faults-password"));
        expect(created, 201);
        Api anonymous = api.with(
                "x-project-key",
                created.json().path("tenant").path("projectKeyTest").asString());
        return new TenantLogin(
                UUID.fromString(created.json().path("tenant").path("id").asString()), anonymous, email);
    }

    /** A chain-bound token, a campaign paying 1 point per whole unit of an order, Shopify, a webhook. */
    static Setup setup(TenantFixture tenant, PartnerReceiver partner, String mode) throws Exception {
        UUID token = tenant.createToken("SHOP");
        Api.Response contract = tenant.admin()
                .post("/v2/contracts", Map.of("chainId", 31337, "tokenId", token.toString(), "mode", mode));
        expect(contract, 201);
        UUID trigger = id(tenant.admin()
                .post(
                        "/v2/campaign-triggers",
                        Map.of("name", "orders", "triggerType", "CLAIM_BY_SYSTEM", "maxMultiplier", 1000)));
        UUID campaign = id(tenant.admin()
                .post("/v2/campaigns", Map.of("name", "orders", "isActive", true, "triggerId", trigger.toString())));
        expect(
                tenant.admin()
                        .post(
                                "/v2/campaigns/" + campaign + "/token-units",
                                Map.of("tokenId", token.toString(), "amount", "1")),
                201);
        expect(
                tenant.admin()
                        .post(
                                "/v2/trigger-mappings",
                                Map.of(
                                        "source", "shopify",
                                        "eventType", "com.shopify.order.paid",
                                        "multiplier", "int(double(event.data.total_price))",
                                        "campaignId", campaign.toString())),
                201);
        String ingestUrl = tenant.admin()
                .post("/v2/connectors", Map.of("connector", "shopify", "signingSecret", SHOPIFY_SECRET))
                .text("ingestUrl");
        Api.Response subscription =
                tenant.admin().post("/v2/webhooks", Map.of("url", partner.url(), "eventTypes", List.of("claim.*")));
        expect(subscription, 201);
        partner.secret(subscription.text("secret"));
        return new Setup(
                token,
                campaign,
                contract.text("address"),
                ingestUrl,
                UUID.fromString(
                        subscription.json().path("subscription").path("id").asString()),
                "ANCHORED".equals(mode));
    }

    private static double percentile(List<Long> sortedMicros, int p) {
        return sortedMicros.isEmpty()
                ? 0
                : sortedMicros.get(Math.min(sortedMicros.size() - 1, sortedMicros.size() * p / 100)) / 1000.0;
    }

    static UUID id(Api.Response response) {
        expect(response, 201);
        return UUID.fromString(response.text("id"));
    }

    static void expect(Api.Response response, int status) {
        if (response.status() != status) {
            throw new IllegalStateException("expected " + status + ": " + response);
        }
    }

    /** Reads what PERS did: claims and webhook messages from its database, balances through its API, the chain. */
    private static final class Verifier {

        private final PersProcess pers;
        private final TenantLogin login;
        private final Setup setup;

        Verifier(PersProcess pers, TenantLogin login, Setup setup) {
            this.pers = pers;
            this.login = login;
            this.setup = setup;
        }

        /**
         * Waits until every unique order's claim is SETTLED and its workflow has recorded {@code
         * claim.completed} (its last step, after the settlement), every domain event is dispatched
         * to webhook messages, and no message is left undelivered; or time is up.
         */
        void awaitSettled(int uniqueOrders, Duration atMost) throws Exception {
            try {
                Awaitility.await("claims settled and webhooks delivered")
                        .atMost(atMost)
                        .pollInterval(Duration.ofSeconds(2))
                        .until(() -> unsettled(uniqueOrders).isEmpty());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                System.out.println("Not everything settled within " + atMost + " (" + unsettled(uniqueOrders)
                        + "): reporting what is there");
            }
        }

        /** What the run still waits for: empty when done. */
        private Map<String, Long> unsettled(int uniqueOrders) throws Exception {
            Map<String, Long> waiting = new LinkedHashMap<>();
            waiting.put(
                    "claims not SETTLED", uniqueOrders - count("select count(*) from claims where status = 'SETTLED'"));
            waiting.put(
                    "claims without claim.completed",
                    uniqueOrders - count("select count(*) from domain_events where type = 'claim.completed'"));
            waiting.put(
                    "events not dispatched",
                    count("select count(*) from domain_events e, webhook_dispatch_cursor c"
                            + " where (e.txid, e.seq) > (c.txid, c.seq)"));
            waiting.put(
                    "webhook messages not delivered",
                    count("select count(*) from webhook_messages where status <> 'DELIVERED'"));
            waiting.values().removeIf(n -> n <= 0);
            return waiting;
        }

        Checked check(List<ShopifyOrders.Delivery> unique, PartnerReceiver partner) throws Exception {
            Map<Long, Long> claimsPerOrder = new HashMap<>();
            query(
                    "select (conditions_data->>'order_id')::bigint, count(*) from claims group by 1",
                    rs -> claimsPerOrder.put(rs.getLong(1), rs.getLong(2)));
            long claims =
                    claimsPerOrder.values().stream().mapToLong(Long::longValue).sum();
            long lost = unique.stream()
                    .filter(d -> !claimsPerOrder.containsKey(d.orderId()))
                    .count();
            long doubled = claimsPerOrder.values().stream().filter(n -> n > 1).count();

            Map<String, BigInteger> expected = new HashMap<>();
            unique.forEach(d -> expected.merge(d.customer(), BigInteger.valueOf(d.totalPrice()), BigInteger::add));
            Map<String, UUID> users = new HashMap<>();
            query("select email, id from users", rs -> users.put(rs.getString(1), rs.getObject(2, UUID.class)));
            long ledgerMismatches = 0;
            long onchainMismatches = 0;
            long anchorMismatches;
            TenantFixture admin = login.signIn();
            try (DevChain chain = new DevChain(pers.rpcUrl())) {
                CreditToken token = new CreditToken(chain.client(), setup.contract());
                for (Map.Entry<String, BigInteger> customer : expected.entrySet()) {
                    UUID user = users.get(customer.getKey());
                    BigInteger ledger = user == null ? BigInteger.ZERO : admin.balance(user, setup.token());
                    if (!ledger.equals(customer.getValue())) {
                        ledgerMismatches++;
                    }
                    String address = user == null
                            ? null
                            : admin.admin()
                                    .get("/v2/users/" + user + "/address")
                                    .text("address");
                    BigInteger onchain = address == null
                            ? BigInteger.ZERO
                            : setup.anchored() ? proven(admin, token, user, setup.token()) : token.balanceOf(address);
                    if (!onchain.equals(ledger)) {
                        onchainMismatches++;
                    }
                }
                anchorMismatches = setup.anchored() ? anchorMismatches(chain, token) : 0;
            }

            List<String> messages = new ArrayList<>();
            query(
                    "select id::text from webhook_messages where subscription_id = '" + setup.subscription() + "'",
                    rs -> messages.add(rs.getString(1)));
            // Not delivered: a message the partner never accepted, or a claim event with no message at all.
            long missing = messages.stream()
                            .filter(id -> !partner.delivered().contains(id))
                            .count()
                    + count("select count(*) from domain_events e where e.type like 'claim.%' and not exists"
                            + " (select 1 from webhook_messages m where m.event_id = e.id and m.subscription_id = '"
                            + setup.subscription() + "')");
            List<String> settled = new ArrayList<>();
            query("select id::text from claims where status = 'SETTLED'", rs -> settled.add(rs.getString(1)));
            long withoutWebhook = settled.stream()
                    .filter(id -> !partner.eventsOf(id).contains("claim.settled"))
                    .count();
            return new Checked(
                    claims,
                    lost,
                    doubled,
                    ledgerMismatches,
                    onchainMismatches,
                    anchorMismatches,
                    messages.size(),
                    missing,
                    withoutWebhook);
        }

        /** The user's entitlement under the newest root, when the contract verifies its proof; else 0. */
        private static BigInteger proven(TenantFixture admin, CreditToken token, UUID user, UUID tokenId) {
            Api.Response served = admin.admin().get("/v2/users/" + user + "/entitlements/" + tokenId);
            if (served.status() != 200) {
                return BigInteger.ZERO;
            }
            tools.jackson.databind.JsonNode entitlement = served.json();
            BigInteger cumulative =
                    new BigInteger(entitlement.path("cumulative").asString());
            List<byte[]> proof = entitlement
                    .path("proof")
                    .valueStream()
                    .map(p -> org.web3j.utils.Numeric.hexStringToByteArray(p.asString()))
                    .toList();
            return token.verifyEntitlement(entitlement.path("account").asString(), cumulative, proof)
                    ? cumulative
                    : BigInteger.ZERO;
        }

        /**
         * Windows whose anchoring the chain does not show exactly once with the root the ledger
         * computed for it (two roots for one window, a root the ledger does not have, a window never
         * anchored), read from the contract's Anchored events.
         */
        private long anchorMismatches(DevChain chain, CreditToken token) throws Exception {
            Map<Long, List<String>> onChain = new HashMap<>();
            for (var log : chain.client()
                    .logs(
                            token.address(),
                            BigInteger.ZERO,
                            chain.client().blockNumber(),
                            List.of(CreditToken.ANCHORED_TOPIC))) {
                CreditToken.anchored(log)
                        .ifPresent(anchor -> onChain.computeIfAbsent(anchor.window(), w -> new ArrayList<>())
                                .add(org.web3j.utils.Numeric.toHexString(anchor.root())));
            }
            Map<Long, String> ledger = new HashMap<>();
            query(
                    "select window_no, '0x' || encode(root, 'hex') from anchor_windows",
                    rs -> ledger.put(rs.getLong(1), rs.getString(2)));
            long mismatches = 0;
            for (Map.Entry<Long, String> window : ledger.entrySet()) {
                if (!List.of(window.getValue()).equals(onChain.get(window.getKey()))) {
                    mismatches++;
                }
            }
            return mismatches
                    + onChain.keySet().stream()
                            .filter(w -> !ledger.containsKey(w))
                            .count();
        }

        private long count(String sql) throws Exception {
            long[] n = new long[1];
            query(sql, rs -> n[0] = rs.getLong(1));
            return n[0];
        }

        interface Row {
            void read(ResultSet rs) throws Exception;
        }

        /** Runs a query as the tenant (row-level security applies to the owner role too). */
        private void query(String sql, Row row) throws Exception {
            try (Connection owner = DriverManager.getConnection(pers.jdbcUrl(), "pers_owner", "")) {
                try (PreparedStatement scope =
                        owner.prepareStatement("select set_config('pers.tenant_id', ?, false)")) {
                    scope.setString(1, login.id().toString());
                    scope.execute();
                }
                try (PreparedStatement statement = owner.prepareStatement(sql);
                        ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        row.read(rs);
                    }
                }
            }
        }
    }
}
