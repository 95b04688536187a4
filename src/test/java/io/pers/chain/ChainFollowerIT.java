package io.pers.chain;

import static io.pers.chain.SettlementIT.address;
import static io.pers.chain.SettlementIT.awaitStatus;
import static io.pers.chain.SettlementIT.bind;
import static io.pers.chain.SettlementIT.claim;
import static io.pers.chain.SettlementIT.putAddress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pers.claim.CampaignSetup;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;

/**
 * Holders with keys of their own move settled tokens on the real embedded anvil with the real
 * {@code cast}; the follower records it in the ledger and reconciliation compares both sides.
 */
class ChainFollowerIT extends ApiTest {

    private static final long ANVIL = 31337;

    @Autowired
    Chains chains;

    @Autowired
    Custody custody;

    @Autowired
    ChainNodes nodes;

    @Autowired
    JdbcClient db;

    @Autowired
    TransactionTemplate tx;

    @Test
    void anOwnKeyTransferIsRecordedOnceAndTheLedgerEqualsTheChain() throws Exception {
        CampaignSetup setup = new CampaignSetup(newTenant());
        TenantFixture tenant = setup.tenant;
        String contract = bind(tenant, setup.token).path("address").asString();
        UUID contractId = contractId(tenant);
        UUID campaign = setup.campaign(10, null, Map.of(), Map.of());
        UUID holder = tenant.createUser("holder@follow.test");
        UUID friend = tenant.createUser("friend@follow.test");
        Credentials key;
        try (DevChain dev = new DevChain(rpcUrl())) {
            key = dev.fundedKey();
        }
        assertThat(putAddress(tenant, holder, key.getAddress()).status()).isEqualTo(200);
        String friendAddress = address(tenant, friend);
        String stranger = DevChain.newKey().getAddress();
        awaitStatus(tenant, claim(tenant, campaign, holder), "SETTLED");

        cast(key, contract, "transfer(address,uint256)", stranger, "3");
        cast(key, contract, "transfer(address,uint256)", friendAddress, "2");

        awaitTransfers(tenant, "RECORDED", 2);
        CreditToken token = new CreditToken(client(), contract);
        assertThat(tenant.balance(holder, setup.token))
                .isEqualTo(token.balanceOf(key.getAddress()))
                .isEqualTo(BigInteger.valueOf(5));
        assertThat(tenant.balance(friend, setup.token))
                .isEqualTo(token.balanceOf(friendAddress))
                .isEqualTo(BigInteger.TWO);
        assertThat(externalBalance(tenant, setup.token))
                .isEqualTo(token.balanceOf(stranger))
                .isEqualTo(BigInteger.valueOf(3));
        JsonNode sent = tenant.admin()
                .get("/v2/transactions?participantType=USER&participantId=" + holder)
                .json();
        assertThat(sent.toString()).contains("EXTERNAL").contains("\"amount\":\"3\"");
        assertNoDifference(tenant, 3);

        // The follower reads everything again from block 0: nothing is recorded twice.
        BigInteger reached = position(tenant, contractId);
        long entries = transferEntries(tenant);
        TenantContext.runAs(
                tenant.id(), () -> db.sql("update chain_follower_positions set next_block = 0 where contract_id = ?")
                        .param(contractId)
                        .update());
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> position(tenant, contractId).compareTo(reached) >= 0);
        assertThat(transferEntries(tenant)).isEqualTo(entries).isEqualTo(2);
        assertThat(transfers(tenant, "RECORDED")).isEqualTo(2);
        assertThat(tenant.balance(holder, setup.token)).isEqualTo(BigInteger.valueOf(5));
        assertNoDifference(tenant, 3);

