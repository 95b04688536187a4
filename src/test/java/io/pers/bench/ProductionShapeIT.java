package io.pers.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.chain.CreditToken;
import io.pers.chain.DevChain;
import io.pers.support.Api;
import io.pers.support.TenantFixture;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production shape without Docker: PostgreSQL, Temporal (the Java test server as its own
 * process: no other Temporal server can be had here), a Kafka broker and anvil each run as their own
 * OS process, and the packaged jar runs in production mode pointed at them, as an operator runs it.
 * The operator funds the settler (PERS funds nothing outside its embedded chain), a signed Shopify
 * order becomes a claim settled on chain and a signed webhook the partner accepts. Then the
 * instance is killed with SIGKILL and two more start on the same services: every claim sent to both
 * at once under one Idempotency-Key, and one Shopify order delivered to both at once, is decided
 * once, and the ledger, the chain and the partner agree.
 */
class ProductionShapeIT {

    private static final int SIDE_BY_SIDE_CLAIMS = 20;

    /** Kept when the proof fails: each service's and each instance's output. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path folder;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aShopifyOrderIsSettledAndDeliveredThenTwoInstancesDecideEveryClaimOnce() throws Exception {
        try (ServiceProcesses services = ServiceProcesses.start(folder.resolve("services"));
                PartnerReceiver partner = new PartnerReceiver()) {
            Map<String, String> settings = new LinkedHashMap<>(services.settings());
            settings.put("pers.secrets.master-key", masterKey());
            // anvil mines a block per transaction only: a settlement waiting for the default 12
            // confirmations would wait for traffic, so the chain is declared as it is (1 confirmation).
            settings.put("pers.chain.chains[0].rpc-url", settings.get("pers.chain.rpc-url"));
            settings.put("pers.chain.chains[0].name", "anvil");
            settings.put("pers.chain.chains[0].confirmations", "1");
            settings.putAll(FaultRun.tuning());

            PersProcess first = PersProcess.packaged(folder.resolve("pers-1"), settings);
            PersProcess second = PersProcess.packaged(folder.resolve("pers-2"), settings);
            PersProcess third = PersProcess.packaged(folder.resolve("pers-3"), settings);
            try (first;
                    second;
                    third) {
                first.start();
                System.out.printf(
                        "Packaged jar, production mode: ready %d ms after launch%n",
                        first.lastStart().toMillis());
                FaultRun.TenantLogin login = FaultRun.tenant(new Api(first.baseUrl()));
                TenantFixture tenant = login.signIn();
                fundSettler(tenant, first.rpcUrl());
                FaultRun.Setup setup = FaultRun.setup(tenant, partner, "MINTED");
                SettlerWorkflows settlers = new SettlerWorkflows(settings, login.id());
                ShopifyOrders orders = new ShopifyOrders(FaultRun.SHOPIFY_SECRET, 1);

                ShopifyOrders.Delivery order = orders.next(42);
                assertThat(orders.send(ingestUrl(first, setup), order).statusCode())
                        .isEqualTo(202);
                Shop shop = new Shop(tenant, setup, partner, first.rpcUrl());
                shop.awaitSettledAndDelivered(1);
                UUID buyer = shop.user(order.customer());
                assertThat(shop.ledger(buyer)).isEqualTo(BigInteger.valueOf(42));
                assertThat(shop.onChain(buyer)).isEqualTo(shop.ledger(buyer));

                // Killed once its settler has ended: the Temporal test server, standing in for a
                // cluster here, never moves a workflow task queued for a killed worker (its sticky
                // queue) to the other workers, as a cluster does after 5 s. Kills in mid-flight are
                // FaultIT's part (the developer launch, whose embedded server goes down with PERS).
                Awaitility.await("the settler ends with its queue empty")
                        .atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofSeconds(1)) // each look opens a database connection and a gRPC channel
                        .until(() -> !settlers.anyRunning());
                first.kill();
                CompletableFuture.allOf(starting(second), starting(third)).get(10, TimeUnit.MINUTES);
                TenantFixture viaSecond = tenant.at(second.baseUrl());
                TenantFixture viaThird = tenant.at(third.baseUrl());

                Set<String> decided = claimEachOnBoth(viaSecond, viaThird, setup.campaign(), buyer);
                assertThat(decided).as("one claim per Idempotency-Key").hasSize(SIDE_BY_SIDE_CLAIMS);

                ShopifyOrders.Delivery another = orders.next(8);
                CompletableFuture<Integer> toSecond =
                        CompletableFuture.supplyAsync(() -> deliver(orders, ingestUrl(second, setup), another));
                CompletableFuture<Integer> toThird =
                        CompletableFuture.supplyAsync(() -> deliver(orders, ingestUrl(third, setup), another));
                assertThat(List.of(toSecond.get(), toThird.get()))
                        .as("acknowledged by both: accepted once (202), a redelivery (200) or accepted twice")
                        .contains(202)
                        .allMatch(status -> status == 200 || status == 202);

                Shop after = new Shop(viaThird, setup, partner, first.rpcUrl());
                try {
                    after.awaitSettledAndDelivered(1 + SIDE_BY_SIDE_CLAIMS + 1);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    settlers.print();
                    throw e;
                }
                assertThat(after.ledger(buyer)).isEqualTo(BigInteger.valueOf(42 + SIDE_BY_SIDE_CLAIMS + 8));
                assertThat(after.onChain(buyer)).isEqualTo(after.ledger(buyer));
                assertThat(viaSecond
                                .admin()
                                .get("/v2/ledger/verification", Duration.ofMinutes(2))
                                .json()
                                .path("valid")
                                .asBoolean())
                        .isTrue();
                assertThat(partner.badSignatures()).isZero();
            }
        }
    }

    /** A random 256-bit master key, as an operator makes one ({@code openssl rand -base64 32}). */
    private static String masterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** What the operator does before binding a token: sends the tenant's settler some ether. */
    private static void fundSettler(TenantFixture tenant, String rpcUrl) {
        try (DevChain chain = new DevChain(rpcUrl)) {
            Api.Response status =
                    tenant.admin().get("/v2/chains/" + chain.client().chainId() + "/status");
            assertThat(status.status()).as(status.toString()).isEqualTo(200);
            assertThat(status.json().path("settlerBalanceWei").asString())
                    .as("PERS funds no settler outside its embedded chain")
                    .isEqualTo("0");
            chain.fund(status.json().path("settlerAddress").asString());
        }
    }

