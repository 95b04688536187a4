package io.pers.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.claim.CampaignSetup;
import io.pers.support.AnvilProcess;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Claims of tokens bound to contracts settle on the real embedded anvil, in batches. */
class SettlementIT extends ApiTest {

    private static final long ANVIL = 31337;

    @Autowired
    Custody custody;

    @Autowired
    ChainNodes nodes;

    @Autowired
    Chains chains;

    @Autowired
    JdbcClient db;

    @Autowired
    ReconcileCommand reconcile;

    @Value("${pers.home}")
    Path home;

    @Test
    void hundredClaimsSettleInAFewBatchesAndEveryWalletOnChainEqualsItsLedgerBalance() throws Exception {
        CampaignSetup setup = new CampaignSetup(newTenant());
        JsonNode contract = bind(setup.tenant, setup.token);
        UUID campaign = setup.campaign(7, null, Map.of(), Map.of());
        List<UUID> users = IntStream.range(0, 100)
                .mapToObj(i -> setup.tenant.createUser("holder-" + i + "@settle.test"))
                .toList();

        long started = System.nanoTime();
        List<String> claims = claimAll(setup.tenant, campaign, users);
        List<JsonNode> settled = claims.stream()
                .map(id -> awaitStatus(setup.tenant, id, "SETTLED"))
                .toList();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("settlement: %d claims settled in %.1f s (%.1f claims/s)%n", 100, seconds, 100 / seconds);

        CreditToken token = new CreditToken(client(), contract.path("address").asString());
        for (UUID user : users) {
            assertThat(token.balanceOf(address(setup.tenant, user)))
                    .isEqualTo(setup.tenant.balance(user, setup.token))
                    .isEqualTo(BigInteger.valueOf(7));
        }
        long transactions = TenantContext.callAs(
                setup.tenant.id(), () -> db.sql("select count(distinct tx_hash) from settlement_items")
                        .query(Long.class)
                        .single());
        System.out.printf("settlement: 100 claims in %d transactions%n", transactions);
        assertThat(transactions).isBetween(1L, 10L);
        assertThat(settled)
                .allSatisfy(c -> assertThat(c.path("status").asString()).isEqualTo("SETTLED"));
    }