        // A deactivated token takes no ledger entries: its transfer is flagged, and both sides differ.
        assertThat(tenant.admin()
                        .patch("/v2/tokens/" + setup.token, Map.of("active", false))
                        .status())
                .isEqualTo(200);
        cast(key, contract, "transfer(address,uint256)", stranger, "1");
        awaitTransfers(tenant, "FLAGGED", 1);
        JsonNode report = reconciliation(tenant);
        assertThat(report.path("flagged").get(0).path("note").asString()).isEqualTo("The token is inactive");
        assertThat(report.path("differences")).hasSize(2);
        assertThat(report.path("differences").findValuesAsString("difference")).containsExactlyInAnyOrder("-1", "1");
        assertThat(tenant.balance(holder, setup.token)).isEqualTo(BigInteger.valueOf(5));
    }

    @Test
    void aMintByTheSettlerKeyOutsidePersIsFlaggedAndReconciliationShowsIt() throws Exception {
        TenantFixture tenant = newTenant();
        UUID reward = CampaignSetup.id(tenant.admin()
                .post("/v2/tokens", Map.of("type", "REWARD", "name", "Pass", "symbol", "PASS", "decimals", 0)));
        CampaignSetup setup = new CampaignSetup(tenant, reward);
        String contract = bind(tenant, reward).path("address").asString();
        UUID campaign = setup.campaign(4, null, Map.of(), Map.of());
        UUID holder = tenant.createUser("pass@follow.test");
        Credentials key;
        try (DevChain dev = new DevChain(rpcUrl())) {
            key = dev.fundedKey();
        }
        assertThat(putAddress(tenant, holder, key.getAddress()).status()).isEqualTo(200);
        awaitStatus(tenant, claim(tenant, campaign, holder), "SETTLED");
        String stranger = DevChain.newKey().getAddress();
        cast(
                key,
                contract,
                "safeTransferFrom(address,address,uint256,uint256,bytes)",
                key.getAddress(),
                stranger,
                "1",
                "1",
                "0x");
        awaitTransfers(tenant, "RECORDED", 1);
        assertNoDifference(tenant, 2);

        // The tenant's settlement key used outside PERS: 7 more on chain that no claim issued.
        RewardToken token = new RewardToken(client(), contract);
        token.mintBatch(
                TenantContext.callAs(tenant.id(), custody::settler),
                List.of(new RewardToken.Mint(key.getAddress(), BigInteger.ONE, BigInteger.valueOf(7))));

        awaitTransfers(tenant, "FLAGGED", 1);
        assertThat(tenant.balance(holder, reward)).as("not recorded").isEqualTo(BigInteger.valueOf(3));
        JsonNode report = reconciliation(tenant);
        assertThat(report.path("differences")).hasSize(1);
        JsonNode difference = report.path("differences").get(0);
        assertThat(difference.path("owner").path("id").asString()).isEqualTo(holder.toString());
        assertThat(difference.path("address").asString()).isEqualTo(key.getAddress());
        assertThat(difference.path("onChain").asString()).isEqualTo("10");
        assertThat(difference.path("ledger").asString()).isEqualTo("3");
        assertThat(difference.path("difference").asString()).isEqualTo("7");
        assertThat(report.path("flagged")).hasSize(1);
        assertThat(report.path("flagged").get(0).path("note").asString()).isEqualTo("Minted outside PERS");
        assertThat(token.balanceOf(key.getAddress(), BigInteger.ONE)).isEqualTo(BigInteger.TEN);
    }

    @Test
    void anAddressRegisteredToOneUserIsRefusedToAnotherAndTheDatabaseHoldsTheLine() {
        TenantFixture tenant = newTenant();
        UUID first = tenant.createUser("first@address.test");
        UUID second = tenant.createUser("second@address.test");
        UUID custodialOwner = tenant.createUser("custodial@address.test");
        String own = DevChain.newKey().getAddress();
        String shouted = "0x" + own.substring(2).toUpperCase(Locale.ROOT);
        assertThat(putAddress(tenant, first, own).status()).isEqualTo(200);
        assertThat(putAddress(tenant, first, shouted).status())
                .as("the same owner again")
                .isEqualTo(200);

        Api.Response refused = putAddress(tenant, second, shouted);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("ADDRESS_IN_USE");
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        // A custodial address is its owner's as much as a registered one.
        String custodial = address(tenant, custodialOwner);
        assertThat(putAddress(tenant, second, custodial).code()).isEqualTo("ADDRESS_IN_USE");

        assertThat(owners(tenant, own)).containsExactly(first);
        assertThat(owners(tenant, custodial)).containsExactly(custodialOwner);
        assertThat(owners(tenant, null)).as("the second user has no address").doesNotContain(second);
        // Two requests racing past the check meet the database's unique index.
        assertThatThrownBy(() -> TenantContext.runAs(
                        tenant.id(),
                        () -> db.sql("""
                                        insert into wallet_addresses (tenant_id, owner_type, owner_id, address)
                                        values (?, 'USER', ?, ?)""").params(tenant.id(), second, own).update()))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void anEventTheFollowerCannotApplyIsParkedAndEveryOtherTransferStillFollows() throws Exception {
        CampaignSetup setup = new CampaignSetup(newTenant());
        TenantFixture tenant = setup.tenant;
        String contract = bind(tenant, setup.token).path("address").asString();
        UUID contractId = contractId(tenant);
        UUID campaign = setup.campaign(10, null, Map.of(), Map.of());
        UUID holder = tenant.createUser("parks@follow.test");
        UUID other = tenant.createUser("other@follow.test");
        UUID friend = tenant.createUser("friend@parks.test");
        UUID rightful = tenant.createUser("rightful@parks.test");
        Credentials holderKey;
        Credentials otherKey;
        try (DevChain dev = new DevChain(rpcUrl())) {
            holderKey = dev.fundedKey();
            otherKey = dev.fundedKey();
        }
        assertThat(putAddress(tenant, holder, holderKey.getAddress()).status()).isEqualTo(200);
        assertThat(putAddress(tenant, other, otherKey.getAddress()).status()).isEqualTo(200);
        String friendAddress = address(tenant, friend);
        String holderClaim = claim(tenant, campaign, holder);
        awaitStatus(tenant, claim(tenant, campaign, other), "SETTLED");
        awaitStatus(tenant, holderClaim, "SETTLED");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> hasPosition(tenant, contractId));

        // Data broken behind the API's back: an address whose owner does not exist. The follower
        // cannot apply a transfer to it, and must not stop for it.
        String broken = DevChain.newKey().getAddress();
        TenantContext.runAs(
                tenant.id(),
                () -> db.sql("""
                        insert into wallet_addresses (tenant_id, owner_type, owner_id, address)
                        values (?, 'USER', ?, ?)""").params(tenant.id(), UUID.randomUUID(), broken).update());
        // Held off (its position row locked), so the unappliable transfer and another holder's
        // land in one range.
        TenantContext.runAs(
                tenant.id(),
                () -> tx.executeWithoutResult(s -> {
                    db.sql("select 1 from chain_follower_positions where contract_id = ? for update")
                            .param(contractId)
                            .query(Integer.class)
                            .single();
                    castUnchecked(holderKey, contract, "transfer(address,uint256)", broken, "3");
                    castUnchecked(otherKey, contract, "transfer(address,uint256)", friendAddress, "4");
                }));
        awaitTransfers(tenant, "RECORDED", 1);
        // And a later range goes on too.
        cast(holderKey, contract, "transfer(address,uint256)", friendAddress, "2");
        awaitTransfers(tenant, "RECORDED", 2);
        assertThat(tenant.balance(friend, setup.token)).isEqualTo(BigInteger.valueOf(6));
        assertThat(tenant.balance(holder, setup.token))
                .as("the parked 3 not yet")
                .isEqualTo(BigInteger.valueOf(8));

        JsonNode parked = parkedEvents(tenant);
        assertThat(parked).hasSize(1);
        JsonNode event = parked.get(0);
        assertThat(event.path("contractId").asString()).isEqualTo(contractId.toString());
        assertThat(event.path("reason").asString()).contains("User not found");
        assertThat(event.path("resolvedAt").isNull()).isTrue();
        assertThat(tenant.admin()
                        .get("/v2/chains/" + ANVIL + "/status")
                        .json()
                        .path("parkedEvents")
                        .asInt())
                .isEqualTo(1);
        assertThat(api().get("/actuator/health/chain-follower")
                        .json()
                        .path("status")
                        .asString())
                .as("the status for anyone")
                .isEqualTo("PARKED");
        JsonNode health = operator().get("/actuator/health/chain-follower").json(); // details: operators only
        assertThat(health.path("status").asString()).isEqualTo("PARKED");
        assertThat(health.path("components")
                        .path("chainFollower")
                        .path("details")
                        .path("contracts")
                        .toString())
                .contains(contract);
        assertThat(api().get("/actuator/health").json().path("status").asString())
                .as("the follower goes on: the application is not less than UP for it")
                .isEqualTo("UP");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> metric("pers_chain_follower_parked_events", "contract=\"" + contract + "\"") == 1);

        // A retry before the cause is fixed leaves it parked, with why.
        String retry =
                "/v2/chains/" + ANVIL + "/parked-events/" + event.path("id").asString() + "/retry";
        Api.Response early = tenant.admin().post(retry, Map.of());
        assertThat(early.status()).as(early.toString()).isEqualTo(200);
        assertThat(early.json().path("resolvedAt").isNull()).isTrue();
        assertThat(early.json().path("reason").asString()).contains("User not found");
        assertThat(parkedEvents(tenant)).hasSize(1);
        assertThat(tenant.admin()
                        .post("/v2/chains/" + ANVIL + "/parked-events/" + UUID.randomUUID() + "/retry", Map.of())
                        .code())
                .isEqualTo("NOT_FOUND");

        // The operator gives the address to its rightful owner and retries the event.
        TenantContext.runAs(tenant.id(), () -> db.sql("update wallet_addresses set owner_id = ? where address = ?")
                .params(rightful, broken)
                .update());
        Api.Response retried = tenant.admin().post(retry, Map.of());
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.json().path("resolvedAt").isNull()).isFalse();
        assertThat(parkedEvents(tenant)).isEmpty();
        assertThat(tenant.balance(rightful, setup.token)).isEqualTo(BigInteger.valueOf(3));
        assertThat(tenant.balance(holder, setup.token)).isEqualTo(BigInteger.valueOf(5));
        assertNoDifference(tenant, 4);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> metric("pers_chain_follower_parked_events", "contract=\"" + contract + "\"") == 0);
    }

    @Test
    void reconciliationIsForAdminsOfAKnownChain() {
        TenantFixture tenant = newTenant();
        assertThat(tenant.admin().get("/v2/chains/424242/reconciliation").code())
                .isEqualTo("NOT_FOUND");
        assertThat(tenant.anonymous()
                        .get("/v2/chains/" + ANVIL + "/reconciliation")
                        .status())
                .isIn(401, 403);
        JsonNode empty = reconciliation(tenant);
        assertThat(empty.path("differences")).isEmpty();
        assertThat(empty.path("balancesCompared").asInt()).isZero();
    }

    @Test
    void theExternalWalletTakesNoEntryThroughTheApi() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("EXT");
        Api.Response refused = tenant.admin()
                .post(
                        "/v2/transactions",
                        Map.of(
                                "type",
                                "MINT",
                                "tokenId",
                                token.toString(),
                                "amount",
                                "5",
                                "recipient",
                                Map.of("type", "EXTERNAL", "id", token.toString())));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(TenantContext.callAs(tenant.id(), () -> db.sql("select count(*) from journal_entries")
                        .query(Long.class)
                        .single()))
                .isZero();
    }

    private void assertNoDifference(TenantFixture tenant, int atLeastCompared) {
        JsonNode report = reconciliation(tenant);
        assertThat(report.path("differences")).as(report.toString()).isEmpty();
        assertThat(report.path("balancesCompared").asInt()).isGreaterThanOrEqualTo(atLeastCompared);
        assertThat(report.path("flagged")).isEmpty();
    }

    private static JsonNode reconciliation(TenantFixture tenant) {
        Api.Response response = tenant.admin().get("/v2/chains/" + ANVIL + "/reconciliation");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode parkedEvents(TenantFixture tenant) {
        Api.Response response = tenant.admin().get("/v2/chains/" + ANVIL + "/parked-events");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    /** The owners of {@code address}; of every address when null. */
    private List<UUID> owners(TenantFixture tenant, String address) {
        return TenantContext.callAs(
                tenant.id(), () -> db.sql("select owner_id from wallet_addresses where address = coalesce(?, address)")
                        .param(address)
                        .query(UUID.class)
                        .list());
    }

    private void castUnchecked(Credentials key, String contract, String signature, String... args) {
        try {
            cast(key, contract, signature, args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The real cast binary, signing with the holder's own key. */
    private void cast(Credentials key, String contract, String signature, String... args) throws Exception {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "darwin" : "linux";
        String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "arm64" : "amd64";
        Path cast = Path.of("tools", "node_modules", "@foundry-rs", "cast-" + os + "-" + arch, "bin", "cast");
        List<String> command = new ArrayList<>(List.of(cast.toString(), "send", contract, signature));
        command.addAll(List.of(args));
        command.addAll(List.of(
                "--private-key",
                Numeric.toHexStringWithPrefixZeroPadded(key.getEcKeyPair().getPrivateKey(), 64),
                "--rpc-url",
                rpcUrl()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = read(process);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("status\\s+1");
    }

    private static String read(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private void awaitTransfers(TenantFixture tenant, String disposition, long count) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> transfers(tenant, disposition) >= count);
        assertThat(transfers(tenant, disposition)).isEqualTo(count);
    }

    private long transfers(TenantFixture tenant, String disposition) {
        return TenantContext.callAs(
                tenant.id(), () -> db.sql("select count(*) from chain_transfers where disposition = ?")
                        .param(disposition)
                        .query(Long.class)
                        .single());
    }

    private long transferEntries(TenantFixture tenant) {
        return TenantContext.callAs(
                tenant.id(), () -> db.sql("select count(*) from journal_entries where reason_type = 'TRANSFER'")
                        .query(Long.class)
                        .single());
    }

    private boolean hasPosition(TenantFixture tenant, UUID contractId) {
        return TenantContext.callAs(
                tenant.id(), () -> db.sql("select 1 from chain_follower_positions where contract_id = ?")
                        .param(contractId)
                        .query(Integer.class)
                        .optional()
                        .isPresent());
    }

    private BigInteger position(TenantFixture tenant, UUID contractId) {
        return TenantContext.callAs(
                tenant.id(), () -> db.sql("select next_block from chain_follower_positions where contract_id = ?")
                        .param(contractId)
                        .query(BigDecimal.class)
                        .single()
                        .toBigIntegerExact());
    }

    private BigInteger externalBalance(TenantFixture tenant, UUID token) {
        return TenantContext.callAs(tenant.id(), () -> db.sql("""
                        select b.amount from balances b join wallets w on w.id = b.wallet_id
                         where w.owner_type = 'EXTERNAL' and w.owner_id = ? and b.token_id = ?""")
                .params(token, token)
                .query(BigDecimal.class)
                .single()
                .toBigIntegerExact());
    }

    private UUID contractId(TenantFixture tenant) {
        return UUID.fromString(
                tenant.admin().get("/v2/contracts").json().get(0).path("id").asString());
    }

    private String rpcUrl() {
        return chains.find(ANVIL).rpcUrl();
    }

    private ChainClient client() {
        return nodes.client(chains.find(ANVIL));
    }
}
