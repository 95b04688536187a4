package io.pers.bench;

import io.pers.PersApplication;
import io.pers.stack.ChainTarget;
import io.pers.support.Api;
import io.pers.support.TenantFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Throughput of the service on its embedded default, printed as tables (a command, not a test:
 * {@code bench/run.sh}). PostgreSQL runs durable (fsync and synchronous_commit on), as the README's
 * run command does, so the ceiling is a real commit rate.
 *
 * <ul>
 *   <li>ledger: transfers through {@code POST /v2/transactions} at concurrency 1, 8, 32, beside the
 *       raw commit rate of single-row inserts on the same database at the same concurrency.
 *   <li>claims: claims decided through {@code POST /v2/campaigns/claims} at concurrency 8, 32, each
 *       running the ClaimWorkflow to its decision, beside the same ceiling.
 *   <li>webhooks: webhook messages delivered to a receiver on this machine at concurrency 8, 32:
 *       each worker sends a test message ({@code POST /v2/webhooks/{id}/test}: the message row and
 *       its first attempt) and waits until the receiver has it, signed and logged.
 *   <li>ingest: Shopify orders/paid webhooks acknowledged by {@code POST /v2/ingest/shopify/{id}}
 *       (signature, mapping, dedup row, Kafka acks=all) at concurrency 8, 32; then how fast the
 *       trigger matcher turns the acknowledged triggers into decided claims.
 *   <li>settlement: claims of a chain-bound token settled per second on anvil mining every second.
 *   <li>gas: gas per settled claim of the token contracts on anvil ({@link GasBenchmark}).
 * </ul>
 */
public final class Benchmarks {

    private static final String ADMIN_EMAIL = "bench@pers.local";
    private static final String ADMIN_PASSWORD = "bench-admin-password";
    private static final int WALLETS = 200;

    private final Api api;
    private final String jdbcUrl;
    private final int seconds;
    private final int warmUpSeconds;
    private final CpuMeter cpu;
    private final Profiles profiles;
    private long idleRssMegabytes;

    private Benchmarks(Api api, String jdbcUrl, int seconds, int warmUpSeconds, CpuMeter cpu) {
        this.api = api;
        this.jdbcUrl = jdbcUrl;
        this.seconds = seconds;
        this.warmUpSeconds = warmUpSeconds;
        this.cpu = cpu;
        this.profiles = new Profiles(jdbcUrl);
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        int seconds = Integer.getInteger("bench.seconds", 10);
        int warmUpSeconds = Integer.getInteger("bench.warm-up-seconds", seconds);
        try (ConfigurableApplicationContext app = start()) {
            String port = app.getEnvironment().getRequiredProperty("local.server.port");
            String jdbcUrl;
            long backendPid;
            try (Connection c = app.getBean(DataSource.class).getConnection();
                    ResultSet pid = c.createStatement().executeQuery("select pg_backend_pid()")) {
                jdbcUrl = c.getMetaData().getURL();
                pid.next();
                backendPid = pid.getLong(1);
            }
            Benchmarks bench = new Benchmarks(
                    new Api("http://localhost:" + port), jdbcUrl, seconds, warmUpSeconds, new CpuMeter(backendPid));
            bench.idle();
            if (wants(which, "ledger")) {
                bench.ledger();
            }
            if (wants(which, "claims")) {
                bench.claims();
            }
            if (which.equals("memory")) { // not part of "all": 100,000 claims take most of an hour
                bench.memory();
            }
            if (wants(which, "webhooks")) {
                bench.webhooks();
            }
            if (wants(which, "ingest")) {
                bench.ingest();
            }
            if (wants(which, "settlement")) {
                bench.settlement(anvil(app));
            }
            if (wants(which, "gas")) {
                GasBenchmark.run(anvil(app));
            }
        }
        System.exit(0);
    }

    /** {@code all}, one mode, or several separated by commas ({@code ledger,claims}). */
    private static boolean wants(String which, String mode) {
        return which.equals("all") || List.of(which.split(",")).contains(mode);
    }

