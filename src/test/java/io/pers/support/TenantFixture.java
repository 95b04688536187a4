package io.pers.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** A tenant made for one test: its project key, an anonymous client and its admin's client. */
public record TenantFixture(UUID id, String projectKey, Api anonymous, Api admin) {

    /** The same tenant and sign-ins, through another instance of the same PERS. */
    public TenantFixture at(String baseUrl) {
        return new TenantFixture(id, projectKey, anonymous.at(baseUrl), admin.at(baseUrl));
    }

    public UUID createToken(String symbol) {
        return id(admin.post(
                "/v2/tokens", Map.of("type", "CREDIT", "name", symbol + " points", "symbol", symbol, "decimals", 0)));
    }

    public UUID createUser(String email) {
        return id(admin.post("/v2/users", Map.of("email", email)));
    }

    public UUID mint(UUID token, UUID user, long amount) {
        return id(admin.post(
                "/v2/transactions",
                Map.of(
                        "type",
                        "MINT",
                        "tokenId",
                        token.toString(),
                        "amount",
                        String.valueOf(amount),
                        "recipient",
                        Map.of("type", "USER", "id", user.toString()))));
    }

    public Api.Response transfer(UUID token, UUID from, UUID to, long amount) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", "TRANSFER");
        body.put("tokenId", token.toString());
        body.put("amount", String.valueOf(amount));
        body.put("sender", Map.of("type", "USER", "id", from.toString()));
        body.put("recipient", Map.of("type", "USER", "id", to.toString()));
        return admin.post("/v2/transactions", body);
    }

    public BigInteger balance(UUID user, UUID token) {
        Api.Response response = admin.get("/v2/balances/users/" + user + "?tokenId=" + token);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().isEmpty()
                ? BigInteger.ZERO
                : new BigInteger(response.json().get(0).path("amount").asString());
    }

    /** A user signed in through the tenant's identity provider (which this makes the test IdP). */
    public Api signIn(String subject, String email) {
        Api.Response configured = admin.patch("/v2/tenants/me", IdentityProvider.tenantSettings());
        assertThat(configured.status()).as(configured.toString()).isEqualTo(200);
        Api.Response token = anonymous.post(
                "/v2/auth/token",
                Map.of("grantType", "EXTERNAL_JWT", "idToken", IdentityProvider.idToken(subject, email)));
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        return anonymous.bearer(token.text("accessToken"));
    }

    /** An API key's secret, for SYSTEM calls. */
    public String createApiKey(String name) {
        Api.Response response = admin.post("/v2/api-keys", Map.of("name", name));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.text("secret");
    }

    private static UUID id(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return UUID.fromString(response.text("id"));
    }
}
