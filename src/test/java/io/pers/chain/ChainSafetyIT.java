package io.pers.chain;

import static io.pers.chain.SettlementIT.address;
import static io.pers.chain.SettlementIT.awaitStatus;
import static io.pers.chain.SettlementIT.bind;
import static io.pers.chain.SettlementIT.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pers.claim.CampaignSetup;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * What the settler claims about the chain, proven on the embedded anvil with its mining in the
 * test's hands (automine off, pool drops, reorgs): each scenario ends with the ledger equal to the
 * chain, by the reconciliation tools/reconcile.sh runs.
 */
class ChainSafetyIT extends ApiTest {

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

    private DevChain anvil;

    @BeforeEach
    void connect() {
        anvil = new DevChain(chains.find(ANVIL).rpcUrl());
    }

    @AfterEach
    void mineAgain() {
        anvil.rpc("evm_setIntervalMining", 0);
        anvil.rpc("evm_setAutomine", true);
        anvil.close();
    }

    /**
     * The batch's transaction is stuck (gone from this node's pool, still held elsewhere), and the
     * settler's role is revoked meanwhile, so any new estimate of the batch reverts. The fee bump
     * must replace the stuck transaction at its nonce anyway, not give the batch up: given up, the
     * claim was compensated while the stuck transaction could still mint. Then the stuck original
     * is mined, and a copy of the batch re-signed at a new nonce is refused by the contract.
     */
    @Test
    void aFeeBumpWhoseEstimateRevertsStillReplacesAndABatchReSignedAtANewNonceNeverMintsTwice() {
        Setup setup = setup("bump");
        Credentials admin = TenantContext.callAs(setup.tenant.id(), custody::admin);
        Credentials settler = TenantContext.callAs(setup.tenant.id(), custody::settler);
        anvil.fund(admin.getAddress());

        anvil.rpc("evm_setAutomine", false);
        String claimId = claim(setup.tenant, setup.campaign, setup.user);
        Stored stuck = awaitTransactions(setup.tenant, 1).get(0);
        anvil.rpc("anvil_dropTransaction", stuck.hash);
        sendAndMine(admin, setup.token.address(), roleCall("revokeRole", settler));

        List<Stored> signed = Awaitility.await("the settler bumps the fee of the stuck batch")
                .atMost(Duration.ofSeconds(90))
                .until(
                        () -> status(setup.tenant, claimId).equals("FAILED") ? List.of() : transactions(setup.tenant),
                        list -> list.isEmpty() || list.size() >= 2);
        assertThat(status(setup.tenant, claimId))
                .as("the batch was given up while its transaction could still be mined")
                .isNotEqualTo("FAILED");
        assertThat(signed).extracting(Stored::nonce).containsOnly(stuck.nonce);

        // The replacement never lands; the original, from another node's pool, does.
        anvil.rpc("anvil_dropAllTransactions");
        sendAndMine(admin, setup.token.address(), roleCall("grantRole", settler));
        anvil.rpc("anvil_dropAllTransactions");
        anvil.client()
                .broadcast(new ChainClient.SignedTransaction(stuck.hash, stuck.raw, null, stuck.nonce, null, null));
        anvil.rpc("evm_mine");
        anvil.rpc("evm_setAutomine", true);
        awaitStatus(setup.tenant, claimId, "SETTLED");
        assertThat(setup.token.balanceOf(setup.holder)).isEqualTo(BigInteger.valueOf(5));

        // The very batch signed again at the settler's next nonce: refused at the estimate, and
        // refused on chain when sent without one.
        String batchCall = TransactionDecoder.decode(stuck.raw).getData();
        ChainReverted estimate = catchThrowableOfType(ChainReverted.class, () -> anvil.client()
                .sign(settler, setup.token.address(), batchCall, anvil.client().pendingNonce(settler.getAddress())));
        assertThat(estimate.namedBy(CreditToken.IMPLEMENTATION).error()).contains("BatchAlreadyExecuted");
        TransactionReceipt copy = sendUnestimated(settler, setup.token.address(), batchCall);
        assertThat(copy.isStatusOK()).as("the copy reverts on chain").isFalse();
        assertThat(setup.token.balanceOf(setup.holder))
                .isEqualTo(setup.tenant.balance(setup.user, setup.tokenId))
                .isEqualTo(BigInteger.valueOf(5));
        assertLedgerEqualsChain(setup.tenant);
    }

