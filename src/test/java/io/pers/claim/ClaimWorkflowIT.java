package io.pers.claim;

import static io.pers.claim.CampaignSetup.claim;
import static io.pers.claim.CampaignSetup.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.ChainStandIn;
import io.pers.tenant.TenantContext;
import io.temporal.client.WorkflowClient;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The claim workflow under failure: settlement that never succeeds, and a workflow lost mid-claim. */
class ClaimWorkflowIT extends ApiTest {

    @Autowired
    ChainStandIn chain;

    @Autowired
    WorkflowClient client;

    @Autowired
    JdbcClient db;

    @Test
    void aSettlementThatKeepsFailingIsCompensated() {
        CampaignSetup setup = new CampaignSetup(newTenant());
        chain.onChain(setup.token, ChainStandIn.Behaviour.FAIL);
        UUID campaign = setup.campaign(10, 50L, Map.of(), Map.of());
        Api user = setup.signIn("comp-1", "comp1@claims.test");

        Api.Response decided = claim(user, on(campaign));
        assertThat(decided.status()).as(decided.toString()).isEqualTo(201);
        assertThat(decided.text("status")).isEqualTo("PENDING_SETTLEMENT");
        JsonNode failed = awaitClaim(
                setup, decided.text("id"), c -> c.path("status").asString().equals("FAILED"));

        assertThat(failed.path("failureReason").asString()).contains("chain refused the mint");
        assertThat(types(failed)).containsExactly("MINT", "REVERSAL");
        assertThat(setup.tenant.balance(setup.userId(user), setup.token)).isZero();
        assertThat(setup.tenant
                        .admin()
                        .get("/v2/tokens/" + setup.token + "/supply")
                        .text("outstanding"))
                .isEqualTo("0");
        assertThat(claim(user, on(campaign)).text("status"))
                .as("the budget came back: 5 more claims fit")
                .isEqualTo("PENDING_SETTLEMENT");
        assertThat(events(setup, UUID.fromString(decided.text("id")))).containsExactly("claim.minted", "claim.failed");
        assertLedgerVerifies(setup);
    }

    /**
     * The user spends the minted tokens while the claim is still settling, then settlement fails:
     * the reversal would take the balance below zero, so it is refused; the claim fails and says
     * why, the tokens stay where they went, and the ledger still balances.
     */
    @Test
    void aFailedClaimWhoseTokensWereSpentFailsWithoutAReversal() throws Exception {
        CampaignSetup setup = new CampaignSetup(newTenant());
        chain.onChain(setup.token, ChainStandIn.Behaviour.HANG_THEN_FAIL);
        UUID campaign = setup.campaign(Map.of());
        Api user = setup.signIn("spender-1", "spender1@claims.test");
        UUID friend = setup.tenant.createUser("friend@claims.test");

        Api.Response decided = claim(user, on(campaign));
        assertThat(decided.text("status")).isEqualTo("PENDING_SETTLEMENT");
        assertThat(chain.awaitHanging(30)).isTrue();
        Api.Response spent = user.post(
                "/v2/transactions",
                Map.of(
                        "type",
                        "TRANSFER",
                        "tokenId",
                        setup.token.toString(),
                        "amount",
                        "10",
                        "recipient",
                        Map.of("type", "USER", "id", friend.toString())));
        assertThat(spent.status()).as(spent.toString()).isEqualTo(201);
        chain.releaseHanging();

        JsonNode failed = awaitClaim(
                setup, decided.text("id"), c -> c.path("status").asString().equals("FAILED"));
        assertThat(failed.path("failureReason").asString()).contains("REVERSAL_BLOCKED");
        assertThat(types(failed)).containsExactly("MINT");
        assertThat(setup.tenant.balance(setup.userId(user), setup.token)).isZero();
        assertThat(setup.tenant.balance(friend, setup.token)).isEqualTo(BigInteger.TEN);
        assertThat(events(setup, UUID.fromString(decided.text("id")))).containsExactly("claim.minted", "claim.failed");
        assertLedgerVerifies(setup);
    }