    /** The connection's ingest URL on a given instance (every instance serves every connection). */
    private static String ingestUrl(PersProcess pers, FaultRun.Setup setup) {
        return pers.baseUrl() + URI.create(setup.ingestUrl()).getRawPath();
    }

    private static CompletableFuture<Void> starting(PersProcess pers) {
        return CompletableFuture.runAsync(() -> {
            try {
                pers.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static int deliver(ShopifyOrders orders, String url, ShopifyOrders.Delivery delivery) {
        try {
            return orders.send(url, delivery).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every claim sent to both instances at the same moment under one key; answers the claim ids. */
    private static Set<String> claimEachOnBoth(TenantFixture a, TenantFixture b, UUID campaign, UUID user)
            throws Exception {
        List<CompletableFuture<Api.Response>> answers = new ArrayList<>();
        for (int i = 0; i < SIDE_BY_SIDE_CLAIMS; i++) {
            String key = "side-by-side-" + i;
            for (TenantFixture instance : List.of(a, b)) {
                Api api = instance.admin().with("Idempotency-Key", key);
                answers.add(CompletableFuture.supplyAsync(() -> api.post(
                        "/v2/campaigns/claims",
                        Map.of("campaignId", campaign.toString(), "userIdentifier", user.toString()))));
            }
        }
        List<Api.Response> responses = new ArrayList<>();
        for (CompletableFuture<Api.Response> answer : answers) {
            responses.add(answer.get(2, TimeUnit.MINUTES));
        }
        assertThat(responses)
                .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isIn(200, 201));
        return responses.stream().map(r -> r.text("id")).collect(Collectors.toSet());
    }

    /** What the tenant, the chain and the partner see of the shop's program. */
    private record Shop(TenantFixture tenant, FaultRun.Setup setup, PartnerReceiver partner, String rpcUrl) {

        /** Until {@code claims} claims are SETTLED and the partner accepted claim.settled for each. */
        void awaitSettledAndDelivered(int claims) {
            Awaitility.await(claims + " claims settled, claim.settled delivered for each")
                    .atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        List<String> settled = settledClaims();
                        return settled.size() == claims
                                && settled.stream()
                                        .allMatch(id -> partner.eventsOf(id).contains("claim.settled"));
                    });
            assertThat(tenant.admin()
                            .get("/v2/campaigns/claims?size=100")
                            .json()
                            .path("total")
                            .asLong())
                    .as("no claim beyond those")
                    .isEqualTo(claims);
        }

        private List<String> settledClaims() {
            List<String> ids = new ArrayList<>();
            tenant.admin()
                    .get("/v2/campaigns/claims?status=SETTLED&size=100")
                    .json()
                    .path("items")
                    .forEach(claim -> ids.add(claim.path("id").asString()));
            return ids;
        }

        UUID user(String email) {
            return UUID.fromString(tenant.admin()
                    .get("/v2/users?email=" + email)
                    .json()
                    .path("items")
                    .get(0)
                    .path("id")
                    .asString());
        }

        BigInteger ledger(UUID user) {
            return tenant.balance(user, setup.token());
        }

        BigInteger onChain(UUID user) throws Exception {
            String address =
                    tenant.admin().get("/v2/users/" + user + "/address").text("address");
            try (DevChain chain = new DevChain(rpcUrl)) {
                return new CreditToken(chain.client(), setup.contract()).balanceOf(address);
            }
        }
    }
}
