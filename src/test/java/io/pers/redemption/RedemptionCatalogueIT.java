package io.pers.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The redemption catalogue through the API: CRUD, types, reward units, supply, and bad input. */
class RedemptionCatalogueIT extends ApiTest {

    @Test
    void anAdminBuildsTheCatalogueAndUsersSeeOnlyWhatIsActive() {
        Catalogue c = new Catalogue(newTenant());
        Api admin = c.tenant.admin();
        UUID reward = c.token("REWARD");
        UUID type = Catalogue.id(admin.post("/v2/redemptions/types", Map.of("name", "Food")));
        assertThat(admin.post("/v2/redemptions/types", Map.of("name", "Food")).code())
                .isEqualTo("ALREADY_EXISTS");

        UUID coffee = c.redemption(
                50,
                reward,
                Map.of(
                        "typeId",
                        type.toString(),
                        "totalSupply",
                        3,
                        "maxPerUser",
                        1,
                        "countryCodeRestrictions",
                        List.of("PT", "NOT_ES"),
                        "businessReceivesCredits",
                        true));
        UUID hidden = c.redemption(10, reward, Map.of("active", false));

        Api.Response got = admin.get("/v2/redemptions/" + coffee);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.text("costAmount")).isEqualTo("50");
        assertThat(got.json().path("totalSupply").asLong()).isEqualTo(3);
        assertThat(got.json().path("available").asLong()).isEqualTo(3);
        assertThat(got.json().path("countryCodeRestrictions").valueStream().map(n -> n.asString()))
                .containsExactly("PT", "NOT_ES");
        assertThat(got.json().path("tokens").get(0).path("tokenId").asString()).isEqualTo(reward.toString());
        assertThat(admin.get("/v2/redemptions/" + coffee + "/tokens").json().size())
                .isEqualTo(1);
        Api.Response supply = admin.get("/v2/redemptions/" + coffee + "/available-supply");
        assertThat(supply.json().path("available").asLong()).isEqualTo(3);
        assertThat(supply.json().path("reserved").asLong()).isZero();

        assertThat(admin.get("/v2/redemptions?size=50").json().path("total").asLong())
                .isEqualTo(2);
        assertThat(admin.get("/v2/redemptions?typeId=" + type)
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(1);
        Api.Response publicList = c.tenant.anonymous().get("/v2/redemptions");
        assertThat(publicList.json().path("items").valueStream().map(r -> r.path("id")
                        .asString()))
                .containsExactly(coffee.toString());
        assertThat(c.tenant.anonymous().get("/v2/redemptions/" + hidden).status())
                .isEqualTo(404);
        assertThat(c.tenant.anonymous().get("/v2/redemptions/types").json().size())
                .isEqualTo(1);

        Api.Response patched =
                admin.patch("/v2/redemptions/" + coffee, Map.of("name", "Espresso", "totalSupply", 5, "active", false));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.text("name")).isEqualTo("Espresso");
        assertThat(patched.json().path("available").asLong()).isEqualTo(5);
        assertThat(patched.json().path("maxPerUser").asInt())
                .as("left out: kept")
                .isEqualTo(1);
        assertThat(c.tenant
                        .anonymous()
                        .get("/v2/redemptions")
                        .json()
                        .path("total")
                        .asLong())
                .isZero();

