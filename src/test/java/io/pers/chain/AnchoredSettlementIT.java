package io.pers.chain;

import static io.pers.chain.SettlementIT.address;
import static io.pers.chain.SettlementIT.awaitStatus;
import static io.pers.chain.SettlementIT.claimAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pers.claim.CampaignSetup;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.OwnerSql;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;

/**
 * A credit token bound in ANCHORED mode, through the API on the embedded anvil: claims settle when
 * the window holding their mint is anchored (one transaction per window, whatever its claims), a
 * holder withdraws with the proof PERS serves, the follower books the withdrawal, a reversal after
 * an anchor lowers what the next root proves, and reconciliation finds chain and ledger equal.
 */
class AnchoredSettlementIT extends ApiTest {

    private static final long ANVIL = 31337;

    @Autowired
    ChainNodes nodes;

    @Autowired
    Chains chains;

    @Autowired
    JdbcClient db;

    @Test
    void claimsSettleByAnchoredRootsAndHoldersWithdrawWithTheirProofs() throws Exception {
        CampaignSetup setup = new CampaignSetup(newTenant());
        TenantFixture tenant = setup.tenant;
        JsonNode contract = bind(tenant, setup.token, "ANCHORED");
        assertThat(contract.path("mode").asString()).isEqualTo("ANCHORED");
        CreditToken token = new CreditToken(client(), contract.path("address").asString());
        UUID campaign = setup.campaign(7, null, Map.of(), Map.of());
        List<UUID> users = IntStream.range(0, 60)
                .mapToObj(i -> tenant.createUser("anchored-" + i + "@anchor.test"))
                .toList();

        List<String> claims = claimAll(tenant, campaign, users);
        claims.forEach(id -> awaitStatus(tenant, id, "SETTLED"));

        JsonNode windows = tenant.admin()
                .get("/v2/contracts/" + contract.path("id").asString() + "/anchors")
                .json();
        long anchorTransactions =
                TenantContext.callAs(tenant.id(), () -> db.sql("select count(*) from settlement_transactions")
                        .query(Long.class)
                        .single());
        System.out.printf(
                "anchored: %d claims settled by %d windows in %d transactions%n",
                claims.size(), windows.size(), anchorTransactions);
        assertThat(windows.size())
                .as("60 claims in a few windows, not a mint each")
                .isBetween(1, 5);
        assertThat(anchorTransactions).isEqualTo(windows.size());
        JsonNode newest = windows.get(0);
        assertThat(newest.path("holders").asInt()).isEqualTo(60);
        assertThat(newest.path("txHash").isNull()).isFalse();
        CreditToken.Anchor onChain = token.latestAnchor();
        assertThat(onChain.window()).isEqualTo(newest.path("window").asLong());
        assertThat(Numeric.toHexString(onChain.root()))
                .isEqualTo(newest.path("root").asString());
        assertThat(token.totalSupply())
                .as("nothing minted until someone withdraws")
                .isZero();
        byte[] seal = TenantContext.callAs(tenant.id(), () -> db.sql("select hash from ledger_seals where seq = ?")
                .param(onChain.ledgerSeq())
                .query(byte[].class)
                .single());
        assertThat(Numeric.toHexString(seal))
                .as("the ledger's seal chain head is anchored with the root")
                .isEqualTo(Numeric.toHexString(onChain.ledgerHead()));

        // A holder's proof, checked on chain without PERS, then the withdrawal sent by someone paying gas.
        UUID holder = users.get(0);
        JsonNode entitlement = entitlement(tenant, holder, setup.token);
        assertThat(entitlement.path("cumulative").asString()).isEqualTo("7");
        assertThat(entitlement.path("withdrawable").asString()).isEqualTo("7");
        String account = address(tenant, holder);
        assertThat(entitlement.path("account").asString()).isEqualTo(account);
        assertThat(token.verifyEntitlement(account, BigInteger.valueOf(7), proof(entitlement)))
                .isTrue();
        assertThat(token.verifyEntitlement(account, BigInteger.valueOf(8), proof(entitlement)))
                .as("more than earned")
                .isFalse();
        Credentials payer;
        try (DevChain dev = new DevChain(chains.find(ANVIL).rpcUrl())) {
            payer = dev.fundedKey();
        }
        String call = entitlement.path("withdrawCall").asString();
        assertThat(client().send(payer, token.address(), call).isStatusOK()).isTrue();
        assertThat(token.balanceOf(account)).isEqualTo(BigInteger.valueOf(7));
        assertThat(token.withdrawnOf(account)).isEqualTo(BigInteger.valueOf(7));
        assertThat(revertOf(payer, token, call)).as("the same proof again").isEqualTo("NothingToWithdraw");
        Awaitility.await("the follower books the withdrawal")
                .atMost(Duration.ofSeconds(60))
                .until(() -> tenant.balance(holder, setup.token).signum() == 0);
        JsonNode after = entitlement(tenant, holder, setup.token);
        assertThat(after.path("withdrawn").asString()).isEqualTo("7");
        assertThat(after.path("withdrawable").asString()).isEqualTo("0");

        assertThat(SettlementIT.putAddress(tenant, holder, DevChain.newKey().getAddress())
                        .code())
                .as("the address its entitlement is proven for stays the holder's")
                .isEqualTo("ADDRESS_IN_USE");

        // A reversal after the anchor: the next root proves less, and the old root is refused.
        UUID reversed = users.get(1);
        String mint = tenant.admin()
                .get("/v2/campaigns/claims/" + claims.get(1))
                .json()
                .path("transactions")
                .get(0)
                .path("id")
                .asString();
        JsonNode before = entitlement(tenant, reversed, setup.token);
        Api.Response reversal =
                tenant.admin().post("/v2/transactions/" + mint + "/reversal", Map.of("memo", "refunded"));
        assertThat(reversal.status()).as(reversal.toString()).isEqualTo(201);
        Awaitility.await("the next window anchors the reversal")
                .atMost(Duration.ofSeconds(90))
                .until(() -> entitlement(tenant, reversed, setup.token)
                        .path("cumulative")
                        .asString()
                        .equals("0"));
        assertThat(revertOf(payer, token, before.path("withdrawCall").asString()))
                .as("a proof under a superseded root")
                .isEqualTo("UnknownRoot");
        assertThat(revertOf(
                        payer,
                        token,
                        entitlement(tenant, reversed, setup.token)
                                .path("withdrawCall")
                                .asString()))
                .isEqualTo("NothingToWithdraw");

        JsonNode report =
                tenant.admin().get("/v2/chains/" + ANVIL + "/reconciliation").json();
        assertThat(report.path("differences").isEmpty()).as(report.toString()).isTrue();
        assertThat(tenant.admin()
                        .get("/v2/ledger/verification")
                        .json()
                        .path("valid")
                        .asBoolean())
                .isTrue();
        JsonNode check = report.path("anchors").get(0);
        assertThat(check.path("consistent").asBoolean()).as(check.toString()).isTrue();

        // The ledger's tail cut off after the anchor, seals and all, as only the database owner could:
        // the seal the chain anchored is gone, and the chain alone says so.
        long anchoredSeq = check.path("ledgerSeq").asLong();
        OwnerSql.run(
                db,
                "alter table ledger_seals disable trigger ledger_seals_append_only",
                "select set_config('pers.tenant_id', '" + tenant.id() + "', false)",
                "delete from ledger_seals where seq >= " + anchoredSeq,
                "alter table ledger_seals enable trigger ledger_seals_append_only");
        JsonNode cut = tenant.admin()
                .get("/v2/chains/" + ANVIL + "/reconciliation")
                .json()
                .path("anchors")
                .get(0);
        assertThat(cut.path("consistent").asBoolean()).as(cut.toString()).isFalse();
    }