    @Test
    void everyLedgerMovementOfABoundTokenIsMirroredOnChainAndReconciliationShowsNoDifference() {
        TenantFixture tenant = newTenant();
        CampaignSetup setup = new CampaignSetup(tenant);
        UUID reward = CampaignSetup.id(tenant.admin()
                .post("/v2/tokens", Map.of("type", "REWARD", "name", "Mug", "symbol", "MUG", "decimals", 0)));
        CreditToken credit = new CreditToken(
                client(), bind(tenant, setup.token).path("address").asString());
        RewardToken mugs =
                new RewardToken(client(), bind(tenant, reward).path("address").asString());
        UUID campaign = setup.campaign(10, null, Map.of(), Map.of());
        UUID alice = tenant.createUser("alice@mirror.test");
        UUID bob = tenant.createUser("bob@mirror.test");

        // A claim, then its reversal: the mint settles, the reversal burns it again.
        JsonNode first = awaitStatus(tenant, claim(tenant, campaign, alice), "SETTLED");
        String mint = first.path("transactions").get(0).path("id").asString();
        Api.Response reversed = tenant.admin().post("/v2/transactions/" + mint + "/reversal", Map.of("memo", "oops"));
        assertThat(reversed.status()).as(reversed.toString()).isEqualTo(201);
        // Another claim, and a transfer of part of it between two users.
        awaitStatus(tenant, claim(tenant, campaign, alice), "SETTLED");
        assertThat(tenant.transfer(setup.token, alice, bob, 4).status()).isEqualTo(201);
        // A redemption: its cost taken from bob (a burn) and its reward minted to him (ERC-1155).
        UUID redemption = CampaignSetup.id(tenant.admin()
                .post(
                        "/v2/redemptions",
                        Map.of("name", "Mug", "costTokenId", setup.token.toString(), "costAmount", "3")));
        CampaignSetup.id(tenant.admin()
                .post(
                        "/v2/redemptions/" + redemption + "/tokens",
                        Map.of("tokenId", reward.toString(), "amount", "1")));
        String redeem = tenant.admin()
                .with("Idempotency-Key", "mirror-redeem")
                .post(
                        "/v2/redemptions/redeems",
                        Map.of("redemptionId", redemption.toString(), "userIdentifier", bob.toString()))
                .text("id");
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(
                        () -> tenant.admin()
                                .get("/v2/redemption-redeems/" + redeem)
                                .text("status"),
                        "COMPLETED"::equals);

        awaitMirrored(tenant);
        assertThat(tenant.balance(alice, setup.token)).isEqualTo(BigInteger.valueOf(6));
        assertThat(tenant.balance(bob, setup.token)).isEqualTo(BigInteger.ONE);
        assertThat(credit.balanceOf(address(tenant, alice))).isEqualTo(tenant.balance(alice, setup.token));
        assertThat(credit.balanceOf(address(tenant, bob))).isEqualTo(tenant.balance(bob, setup.token));
        assertThat(mugs.balanceOf(address(tenant, bob), BigInteger.ONE))
                .isEqualTo(tenant.balance(bob, reward))
                .isEqualTo(BigInteger.ONE);
        JsonNode report =
                tenant.admin().get("/v2/chains/" + ANVIL + "/reconciliation").json();
        assertThat(report.path("differences").isEmpty()).as(report.toString()).isTrue();
        // Each movement settled once, keyed by its entry: 2 claim mints, reversal, transfer, cost, reward.
        long items = TenantContext.callAs(
                tenant.id(), () -> db.sql("select count(*) from settlement_items where status = 'SETTLED'")
                        .query(Long.class)
                        .single());
        assertThat(items).isEqualTo(6);

        // Settlement metrics: gas of the settled batches per contract, queue depth per chain.
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                        operator().get("/actuator/prometheus").raw().body())
                .containsPattern("(?m)^pers_settlement_gas_total\\{[^}]*chain=\"" + ANVIL + "\",contract=\""
                        + credit.address().toLowerCase() + "\"\\} [1-9]")
                .containsPattern("(?m)^pers_settlement_queue_depth\\{[^}]*chain=\"" + ANVIL + "\"\\} \\d"));

        // The reconciliation command agrees, then finds a mint made outside PERS and says so.
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        assertThat(reconcile.reconcile(ANVIL, tenant.id(), new java.io.PrintStream(printed, true)))
                .isZero();
        var settler = TenantContext.callAs(tenant.id(), custody::settler);
        credit.mintBatch(settler, List.of(new CreditToken.Mint(address(tenant, alice), BigInteger.ONE)));
        printed.reset();
        assertThat(reconcile.reconcile(ANVIL, tenant.id(), new java.io.PrintStream(printed, true)))
                .isEqualTo(1);
        assertThat(printed.toString())
                .contains("\"difference\":\"1\"")
                .contains(address(tenant, alice))
                .contains("1 differences");
    }

    @Test
    void aTestnetCampaignsClaimSettlesOnTheTokensTestnetBindingAndOthersOnItsMainnetOne() throws Exception {
        TenantFixture tenant = newTenant();
        CampaignSetup setup = new CampaignSetup(tenant);
        // The embedded anvil is a testnet chain; a second anvil stands in for a mainnet one.
        long mainnetId = 40_000 + new java.util.Random().nextInt(1_000_000);
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String os = System.getProperty("os.name").toLowerCase().contains("mac") ? "darwin" : "linux";
        String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
        Process mainnet = new ProcessBuilder(
                        java.nio.file.Path.of(
                                        "tools",
                                        "node_modules",
                                        "@foundry-rs",
                                        "anvil-" + os + "-" + arch,
                                        "bin",
                                        "anvil")
                                .toString(),
                        "--port",
                        String.valueOf(port),
                        "--chain-id",
                        String.valueOf(mainnetId))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (DevChain main = Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(
                        () -> new DevChain("http://127.0.0.1:" + port),
                        chain -> chain.client().chainId() == mainnetId)) {
            Api platform = api().bearer(platformToken());
            Api.Response registered = platform.post(
                    "/v2/chains",
                    Map.of(
                            "id",
                            mainnetId,
                            "name",
                            "mainnet stand-in",
                            "rpcUrl",
                            "http://127.0.0.1:" + port,
                            "confirmations",
                            1,
                            "testnet",
                            false,
                            "feePolicy",
                            Map.of("bumpPercent", 12)));
            assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
            main.fund(
                    TenantContext.callAs(tenant.id(), () -> custody.addresses().settler()));
            String testnetAddress = bind(tenant, setup.token).path("address").asString();
            Api.Response mainBound = tenant.admin()
                    .post("/v2/contracts", Map.of("chainId", mainnetId, "tokenId", setup.token.toString()));
            assertThat(mainBound.status()).as(mainBound.toString()).isEqualTo(201);
            assertThat(tenant.admin()
                            .post("/v2/contracts", Map.of("chainId", mainnetId, "tokenId", setup.token.toString()))
                            .code())
                    .as("one mainnet binding per token")
                    .isEqualTo("ALREADY_EXISTS");
            UUID live = setup.campaign(5, null, Map.of(), Map.of());
            UUID trial = setup.campaign(2, null, Map.of(), Map.of("isTestnet", true));
            UUID user = tenant.createUser("both@testnet.test");

            awaitStatus(tenant, claim(tenant, trial, user), "SETTLED");
            awaitStatus(tenant, claim(tenant, live, user), "SETTLED");

            CreditToken onTestnet = new CreditToken(client(), testnetAddress);
            CreditToken onMainnet = new CreditToken(
                    main.client(), mainBound.json().path("address").asString());
            String holder = address(tenant, user);
            assertThat(onTestnet.balanceOf(holder)).isEqualTo(BigInteger.TWO);
            assertThat(onMainnet.balanceOf(holder)).isEqualTo(BigInteger.valueOf(5));
            assertThat(tenant.balance(user, setup.token)).isEqualTo(BigInteger.valueOf(7));
            for (long chain : new long[] {ANVIL, mainnetId}) {
                JsonNode report = tenant.admin()
                        .get("/v2/chains/" + chain + "/reconciliation")
                        .json();
                assertThat(report.path("differences").isEmpty())
                        .as(report.toString())
                        .isTrue();
            }
        } finally {
            mainnet.destroy();
            mainnet.waitFor();
        }
    }

    /** Until every queued movement of the tenant has settled on chain. */
    private void awaitMirrored(TenantFixture tenant) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> TenantContext.callAs(tenant.id(), () -> db.sql(
                                        "select count(*) from settlement_items where status <> 'SETTLED'")
                                .query(Long.class)
                                .single()),
                        n -> n == 0);
    }

    @Test
    void aForeignTransactionFromTheSettlerKeyIsRecoveredFrom() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        JsonNode contract = bind(setup.tenant, setup.token);
        UUID campaign = setup.campaign(5, null, Map.of(), Map.of());
        UUID first = setup.tenant.createUser("first@nonce.test");
        awaitStatus(setup.tenant, claim(setup.tenant, campaign, first), "SETTLED");

        // The settler's key used outside PERS: the nonce PERS keeps for it is now taken on chain.
        var settler = TenantContext.callAs(setup.tenant.id(), custody::settler);
        client().send(settler, settler.getAddress(), "0x");
        client().send(settler, settler.getAddress(), "0x");

        UUID second = setup.tenant.createUser("second@nonce.test");
        awaitStatus(setup.tenant, claim(setup.tenant, campaign, second), "SETTLED");
        CreditToken token = new CreditToken(client(), contract.path("address").asString());
        assertThat(token.balanceOf(address(setup.tenant, second))).isEqualTo(BigInteger.valueOf(5));
        assertThat(token.balanceOf(address(setup.tenant, first))).isEqualTo(BigInteger.valueOf(5));
        long signed =
                TenantContext.callAs(setup.tenant.id(), () -> db.sql("select count(*) from settlement_transactions")
                        .query(Long.class)
                        .single());
        assertThat(signed)
                .as("the second batch signed once, past the nonces the chain shows taken")
                .isEqualTo(2);
    }

    @Test
    void aBatchWithAnItemTheContractRefusesIsSplitAndOnlyThatClaimIsCompensated() throws Exception {
        TenantFixture tenant = newTenant();
        UUID reward = CampaignSetup.id(tenant.admin()
                .post("/v2/tokens", Map.of("type", "REWARD", "name", "Badge", "symbol", "BDG", "decimals", 0)));
        CampaignSetup setup = new CampaignSetup(tenant, reward);
        JsonNode contract = bind(tenant, reward);
        UUID campaign = setup.campaign(1, null, Map.of(), Map.of());
        List<UUID> users = IntStream.range(0, 6)
                .mapToObj(i -> tenant.createUser("badge-" + i + "@split.test"))
                .toList();
        // A contract that is no ERC-1155 receiver: the mint to it reverts (ERC1155InvalidReceiver).
        String refusing = contract.path("address").asString();
        assertThat(putAddress(tenant, users.get(3), refusing).status()).isEqualTo(200);

        List<String> claims = claimAll(tenant, campaign, users);
        RewardToken token = new RewardToken(client(), refusing);
        for (int i = 0; i < users.size(); i++) {
            if (i == 3) {
                JsonNode failed = awaitStatus(tenant, claims.get(i), "FAILED");
                assertThat(failed.path("failureReason").asString()).contains("ERC1155InvalidReceiver");
                assertThat(tenant.balance(users.get(i), reward)).isZero();
            } else {
                awaitStatus(tenant, claims.get(i), "SETTLED");
                assertThat(token.balanceOf(address(tenant, users.get(i)), BigInteger.ONE))
                        .isEqualTo(tenant.balance(users.get(i), reward))
                        .isEqualTo(BigInteger.ONE);
            }
        }
    }

    /**
     * The real anvil process, not an unreachable URL: paused with SIGSTOP for 30 s while a batch
     * has taken claims (the node answers nothing, as a hung node would), then stopped with SIGTERM
     * (it dumps its state and exits; the supervisor starts it again from that state, same chain).
     * Claims are accepted all along, and each settles once: on chain exactly its points.
     */
    @Test
    void anvilPausedThirtySecondsMidBatchThenStoppedAndRestartedSettlesEveryClaimExactlyOnce() throws Exception {
        CampaignSetup setup = new CampaignSetup(newTenant());
        JsonNode contract = bind(setup.tenant, setup.token);
        UUID campaign = setup.campaign(3, null, Map.of(), Map.of());
        List<UUID> users = IntStream.range(0, 8)
                .mapToObj(i -> setup.tenant.createUser("outage-" + i + "@settle.test"))
                .toList();
        CreditToken token = new CreditToken(client(), contract.path("address").asString());
        BigInteger headBefore = client().blockNumber();

        AnvilProcess anvil = AnvilProcess.of(home);
        anvil.pause();
        List<String> claims = new ArrayList<>();
        try {
            claims.addAll(claimAll(setup.tenant, campaign, users.subList(0, 4)));
            Awaitility.await("a batch took the claims while the node is paused")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> itemStatuses(setup.tenant, claims).equals(List.of("BATCHED")));
            assertThat(api().get("/actuator/health/settlement").status()).isEqualTo(503);
            Awaitility.await("nothing settles while the node is paused")
                    .during(Duration.ofSeconds(30))
                    .atMost(Duration.ofSeconds(40))
                    .until(() -> !itemStatuses(setup.tenant, claims).contains("SETTLED"));
        } finally {
            anvil.resume();
        }
        claims.forEach(id -> awaitStatus(setup.tenant, id, "SETTLED"));

        anvil.stop();
        claims.addAll(claimAll(setup.tenant, campaign, users.subList(4, 8)));
        claims.forEach(id -> awaitStatus(setup.tenant, id, "SETTLED"));
        AnvilProcess restarted = AnvilProcess.of(home);
        assertThat(restarted.pid()).as("the supervisor started anvil again").isNotEqualTo(anvil.pid());
        assertThat(api().get("/actuator/health/settlement").status()).isEqualTo(200);

        assertThat(client().blockNumber()).as("the same chain, not a fresh one").isGreaterThan(headBefore);
        for (UUID user : users) {
            assertThat(token.balanceOf(address(setup.tenant, user)))
                    .isEqualTo(setup.tenant.balance(user, setup.token))
                    .isEqualTo(BigInteger.valueOf(3));
        }
    }

    private List<String> itemStatuses(TenantFixture tenant, List<String> claims) {
        return TenantContext.callAs(
                tenant.id(), () -> db.sql("select distinct status from settlement_items where claim_id::text = any(?)")
                        .param(claims.toArray(String[]::new))
                        .query(String.class)
                        .list());
    }

    @Test
    void badChainAndContractInputIsRefusedAndNoSecretIsEverShown() {
        TenantFixture tenant = newTenant();
        Api platform = api().bearer(platformToken());
        Map<String, Object> chain = Map.of(
                "id",
                999_999,
                "name",
                "nowhere",
                "rpcUrl",
                "http://127.0.0.1:9",
                "confirmations",
                1,
                "testnet",
                true,
                "feePolicy",
                Map.of("bumpPercent", 12));
        assertThat(platform.post("/v2/chains", chain).code()).isEqualTo("CHAIN_UNREACHABLE");
        assertThat(platform.post("/v2/chains", Map.of("id", -1, "name", "x")).code())
                .isEqualTo("VALIDATION_FAILED");
        assertThat(platform.post("/v2/chains", Map.of("id", ANVIL, "surprise", 1))
                        .code())
                .isEqualTo("UNKNOWN_FIELD");
        assertThat(platform.get("/v2/chains/" + 999_999).code()).isEqualTo("NOT_FOUND");
        assertThat(tenant.admin().post("/v2/chains", chain).status()).isEqualTo(403);

        UUID token = tenant.createToken("BAD");
        assertThat(tenant.admin()
                        .post("/v2/contracts", Map.of("chainId", ANVIL, "tokenId", token.toString(), "address", "0x12"))
                        .code())
                .isEqualTo("INVALID_ADDRESS");
        String nobody = DevChain.newKey().getAddress();
        assertThat(tenant.admin()
                        .post("/v2/contracts", Map.of("chainId", ANVIL, "tokenId", token.toString(), "address", nobody))
                        .code())
                .isEqualTo("NO_CONTRACT_AT_ADDRESS");
        assertThat(tenant.admin()
                        .post("/v2/contracts", Map.of("chainId", 424242, "tokenId", token.toString()))
                        .code())
                .isEqualTo("NOT_FOUND");
        UUID issued = tenant.createToken("ISS");
        UUID user = tenant.createUser("someone@addr.test");
        tenant.mint(issued, user, 3);
        assertThat(tenant.admin()
                        .post("/v2/contracts", Map.of("chainId", ANVIL, "tokenId", issued.toString()))
                        .code())
                .as("a contract bound after issuing would not hold what the ledger says")
                .isEqualTo("TOKEN_ALREADY_ISSUED");
        assertThat(tenant.admin().get("/v2/contracts").json()).isEmpty();
        assertThat(putAddress(tenant, user, "0x" + "0".repeat(40))
                        .json()
                        .path("code")
                        .asString())
                .isEqualTo("INVALID_ADDRESS");

        bind(tenant, token);
        Api.Response status = tenant.admin().get("/v2/chains/" + ANVIL + "/status");
        assertThat(status.status()).as(status.toString()).isEqualTo(200);
        assertThat(status.json().path("headBlock").asLong()).isPositive();
        var settler = TenantContext.callAs(tenant.id(), custody::settler);
        assertThat(status.text("settlerAddress")).isEqualTo(settler.getAddress());
        String privateKey = settler.getEcKeyPair().getPrivateKey().toString(16);
        for (String path : List.of(
                "/v2/chains",
                "/v2/chains/" + ANVIL,
                "/v2/chains/" + ANVIL + "/status",
                "/v2/contracts",
                "/v2/users/" + user + "/address")) {
            String body = tenant.admin().get(path).raw().body();
            assertThat(body).doesNotContainIgnoringCase(privateKey).doesNotContain("seed");
        }
        byte[] sealed = TenantContext.callAs(tenant.id(), () -> db.sql("select seed_enc from chain_keys")
                .query(byte[].class)
                .single());
        assertThat(sealed).hasSizeGreaterThan(64); // sealed: nonce and tag around the 64-byte seed
    }

    static JsonNode bind(TenantFixture tenant, UUID token) {
        Api.Response created =
                tenant.admin().post("/v2/contracts", Map.of("chainId", ANVIL, "tokenId", token.toString()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private ChainClient client() {
        return nodes.client(chains.find(ANVIL));
    }

    static String address(TenantFixture tenant, UUID user) {
        return tenant.admin().get("/v2/users/" + user + "/address").text("address");
    }

    static Api.Response putAddress(TenantFixture tenant, UUID user, String address) {
        return tenant.admin().put("/v2/users/" + user + "/address", Map.of("address", address));
    }

    static String claim(TenantFixture tenant, UUID campaign, UUID user) {
        Api.Response claimed = tenant.admin()
                .post(
                        "/v2/campaigns/claims",
                        Map.of("campaignId", campaign.toString(), "userIdentifier", user.toString()));
        assertThat(claimed.status()).as(claimed.toString()).isBetween(201, 202);
        return claimed.text("id");
    }

    static List<String> claimAll(TenantFixture tenant, UUID campaign, List<UUID> users) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> futures = users.stream()
                    .map(user -> pool.submit(() -> claim(tenant, campaign, user)))
                    .toList();
            List<String> ids = new java.util.ArrayList<>();
            for (Future<String> future : futures) {
                ids.add(future.get());
            }
            return ids;
        } finally {
            pool.shutdown();
        }
    }

    static JsonNode awaitStatus(TenantFixture tenant, String claimId, String status) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> tenant.admin()
                                .get("/v2/campaigns/claims/" + claimId)
                                .json(),
                        c -> c.path("status").asString().equals(status));
    }
}