    private static String anvil(ConfigurableApplicationContext app) {
        return app.getBean(ChainTarget.class)
                .rpc()
                .orElseThrow(() -> new IllegalStateException("this benchmark needs anvil: run ./mvnw once with npm"));
    }

    private static ConfigurableApplicationContext start() throws IOException {
        Path home = Files.createTempDirectory("pers-bench-");
        Map<String, String> properties = Map.ofEntries(
                Map.entry("pers.home", home.toString()),
                Map.entry("server.port", "0"),
                Map.entry("pers.embedded.postgres.port", "0"),
                Map.entry("pers.embedded.postgres.durable", "true"),
                Map.entry("pers.temporal.embedded-port", "0"),
                Map.entry("pers.kafka.embedded-port", "0"),
                Map.entry("pers.chain.anvil-port", "0"),
                Map.entry("pers.bootstrap.admin-email", ADMIN_EMAIL),
                Map.entry("pers.bootstrap.admin-password", ADMIN_PASSWORD),
                Map.entry("logging.level.root", "WARN"),
                // Capacity is measured, not the per-key limiter (20/s per API key by default).
                Map.entry("pers.rate-limit.enabled", "false"),
                // The claims and ingest ceilings (Ceilings): the same entry with PERS's work taken out.
                Map.entry("pers.bench.ceilings", "true"),
                // The webhooks benchmark delivers to a receiver on this machine.
                Map.entry("pers.webhooks.allow-private-targets", "true"));
        // As arguments, not SpringApplicationBuilder.properties(): those are defaults, and
        // application.yml's own values (server.port, the bootstrap admin) would win over them.
        return new SpringApplicationBuilder(PersApplication.class)
                .run(properties.entrySet().stream()
                        .map(p -> "--" + p.getKey() + "=" + p.getValue())
                        .toArray(String[]::new));
    }

    /**
     * What the service burns with no load at all (pollers, schedulers, brokers): the floor under
     * every figure. Measured once the start's JIT compilation has settled (it takes about half a
     * core for the first half-minute).
     */
    private void idle() throws Exception {
        Thread.sleep(Integer.getInteger("bench.idle-settle-seconds", 30) * 1000L);
        CpuMeter.Sample before = cpu.sample();
        profiles.around("idle", () -> {
            Thread.sleep(seconds * 1000L);
            return null;
        });
        CpuMeter.Sample after = cpu.sample();
        System.out.printf(
                "%nIdle for %d s: the service used %.3f cores, PostgreSQL %.3f cores; service RSS %d MB%n",
                seconds,
                (after.jvmNanos() - before.jvmNanos()) / 1e9 / seconds,
                (after.postgresNanos() - before.postgresNanos()) / 1e9 / seconds,
                idleRssMegabytes = rssMegabytes());
    }