    /**
     * A stuck transaction (never mined while automine is off) is replaced at its nonce with higher
     * fees, and the replacement is what settles: the original never lands.
     */
    @Test
    void aStuckTransactionIsReplacedWithAHigherFeeAndTheReplacementSettlesOnce() {
        Setup setup = setup("stuck");
        anvil.rpc("evm_setAutomine", false);
        String claimId = claim(setup.tenant, setup.campaign, setup.user);
        Stored stuck = awaitTransactions(setup.tenant, 1).get(0);
        List<Stored> signed = Awaitility.await("the settler replaces the stuck transaction")
                .atMost(Duration.ofSeconds(90))
                .until(() -> transactions(setup.tenant), list -> list.size() >= 2);
        Stored replacement = signed.get(1);
        assertThat(replacement.nonce).isEqualTo(stuck.nonce);
        assertThat(replacement.tip).isGreaterThan(stuck.tip);
        assertThat(replacement.maxFee).isGreaterThan(stuck.maxFee);

        anvil.rpc("evm_setAutomine", true);
        anvil.rpc("evm_mine");
        awaitStatus(setup.tenant, claimId, "SETTLED");
        assertThat(settledHash(setup.tenant)).isNotEqualTo(stuck.hash);
        assertThat(anvil.client().receipt(stuck.hash))
                .as("the stuck original never lands")
                .isEmpty();
        assertThat(setup.token.balanceOf(setup.holder))
                .isEqualTo(setup.tenant.balance(setup.user, setup.tokenId))
                .isEqualTo(BigInteger.valueOf(5));
        assertLedgerEqualsChain(setup.tenant);
    }