    @Test
    void anchoredModeIsForCreditTokensAndProofsOnlyForAnchoredOnes() {
        TenantFixture tenant = newTenant();
        UUID reward = CampaignSetup.id(tenant.admin()
                .post("/v2/tokens", Map.of("type", "REWARD", "name", "Cup", "symbol", "CUP", "decimals", 0)));
        Api.Response refused = tenant.admin()
                .post("/v2/contracts", Map.of("chainId", ANVIL, "tokenId", reward.toString(), "mode", "ANCHORED"));
        assertThat(refused.code()).isEqualTo("TOKEN_STANDARD_MISMATCH");
        assertThat(tenant.admin()
                        .post(
                                "/v2/contracts",
                                Map.of("chainId", ANVIL, "tokenId", reward.toString(), "mode", "SOMETIMES"))
                        .status())
                .isEqualTo(400);
        assertThat(tenant.admin().get("/v2/contracts").json()).isEmpty();

        UUID minted = tenant.createToken("MNT");
        bind(tenant, minted, "MINTED");
        UUID user = tenant.createUser("proof@anchor.test");
        assertThat(tenant.admin()
                        .get("/v2/users/" + user + "/entitlements/" + minted)
                        .code())
                .isEqualTo("NOT_ANCHORED");
        UUID anchored = tenant.createToken("ANC");
        bind(tenant, anchored, "ANCHORED");
        assertThat(tenant.admin()
                        .get("/v2/users/" + user + "/entitlements/" + anchored)
                        .code())
                .as("nothing anchored yet")
                .isEqualTo("NOT_FOUND");
    }

    private JsonNode entitlement(TenantFixture tenant, UUID user, UUID token) {
        Api.Response response = tenant.admin().get("/v2/users/" + user + "/entitlements/" + token);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static List<byte[]> proof(JsonNode entitlement) {
        return entitlement
                .path("proof")
                .valueStream()
                .map(p -> Numeric.hexStringToByteArray(p.asString()))
                .toList();
    }

    private String revertOf(Credentials payer, CreditToken token, String call) {
        ChainReverted reverted =
                catchThrowableOfType(ChainReverted.class, () -> client().send(payer, token.address(), call));
        assertThat(reverted).as("the contract refuses it").isNotNull();
        return reverted.namedBy(CreditToken.IMPLEMENTATION).error().orElse(reverted.getMessage());
    }

    static JsonNode bind(TenantFixture tenant, UUID token, String mode) {
        Api.Response created = tenant.admin()
                .post("/v2/contracts", Map.of("chainId", ANVIL, "tokenId", token.toString(), "mode", mode));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private ChainClient client() {
        return nodes.client(chains.find(ANVIL));
    }
}