    /** The resident memory of this JVM (the service, its embedded Temporal server and Kafka broker, the load). */
    static long rssMegabytes() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                            .filter(line -> line.startsWith("VmRSS:"))
                            .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                            .findFirst()
                            .orElse(0)
                    / 1024;
        } catch (IOException e) {
            return 0;
        }
    }

    private void ledger() throws Exception {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("BENCH");
        List<UUID> wallets = wallets(tenant, "ledger");
        for (UUID wallet : wallets) {
            tenant.mint(token, wallet, 1_000_000_000L);
        }
        Table table = new Table("Ledger transfers through POST /v2/transactions", "transfers/s", "ceiling inserts/s");
        for (int concurrency : new int[] {1, 8, 32}) {
            Measured transfers = measure("ledger", concurrency, () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                UUID from = wallets.get(random.nextInt(WALLETS));
                UUID to = wallets.get(random.nextInt(WALLETS));
                return from.equals(to) || tenant.transfer(token, from, to, 1).status() == 201;
            });
            table.row(concurrency, transfers.load(), transfers.cpu(), ceiling(concurrency), null);
        }
        table.print();
    }

    /** A SYSTEM caller claiming one point of a campaign for one of {@link #WALLETS} users, each claim its own key. */
    private record Claimer(TenantFixture tenant, UUID token, UUID campaign, List<UUID> users, Api system) {

        boolean claim() {
            UUID user = users.get(ThreadLocalRandom.current().nextInt(WALLETS));
            return system.with("Idempotency-Key", UUID.randomUUID().toString())
                                    .post(
                                            "/v2/campaigns/claims",
                                            Map.of(
                                                    "campaignId",
                                                    campaign.toString(),
                                                    "userIdentifier",
                                                    user.toString()))
                                    .status()
                            / 100
                    == 2;
        }
    }

    private Claimer claimer(String name) {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("CLAIM");
        UUID trigger = id(
                tenant.admin().post("/v2/campaign-triggers", Map.of("name", name, "triggerType", "CLAIM_BY_SYSTEM")));
        UUID campaign = id(tenant.admin()
                .post("/v2/campaigns", Map.of("name", name, "isActive", true, "triggerId", trigger.toString())));
        Api.Response unit = tenant.admin()
                .post("/v2/campaigns/" + campaign + "/token-units", Map.of("tokenId", token.toString(), "amount", "1"));
        expect(unit, 201);
        return new Claimer(
                tenant,
                token,
                campaign,
                wallets(tenant, name),
                tenant.anonymous().with("x-api-key", tenant.createApiKey(name)));
    }

    private void claims() throws Exception {
        Claimer claimer = claimer("claims");
        TenantFixture tenant = claimer.tenant();
        Api system = claimer.system();
        Table table = new Table(
                "Claims decided through POST /v2/campaigns/claims (ClaimWorkflow)", "claims/s", "no-op workflows/s");
        for (int concurrency : new int[] {8, 32}) {
            Measured claims = measure("claims", concurrency, claimer::claim);
            Measured noop = measure(
                    "claims-ceiling",
                    concurrency,
                    () -> system.post("/v2/bench/noop-workflow", Map.of()).status() == 201);
            table.row(concurrency, claims.load(), claims.cpu(), noop.load(), noop.cpu());
        }
        table.print();
        long made = asTenant(tenant.id(), "select count(*) from claims");
        long rss = rssMegabytes();
        // Growth per claim means something only once the heap has grown to its working size.
        System.out.printf(
                "Service RSS after %d claims: %d MB%s%n",
                made,
                rss,
                made < 10_000
                        ? " (growth per 1,000 claims: run with BENCH_SECONDS large enough for 10,000 claims)"
                        : String.format(
                                ", %+.1f MB per 1,000 claims since idle", (rss - idleRssMegabytes) * 1000.0 / made));
    }

    /**
     * Memory under claims: {@code bench.memory.claims} (default 100,000) claims at concurrency 32, and
     * every tenth of the way the service's RSS (this JVM: the service, its embedded Temporal server
     * and Kafka broker, the load), its live heap after a full GC (what it keeps, not what the
     * collector has yet to take back), and PostgreSQL's database size.
     */
    private void memory() throws Exception {
        int target = Integer.getInteger("bench.memory.claims", 100_000);
        int step = Math.max(1, target / 10);
        Claimer claimer = claimer("memory");
        System.out.printf(
                "%nMemory under claims (concurrency 32, %,d claims)%n%10s %10s %14s %12s %10s%n",
                target, "claims", "RSS MB", "live heap MB", "database MB", "claims/s");
        long liveAtStart = liveHeapMegabytes();
        System.out.printf("%10d %10d %14d %12d %10s%n", 0, rssMegabytes(), liveAtStart, databaseMegabytes(), "");
        java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(32);
        for (int i = 0; i < 32; i++) {
            workers.submit(() -> {
                while (started.incrementAndGet() <= target) {
                    claimer.claim();
                    answered.incrementAndGet();
                }
                return null;
            });
        }
        workers.shutdown();
        long rssAtStep = rssMegabytes();
        long liveAtStep = liveAtStart;
        for (int reached = step; reached <= target; reached += step) {
            long since = System.nanoTime();
            int from = answered.get();
            while (answered.get() < reached) {
                Thread.sleep(200);
            }
            double rate = (answered.get() - from) / ((System.nanoTime() - since) / 1e9);
            rssAtStep = rssMegabytes();
            liveAtStep = liveHeapMegabytes();
            System.out.printf(
                    "%10d %10d %14d %12d %10.1f%n", reached, rssAtStep, liveAtStep, databaseMegabytes(), rate);
        }
        workers.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        System.out.printf(
                "Growth per 1,000 claims: RSS %+.2f MB since idle, live heap %+.2f MB since the first claim%n",
                (rssAtStep - idleRssMegabytes) * 1000.0 / target, (liveAtStep - liveAtStart) * 1000.0 / target);
    }

    /** The heap still in use after a full collection. */
    private static long liveHeapMegabytes() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
    }

    private long databaseMegabytes() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "pers_owner", "");
                ResultSet size = c.createStatement().executeQuery("select pg_database_size(current_database())")) {
            size.next();
            return size.getLong(1) / (1024 * 1024);
        }
    }

    private void webhooks() throws Exception {
        TenantFixture tenant = newTenant();
        try (LocalReceiver receiver = new LocalReceiver()) {
            String subscription = tenant.admin()
                    .post("/v2/webhooks", Map.of("url", receiver.url()))
                    .json()
                    .path("subscription")
                    .path("id")
                    .asString();
            Table table = new Table(
                    "Webhooks delivered to a local receiver (test send, first attempt, signed POST, log)",
                    "deliveries/s",
                    "raw POSTs/s");
            HttpClient direct =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int concurrency : new int[] {8, 32}) {
                Measured deliveries = measure("webhooks", concurrency, () -> {
                    Api.Response sent = tenant.admin().post("/v2/webhooks/" + subscription + "/test", Map.of());
                    return sent.status() == 202 && receiver.await(sent.text("id"), 30);
                });
                Measured raw = measure("webhooks-ceiling", concurrency, () -> {
                    try {
                        return direct.send(
                                                HttpRequest.newBuilder(URI.create(receiver.url()))
                                                        .header(
                                                                "webhook-id",
                                                                UUID.randomUUID()
                                                                        .toString())
                                                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 204;
                    } catch (IOException closedByTheReceiver) {
                        return false; // a kept-alive connection the JDK server closed: counted as refused
                    }
                });
                table.row(concurrency, deliveries.load(), deliveries.cpu(), raw.load(), raw.cpu());
            }
            table.print();
            webhookBacklog(tenant, receiver);
        }
    }

    /**
     * The delivery pipeline without a request per message: {@code bench.webhooks.backlog} domain
     * events (default 5,000) recorded in one transaction, as a burst of claims would record them;
     * the dispatcher turns them into messages and their first attempts deliver them. Deliveries
     * per second from the first arrival to the last, and CPU per delivery over the whole drain.
     */
    private void webhookBacklog(TenantFixture tenant, LocalReceiver receiver) throws Exception {
        int events = Integer.getInteger("bench.webhooks.backlog", 5000);
        receiver.count();
        profiles.around("webhooks-backlog", () -> {
            CpuMeter.Sample before = cpu.sample();
            try (Connection owner = DriverManager.getConnection(jdbcUrl, "pers_owner", "");
                    PreparedStatement insert = owner.prepareStatement("""
                            insert into domain_events (id, tenant_id, type, subject_id, payload)
                            select gen_random_uuid(), ?, 'bench.backlog', gen_random_uuid(), jsonb_build_object('n', n)
                              from generate_series(1, ?) n""")) {
                try (PreparedStatement scope =
                        owner.prepareStatement("select set_config('pers.tenant_id', ?, false)")) {
                    scope.setString(1, tenant.id().toString()); // row-level security applies to the owner too
                    scope.execute();
                }
                insert.setObject(1, tenant.id());
                insert.setInt(2, events);
                insert.executeUpdate();
            }
            LocalReceiver.Arrivals arrivals = receiver.awaitCount(events, Duration.ofMinutes(10));
            CpuMeter.Sample after = cpu.sample();
            System.out.printf(
                    "%nBacklog of %,d events recorded in one transaction: %,d delivered, %.0f deliveries/s from the"
                            + " first arrival to the last; cpu ms per delivery: app %.2f, pg %.2f%n",
                    events,
                    arrivals.count(),
                    (arrivals.count() - 1) / (arrivals.lastNanos() - arrivals.firstNanos()) * 1e9,
                    (after.jvmNanos() - before.jvmNanos()) / 1e6 / arrivals.count(),
                    (after.postgresNanos() - before.postgresNanos()) / 1e6 / arrivals.count());
            return null;
        });
    }

    private void ingest() throws Exception {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("SHOP");
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
        String secret = "bench-shopify-secret-0123456789";
        String url = tenant.admin()
                .post("/v2/connectors", Map.of("connector", "shopify", "signingSecret", secret))
                .text("ingestUrl");
        ShopifyOrders orders = new ShopifyOrders(secret, WALLETS);

        Table table =
                new Table("Shopify orders/paid acknowledged by POST /v2/ingest/shopify/{id}", "acks/s", "bare acks/s");
        Api system = tenant.anonymous().with("x-api-key", tenant.createApiKey("bench"));
        // The ceilings first: once orders are acknowledged the matcher turns them into claims in
        // the background, and a ceiling measured meanwhile would carry that work.
        Map<Integer, Measured> ceilings = new HashMap<>();
        for (int concurrency : new int[] {8, 32}) {
            ceilings.put(
                    concurrency,
                    measure(
                            "ingest-ceiling",
                            concurrency,
                            () -> system.post(
                                                    "/v2/bench/noop-ingest",
                                                    Map.of(
                                                            "order",
                                                            orders.next(25).orderId()))
                                            .status()
                                    == 202));
        }
        long sent = 0;
        for (int concurrency : new int[] {8, 32}) {
            Measured acks = measure("ingest", concurrency, () -> orders.deliver(url) == 202);
            Measured bare = ceilings.get(concurrency);
            table.row(concurrency, acks.load(), acks.cpu(), bare.load(), bare.cpu());
            sent += acks.load().succeeded();
        }
        table.print();

        // The matcher consumed the topic while the webhooks were acknowledged; the claims decided
        // per second is how fast it kept up (or drained its backlog once the load stopped).
        ClaimsDecided decided = claimsDecided(tenant.id(), sent + 100, Duration.ofMinutes(10));
        System.out.printf(
                "Triggers turned into decided claims (trigger matcher, ClaimWorkflow): %d of %d events, "
                        + "%.0f claims/s from the first claim to the last decision%n%n",
                decided.count(), sent + 100, decided.perSecond());
    }

    /**
     * Claims of a chain-bound token settled per second on anvil mining a block every second, as a
     * real chain does: claims made at concurrency 32, each minted in the ledger, queued, batched by
     * the token's SettlementWorkflow into mintBatch transactions and confirmed on chain.
     */
    private void settlement(String rpcUrl) throws Exception {
        int claims = Integer.getInteger("bench.settlement.claims", 1000);
        String mode = System.getProperty("bench.settlement.mode", "MINTED");
        Claimer claimer = claimer("settle");
        TenantFixture tenant = claimer.tenant();
        try {
            expect(
                    tenant.admin()
                            .post(
                                    "/v2/contracts",
                                    Map.of(
                                            "chainId",
                                            31337,
                                            "tokenId",
                                            claimer.token().toString(),
                                            "mode",
                                            mode)),
                    201);
            // The settlers' capacity, not the claims' intake: every claim is accepted while the chain
            // mines nothing (the first batches are sent and wait, the rest queue), then it mines a
            // block every second, as a real chain, and the backlog is timed from there.
            rpc(rpcUrl, "evm_setAutomine", "false");
            CpuMeter.Sample intakeFrom = cpu.sample();
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<Boolean>> made = new ArrayList<>();
            for (int i = 0; i < claims; i++) {
                made.add(pool.submit(claimer::claim));
            }
            long accepted = 0;
            for (Future<Boolean> claim : made) {
                accepted += claim.get() ? 1 : 0;
            }
            pool.shutdown();
            long settledBeforeMining = asTenant(tenant.id(), "select count(*) from claims where status = 'SETTLED'");
            long miningFromMillis = System.currentTimeMillis();
            CpuMeter.Sample miningFrom = cpu.sample();
            long waited = accepted;
            ClaimsDecided settled = profiles.around("settlement-" + mode.toLowerCase(Locale.ROOT), () -> {
                rpc(rpcUrl, "evm_setIntervalMining", "1");
                ClaimsDecided reached =
                        claimsReaching(tenant.id(), "status = 'SETTLED'", "updated_at", waited, Duration.ofMinutes(15));
                // Until the claims' last step too (claim.completed after SETTLED), so their CPU is in.
                claimsReaching(
                        tenant.id(),
                        "completed_recorded_at is not null",
                        "completed_recorded_at",
                        waited,
                        Duration.ofMinutes(5));
                return reached;
            });
            CpuMeter.Sample done = cpu.sample();
            CpuMeter.PerOperation settling = CpuMeter.between(miningFrom, done, settled.count() - settledBeforeMining);
            // Intake included: a claim's settle step may spend while it waits for the chain to mine.
            CpuMeter.PerOperation whole = CpuMeter.between(intakeFrom, done, settled.count());
            long lastSettledMillis = asTenant(
                    tenant.id(),
                    "select (extract(epoch from max(updated_at)) * 1000)::bigint from claims where status = 'SETTLED'");
            double seconds = (lastSettledMillis - miningFromMillis) / 1000.0;
            long transactions = asTenant(
                    tenant.id(), "select count(distinct tx_hash) from settlement_items where status = 'SETTLED'");
            System.out.printf(
                    "%nSettlement of a backlog, " + mode
                            + " token, anvil mining a block every second (batches of up to 100 or windows, 1 confirmation)%n"
                            + "%8s  %8s  %18s  %8s  %12s  %10s  %14s  %22s  %22s%n"
                            + "%8d  %8d  %18d  %8.1f  %12.1f  %10d  %14.1f  %11.2f + %8.2f  %11.2f + %8.2f%n%n",
                    "claims",
                    "settled",
                    "before mining",
                    "seconds",
                    "settled/s",
                    "txs",
                    "claims per tx",
                    "settling CPU ms app+pg",
                    "whole claim CPU ms",
                    accepted,
                    settled.count(),
                    settledBeforeMining,
                    seconds,
                    (settled.count() - settledBeforeMining) / Math.max(0.001, seconds),
                    transactions,
                    settled.count() / (double) Math.max(1, transactions),
                    settling.serviceMs(),
                    settling.postgresMs(),
                    whole.serviceMs(),
                    whole.postgresMs());
        } finally {
            rpc(rpcUrl, "evm_setIntervalMining", "0");
            rpc(rpcUrl, "evm_setAutomine", "true");
        }
    }

    private static void rpc(String rpcUrl, String method, String param) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(rpcUrl))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\""
                                        + method + "\",\"params\":[" + param + "]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || answer.body().contains("\"error\"")) {
            throw new IllegalStateException(method + " refused: " + answer.body());
        }
    }

    /** One number read as the tenant (row-level security applies to the owner role too: forced). */
    private long asTenant(UUID tenant, String sql) throws SQLException {
        try (Connection owner = DriverManager.getConnection(jdbcUrl, "pers_owner", "");
                PreparedStatement scope = owner.prepareStatement("select set_config('pers.tenant_id', ?, false)")) {
            scope.setString(1, tenant.toString());
            scope.execute();
            try (ResultSet row = owner.createStatement().executeQuery(sql)) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Claims of one tenant decided so far, waiting until {@code expected} are or time is up. */
    private ClaimsDecided claimsDecided(UUID tenant, long expected, Duration atMost) throws Exception {
        return claimsReaching(tenant, "decided_at is not null", "decided_at", expected, atMost);
    }

    /**
     * Claims of one tenant that meet {@code condition}, and the seconds from the first one created to
     * the last {@code reachedAt}, waiting until {@code expected} are there or time is up.
     */
    private ClaimsDecided claimsReaching(
            UUID tenant, String condition, String reachedAt, long expected, Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        try (Connection owner = DriverManager.getConnection(jdbcUrl, "pers_owner", "");
                PreparedStatement query = owner.prepareStatement("select count(*), extract(epoch from max(" + reachedAt
                        + ") - min(created_at)) from claims where tenant_id = ? and " + condition)) {
            query.setObject(1, tenant);
            // Row-level security applies to the owner too (forced): read as the tenant.
            try (PreparedStatement scope = owner.prepareStatement("select set_config('pers.tenant_id', ?, false)")) {
                scope.setString(1, tenant.toString());
                scope.execute();
            }
            while (true) {
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    ClaimsDecided decided = new ClaimsDecided(row.getLong(1), row.getDouble(2));
                    if (decided.count() >= expected || System.nanoTime() > deadline) {
                        return decided;
                    }
                }
                Thread.sleep(500);
            }
        }
    }

    private record ClaimsDecided(long count, double seconds) {
        double perSecond() {
            return seconds > 0 ? count / seconds : 0;
        }
    }

    private record Measured(Load.Result load, CpuMeter.PerOperation cpu) {}

    /** A load, with the CPU the service, PostgreSQL and the load's client spent per call. */
    private Measured measure(String mode, int concurrency, Load.Operation operation) throws Exception {
        // The same load, unmeasured, first: the JIT compiles the hot paths of a new mode for many
        // seconds (up to a third of the CPU of a 10-s run), a cost a long-running service pays once.
        Load.run(concurrency, warmUpSeconds, operation);
        return profiles.around(mode + "-c" + concurrency, () -> {
            CpuMeter.Sample before = cpu.sample();
            Load.Result load = Load.run(concurrency, seconds, operation);
            return new Measured(load, CpuMeter.between(before, cpu.sample(), load));
        });
    }

    /** The ceiling: autocommitted single-row inserts, one connection per worker, same database. */
    private Load.Result ceiling(int concurrency) throws Exception {
        try (Connection owner = DriverManager.getConnection(jdbcUrl, "pers_owner", "")) {
            owner.createStatement()
                    .execute(
                            "create table if not exists bench_ceiling (id bigserial primary key, payload text not null)");
        }
        ThreadLocal<PreparedStatement> insert = ThreadLocal.withInitial(() -> {
            try {
                return DriverManager.getConnection(jdbcUrl, "pers_owner", "")
                        .prepareStatement("insert into bench_ceiling (payload) values (?)");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        return Load.run(concurrency, seconds, () -> {
            PreparedStatement statement = insert.get();
            statement.setString(1, "x");
            return statement.executeUpdate() == 1;
        });
    }

    private TenantFixture newTenant() {
        String platform = api.post(
                        "/v2/auth/token",
                        Map.of("grantType", "PASSWORD", "email", ADMIN_EMAIL, "password", ADMIN_PASSWORD))
                .text("accessToken");
        String email = "bench-" + UUID.randomUUID() + "@tenant.test";
        Api.Response created = api.bearer(platform)
                .post("/v2/tenants", Map.of("name", "Bench", "adminEmail", email, "adminPassword", "bench-password"));
        expect(created, 201);
        Api anonymous = api.with(
                "x-project-key",
                created.json().path("tenant").path("projectKeyTest").asString());
        String admin = anonymous
                .post("/v2/auth/token", Map.of("grantType", "PASSWORD", "email", email, "password", "bench-password"))
                .text("accessToken");
        return new TenantFixture(
                UUID.fromString(created.json().path("tenant").path("id").asString()),
                null,
                anonymous,
                anonymous.bearer(admin));
    }

    private static List<UUID> wallets(TenantFixture tenant, String prefix) {
        List<UUID> users = new ArrayList<>();
        for (int i = 0; i < WALLETS; i++) {
            users.add(tenant.createUser(prefix + i + "@bench.test"));
        }
        return users;
    }

    private static UUID id(Api.Response response) {
        expect(response, 201);
        return UUID.fromString(response.text("id"));
    }

    private static void expect(Api.Response response, int status) {
        if (response.status() != status) {
            throw new IllegalStateException("expected " + status + ": " + response);
        }
    }
}