    /**
     * The batch is mined, then a reorg drops its block before the chain's confirmations: the
     * settler must not call it settled on the first receipt, and sends the same transaction again.
     */
    @Test
    void aReorgThatDropsAMinedBatchBeforeItsConfirmationsSettlesItOnceAfterAll() {
        Setup setup = setup("reorg");
        confirmations(3);
        try {
            anvil.rpc("evm_setAutomine", false);
            String claimId = claim(setup.tenant, setup.campaign, setup.user);
            Stored sent = awaitTransactions(setup.tenant, 1).get(0);
            anvil.rpc("evm_mine");
            assertThat(anvil.client().receipt(sent.hash)).isPresent();
            Awaitility.await("the settler saw it mined and waits for its confirmations")
                    .during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> status(setup.tenant, claimId), status -> !status.equals("SETTLED"));

            anvil.rpc("anvil_rollback", 1);
            anvil.rpc("anvil_dropAllTransactions");
            assertThat(anvil.client().receipt(sent.hash))
                    .as("the reorg dropped it")
                    .isEmpty();
            assertThat(setup.token.balanceOf(setup.holder)).isZero();

            anvil.rpc("evm_setAutomine", true);
            anvil.rpc("evm_setIntervalMining", 1);
            awaitStatus(setup.tenant, claimId, "SETTLED");
            assertThat(setup.token.balanceOf(setup.holder))
                    .isEqualTo(setup.tenant.balance(setup.user, setup.tokenId))
                    .isEqualTo(BigInteger.valueOf(5));
            assertLedgerEqualsChain(setup.tenant);
        } finally {
            confirmations(1);
        }
    }

    /**
     * The settler's nonce taken by a transaction sent from its key outside PERS while the batch's
     * own transaction waits: the fee bump finds the nonce used, and the batch goes out at the next.
     */
    @Test
    void aNonceTakenByAnotherProcessWhileTheBatchWaitsIsRecoveredFrom() {
        Setup setup = setup("taken");
        Credentials settler = TenantContext.callAs(setup.tenant.id(), custody::settler);
        anvil.rpc("evm_setAutomine", false);
        String claimId = claim(setup.tenant, setup.campaign, setup.user);
        Stored ours = awaitTransactions(setup.tenant, 1).get(0);
        anvil.rpc("anvil_dropTransaction", ours.hash);
        sendAndMine(settler, settler.getAddress(), "0x");
        assertThat(anvil.client().pendingNonce(settler.getAddress())).isEqualTo(ours.nonce.add(BigInteger.ONE));

        anvil.rpc("evm_setAutomine", true);
        awaitStatus(setup.tenant, claimId, "SETTLED");
        assertThat(transactions(setup.tenant))
                .as("signed at the taken nonce (and its bump), then once at the next")
                .extracting(Stored::nonce)
                .endsWith(ours.nonce.add(BigInteger.ONE));
        assertThat(setup.token.balanceOf(setup.holder))
                .isEqualTo(setup.tenant.balance(setup.user, setup.tokenId))
                .isEqualTo(BigInteger.valueOf(5));
        assertLedgerEqualsChain(setup.tenant);
    }

    /**
     * A contract deployed with the settler key while a batch waits for its nonce (signed and kept,
     * gone from this node's pool): the deployment takes the nonces after the batch's, not the
     * batch's own, which the node's count alone would have handed it.
     */
    @Test
    void aContractDeployedWhileABatchWaitsTakesTheNoncesAfterTheBatchs() {
        Setup setup = setup("deploy");
        Credentials settler = TenantContext.callAs(setup.tenant.id(), custody::settler);
        anvil.rpc("evm_setAutomine", false);
        String claimId = claim(setup.tenant, setup.campaign, setup.user);
        Stored batch = awaitTransactions(setup.tenant, 1).get(0);
        anvil.rpc("anvil_dropTransaction", batch.hash);
        anvil.rpc("evm_setAutomine", true);
        assertThat(anvil.client().pendingNonce(settler.getAddress())).isEqualTo(batch.nonce);

        // Mined once the batch's nonce is: when the settler bumps the batch's fee.
        UUID other = setup.tenant.createToken("DPL");
        var deployed = setup.tenant
                .admin()
                .send(setup.tenant
                        .admin()
                        .builder("/v2/contracts")
                        .timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"chainId\":" + ANVIL + ",\"tokenId\":\"" + other + "\"}")));
        assertThat(deployed.status()).as(deployed.toString()).isEqualTo(201);
        awaitStatus(setup.tenant, claimId, "SETTLED");
        assertThat(transactions(setup.tenant)).extracting(Stored::nonce).containsOnly(batch.nonce);
        assertThat(anvil.client().pendingNonce(settler.getAddress()))
                .as("the batch, then the implementation and the proxy")
                .isEqualTo(batch.nonce.add(BigInteger.valueOf(3)));
        assertThat(setup.token.balanceOf(setup.holder))
                .isEqualTo(setup.tenant.balance(setup.user, setup.tokenId))
                .isEqualTo(BigInteger.valueOf(5));
        assertLedgerEqualsChain(setup.tenant);
    }

    // --- scenario plumbing ---

    private record Setup(
            TenantFixture tenant, UUID tokenId, CreditToken token, UUID campaign, UUID user, String holder) {}

    private record Stored(String hash, String raw, BigInteger nonce, BigInteger tip, BigInteger maxFee) {}

    /** A tenant with a bound credit token, a campaign of 5 points and one user with a custodial address. */
    private Setup setup(String name) {
        CampaignSetup campaignSetup = new CampaignSetup(newTenant());
        TenantFixture tenant = campaignSetup.tenant;
        CreditToken token = new CreditToken(
                anvil.client(),
                bind(tenant, campaignSetup.token).path("address").asString());
        UUID campaign = campaignSetup.campaign(5, null, Map.of(), Map.of());
        UUID user = tenant.createUser(name + "@safety.test");
        return new Setup(tenant, campaignSetup.token, token, campaign, user, address(tenant, user));
    }

    private String status(TenantFixture tenant, String claimId) {
        return tenant.admin().get("/v2/campaigns/claims/" + claimId).text("status");
    }

    private List<Stored> transactions(TenantFixture tenant) {
        return TenantContext.callAs(tenant.id(), () -> db.sql(
                        "select hash, raw, nonce, tip, max_fee from settlement_transactions order by created_at, hash")
                .query((rs, i) -> new Stored(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getBigDecimal(3).toBigIntegerExact(),
                        rs.getBigDecimal(4).toBigIntegerExact(),
                        rs.getBigDecimal(5).toBigIntegerExact()))
                .list());
    }

    /** The transaction the tenant's one settled batch was settled by. */
    private String settledHash(TenantFixture tenant) {
        return TenantContext.callAs(
                tenant.id(), () -> db.sql("select tx_hash from settlement_batches where status = 'SETTLED'")
                        .query(String.class)
                        .single());
    }

    /** The embedded chain's confirmations, through the platform API (1 is what every other test expects). */
    private void confirmations(int confirmations) {
        var changed =
                api().bearer(platformToken()).patch("/v2/chains/" + ANVIL, Map.of("confirmations", confirmations));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    }

    private List<Stored> awaitTransactions(TenantFixture tenant, int count) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> transactions(tenant), list -> list.size() >= count);
    }

    private static String roleCall(String name, Credentials account) {
        return FunctionEncoder.encode(new Function(
                name, List.of(new Bytes32(TokenContract.MINTER_ROLE), new Address(account.getAddress())), List.of()));
    }

    /** A transaction into the pool, and a block mined now (automine is off). */
    private void sendAndMine(Credentials from, String to, String data) {
        anvil.client()
                .broadcast(anvil.client().sign(from, to, data, anvil.client().pendingNonce(from.getAddress())));
        anvil.rpc("evm_mine");
    }

    /** Signed at the sender's next nonce with a fixed gas limit: no estimate refuses it first. */
    private TransactionReceipt sendUnestimated(Credentials from, String to, String data) {
        ChainClient chain = anvil.client();
        BigInteger fee = chain.latestBlock().getBaseFeePerGas().shiftLeft(1).add(BigInteger.ONE);
        RawTransaction transaction = RawTransaction.createTransaction(
                chain.chainId(),
                chain.pendingNonce(from.getAddress()),
                BigInteger.valueOf(500_000),
                to,
                BigInteger.ZERO,
                data,
                BigInteger.ONE,
                fee);
        String raw = Numeric.toHexString(TransactionEncoder.signMessage(transaction, chain.chainId(), from));
        ChainClient.SignedTransaction signed = new ChainClient.SignedTransaction(
                org.web3j.crypto.Hash.sha3(raw), raw, from.getAddress(), transaction.getNonce(), null, null);
        chain.broadcast(signed);
        return Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> chain.receipt(signed.hash()), r -> r.isPresent())
                .orElseThrow();
    }

    /** Ledger = chain for the tenant: the API's reconciliation and tools/reconcile.sh's command. */
    private void assertLedgerEqualsChain(TenantFixture tenant) {
        var report =
                tenant.admin().get("/v2/chains/" + ANVIL + "/reconciliation").json();
        assertThat(report.path("differences").isEmpty()).as(report.toString()).isTrue();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertThat(reconcile.reconcile(ANVIL, tenant.id(), new PrintStream(printed, true)))
                .as(printed.toString())
                .isZero();
    }
}