    /**
     * The embedded Temporal server keeps workflows in memory: a restart loses the ones in flight.
     * Here the workflow is lost after the mint, while settling; the claims table still says
     * PENDING_SETTLEMENT, so the sweeper starts it again, and its idempotent steps finish the
     * claim with the one mint it already made.
     */
    @Test
    void aClaimWhoseWorkflowIsLostAfterTheMintIsFinishedByTheSweeperWithOneEntry() throws Exception {
        CampaignSetup setup = new CampaignSetup(newTenant());
        chain.onChain(setup.token, ChainStandIn.Behaviour.HANG_ONCE);
        UUID campaign = setup.campaign(Map.of());
        Api user = setup.signIn("crash-1", "crash1@claims.test");

        Api.Response decided = claim(user, on(campaign));
        assertThat(decided.text("status")).isEqualTo("PENDING_SETTLEMENT");
        loseWorkflowWhileSettling(decided);

        JsonNode settled = awaitClaim(
                setup, decided.text("id"), c -> c.path("status").asString().equals("SETTLED"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> !events(setup, UUID.fromString(decided.text("id"))).isEmpty());

        assertThat(types(settled)).containsExactly("MINT");
        assertThat(setup.tenant.balance(setup.userId(user), setup.token)).isEqualTo(BigInteger.TEN);
        assertThat(setup.tenant
                        .admin()
                        .get("/v2/transactions?tokenId=" + setup.token)
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(1);
        assertThat(events(setup, UUID.fromString(decided.text("id"))))
                .containsExactly("claim.minted", "claim.settled", "claim.completed");
        assertThat(chain.settledEntries())
                .contains(UUID.fromString(
                        settled.path("transactions").get(0).path("id").asString()));
        JsonNode minted = Api.JSON.readTree(TenantContext.callAs(setup.tenant.id(), () -> db.sql(
                        "select payload::text from domain_events where subject_id = ? and type = 'claim.minted'")
                .param(UUID.fromString(decided.text("id")))
                .query(String.class)
                .single()));
        assertThat(minted.path("status").asString()).isEqualTo("PENDING_SETTLEMENT");
        assertThat(minted.path("mints").get(0).path("amount").asString()).isEqualTo("10");
        assertThat(minted.path("mints").get(0).path("transactionId").asString())
                .isEqualTo(settled.path("transactions").get(0).path("id").asString());
    }

    /**
     * The workflow is lost while its settle step runs, and that step still ends: the claim is
     * SETTLED, but the workflow that would record claim.completed is gone. The sweeper re-drives
     * final claims whose last step is not recorded, so partners still hear of it, once.
     */
    @Test
    void aClaimSettledAfterItsWorkflowWasLostIsStillReportedCompletedOnce() throws Exception {
        CampaignSetup setup = new CampaignSetup(newTenant());
        chain.onChain(setup.token, ChainStandIn.Behaviour.HANG_THEN_SETTLE);
        UUID campaign = setup.campaign(Map.of());
        Api user = setup.signIn("crash-2", "crash2@claims.test");

        Api.Response decided = claim(user, on(campaign));
        assertThat(decided.text("status")).isEqualTo("PENDING_SETTLEMENT");
        loseWorkflowWhileSettling(decided);
        UUID claimId = UUID.fromString(decided.text("id"));
        awaitClaim(setup, decided.text("id"), c -> c.path("status").asString().equals("SETTLED"));

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> events(setup, claimId)
                .contains("claim.completed"));
        assertThat(events(setup, claimId)).containsExactly("claim.minted", "claim.settled", "claim.completed");
        assertThat(setup.tenant.balance(setup.userId(user), setup.token)).isEqualTo(BigInteger.TEN);
        assertThat(setup.tenant
                        .admin()
                        .get("/v2/campaigns/claims/" + claimId)
                        .json()
                        .path("status")
                        .asString())
                .isEqualTo("SETTLED");
    }

    /** The claim's workflow is lost (terminated) while a worker is inside its settle step, which then ends. */
    private void loseWorkflowWhileSettling(Api.Response decided) throws InterruptedException {
        assertThat(chain.awaitHanging(30))
                .as("a worker is inside the settlement")
                .isTrue();
        client.newUntypedWorkflowStub(decided.text("workflowId")).terminate("simulated loss of the Temporal server");
        chain.releaseHanging();
    }

    /** Invariant 2 after a failure: hash chain intact, every entry balanced, balances = postings. */
    private static void assertLedgerVerifies(CampaignSetup setup) {
        Api.Response verification = setup.tenant.admin().get("/v2/ledger/verification");
        assertThat(verification.json().path("valid").asBoolean())
                .as(verification.toString())
                .isTrue();
    }

    private JsonNode awaitClaim(CampaignSetup setup, String id, Predicate<JsonNode> done) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> setup.tenant
                                .admin()
                                .get("/v2/campaigns/claims/" + id)
                                .json(),
                        done::test);
    }

    private static List<String> types(JsonNode claim) {
        return claim.path("transactions")
                .valueStream()
                .map(t -> t.path("type").asString())
                .toList();
    }

    private List<String> events(CampaignSetup setup, UUID claimId) {
        return TenantContext.callAs(
                setup.tenant.id(), () -> db.sql("select type from domain_events where subject_id = ? order by seq")
                        .param(claimId)
                        .query(String.class)
                        .list());
    }
}