        String unit = admin.get("/v2/redemptions/" + coffee + "/tokens")
                .json()
                .get(0)
                .path("id")
                .asString();
        assertThat(admin.delete("/v2/redemptions/" + coffee + "/tokens/" + unit).status())
                .isEqualTo(204);
        assertThat(admin.get("/v2/redemptions/" + coffee + "/tokens").json().isEmpty())
                .isTrue();
        assertThat(admin.delete("/v2/redemptions/" + hidden).status()).isEqualTo(204);
        assertThat(admin.get("/v2/redemptions/" + hidden).status()).isEqualTo(404);
    }

    @Test
    void badInputIsAProblemWithAStableCodeAndStoresNothing() {
        Catalogue c = new Catalogue(newTenant());
        Api admin = c.tenant.admin();
        UUID reward = c.token("REWARD");
        UUID status = c.token("STATUS");
        String credit = c.credit.toString();

        Map<String, Map<String, Object>> bad = Map.of(
                "INVALID_AMOUNT", Map.of("name", "x", "costTokenId", credit, "costAmount", "-5"),
                "UNKNOWN_FIELD", Map.of("name", "x", "costTokenId", credit, "costAmount", "5", "price", 3),
                "VALIDATION_FAILED", Map.of("name", "x", "costTokenId", reward.toString(), "costAmount", "5"),
                "NOT_FOUND",
                        Map.of("name", "x", "costTokenId", UUID.randomUUID().toString(), "costAmount", "5"));
        bad.forEach((code, body) -> {
            Api.Response refused = admin.post("/v2/redemptions", body);
            assertThat(refused.status()).as(refused.toString()).isBetween(400, 404);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.code()).as(body.toString()).isEqualTo(code);
        });
        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("costTokenId", credit, "costAmount", "5"),
                Map.of("name", "x", "costTokenId", credit, "costAmount", "5", "totalSupply", 0),
                Map.of(
                        "name",
                        "x",
                        "costTokenId",
                        credit,
                        "costAmount",
                        "5",
                        "countryCodeRestrictions",
                        List.of("Spain")),
                Map.of("name", "x", "costTokenId", credit, "costAmount", "5", "minStatusTierId", "gold"),
                Map.of("name", "x", "costTokenId", credit, "costAmount", "1.5"))) {
            Api.Response refused = admin.post("/v2/redemptions", body);
            assertThat(refused.status()).as(body.toString()).isEqualTo(400);
        }
        assertThat(admin.get("/v2/redemptions").json().path("total").asLong()).isZero();

        UUID ok = c.redemption(
                5,
                reward,
                Map.of(
                        "totalSupply",
                        2,
                        "minStatusTierId",
                        c.tier("GOLD", 1, 100, status).toString()));
        assertThat(admin.post(
                                "/v2/redemptions/" + ok + "/tokens",
                                Map.of("tokenId", c.credit.toString(), "amount", "1"))
                        .code())
                .as("a redemption delivers REWARD tokens")
                .isEqualTo("VALIDATION_FAILED");
        assertThat(admin.post("/v2/redemptions/" + ok + "/tokens", Map.of("tokenId", reward.toString(), "amount", "0"))
                        .code())
                .isEqualTo("INVALID_AMOUNT");
        assertThat(admin.post("/v2/redemptions/" + ok + "/tokens", Map.of("tokenId", reward.toString(), "amount", "2"))
                        .code())
                .isEqualTo("ALREADY_EXISTS");
        assertThat(admin.get("/v2/redemptions/" + ok + "/tokens").json().size()).isEqualTo(1);
        assertThat(admin.patch("/v2/redemptions/" + ok, Map.of("costAmount", "0"))
                        .code())
                .isEqualTo("INVALID_AMOUNT");
        assertThat(admin.get("/v2/redemptions/" + ok).text("costAmount")).isEqualTo("5");
        assertThat(admin.get("/v2/redemptions/" + UUID.randomUUID()).code()).isEqualTo("NOT_FOUND");
        assertThat(c.tenant
                        .anonymous()
                        .post("/v2/redemptions/types", Map.of("name", "x"))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void aRedeemedRedemptionCannotBeDeletedNorItsSupplyCutBelowWhatIsTaken() {
        Catalogue c = new Catalogue(newTenant());
        UUID redemption = c.redemption(10, c.token("REWARD"), Map.of("totalSupply", 2));
        UUID user = c.userWith("taker@redeem.test", 100);
        assertThat(c.redeem("take-1", redemption, user).status()).isEqualTo(201);
        assertThat(c.redeem("take-2", redemption, user).status()).isEqualTo(201);

        Api.Response cut = c.tenant.admin().patch("/v2/redemptions/" + redemption, Map.of("totalSupply", 1));
        assertThat(cut.code()).as(cut.toString()).isEqualTo("VALIDATION_FAILED");
        assertThat(c.tenant.admin().delete("/v2/redemptions/" + redemption).code())
                .isEqualTo("CONFLICT_IN_USE");
        assertThat(c.supply(redemption).path("totalSupply").asLong()).isEqualTo(2);
        assertThat(c.supply(redemption).path("available").asLong()).isZero();
    }
}
