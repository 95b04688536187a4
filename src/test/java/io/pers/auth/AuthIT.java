package io.pers.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.IdentityProvider;
import io.pers.support.TenantFixture;
import java.text.ParseException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

/**
 * Invariant 6 for credentials: every token or key PERS must not accept is a 401 problem with a
 * stable code, a wrong role a 403; and the lifecycles of API keys, refresh tokens and signing
 * keys, through the API. Forged tokens are signed with the real signing key wherever only one
 * other thing is wrong, so each case fails for its own reason.
 */
class AuthIT extends ApiTest {

    @Autowired
    SigningKeys signingKeys;

    @Value("${pers.auth.issuer}")
    String issuer;

    @Test
    void aCorrectlyCraftedTokenIsAcceptedSoEachForgeryBelowFailsForItsOwnReason() {
        TenantFixture tenant = newTenant();
        Api.Response accepted = api().bearer(sign(signingKeys.signingKey(), adminClaims(tenant)))
                .get("/v2/users");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
    }

    @Test
    void expiredTokensAreRefused() {
        TenantFixture tenant = newTenant();
        Instant past = Instant.now().minus(20, ChronoUnit.MINUTES);
        String expired = sign(
                signingKeys.signingKey(),
                adminClaims(tenant)
                        .issueTime(Date.from(past))
                        .expirationTime(Date.from(past.plus(10, ChronoUnit.MINUTES))));
        refused(api().bearer(expired).get("/v2/users"), 401, "TOKEN_EXPIRED");
    }

    @Test
    void tokensSignedByAnotherKeyUnderTheRightKidAreRefused() throws JOSEException {
        TenantFixture tenant = newTenant();
        RSAKey real = signingKeys.signingKey();
        RSAKey impostor = new RSAKeyGenerator(2048).keyID(real.getKeyID()).generate();
        refused(api().bearer(sign(impostor, adminClaims(tenant))).get("/v2/users"), 401, "INVALID_TOKEN");
    }

    @Test
    void unsignedAndAlgorithmConfusedTokensAreRefused() throws JOSEException {
        TenantFixture tenant = newTenant();
        RSAKey real = signingKeys.signingKey();
        String claims = adminClaims(tenant).build().toString();
        String none = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + real.getKeyID() + "\"}")
                + "." + Base64URL.encode(claims) + ".";
        refused(api().bearer(none).get("/v2/users"), 401, "INVALID_TOKEN");
        // alg "none" with the signature of a real token still attached
        String[] genuine = sign(real, adminClaims(tenant)).split("\\.");
        refused(api().bearer(none + genuine[2]).get("/v2/users"), 401, "INVALID_TOKEN");
        // HS256 keyed with the published public key: the classic RS256/HS256 confusion
        String hmac = sign(
                new MACSigner(real.toPublicJWK().toRSAPublicKey().getEncoded()),
                JWSAlgorithm.HS256,
                real.getKeyID(),
                adminClaims(tenant));
        refused(api().bearer(hmac).get("/v2/users"), 401, "INVALID_TOKEN");
    }

    @Test
    void wrongIssuerAudienceOrKidIsRefused() throws JOSEException {
        TenantFixture tenant = newTenant();
        RSAKey real = signingKeys.signingKey();
        refused(
                api().bearer(sign(real, adminClaims(tenant).issuer("https://evil.example")))
                        .get("/v2/users"),
                401,
                "INVALID_TOKEN");
        refused(
                api().bearer(sign(real, adminClaims(tenant).audience("another-api")))
                        .get("/v2/users"),
                401,
                "INVALID_TOKEN");
        RSAKey unknownKid =
                new RSAKeyGenerator(2048).keyID("kid-nobody-published").generate();
        refused(api().bearer(sign(unknownKid, adminClaims(tenant))).get("/v2/users"), 401, "INVALID_TOKEN");
        refused(api().bearer("not-a-jwt").get("/v2/users"), 401, "INVALID_TOKEN");
        refused(api().with("Authorization", "Basic dXNlcjpwYXNz").get("/v2/users"), 401, "INVALID_TOKEN");
    }

    @Test
    void aWrongRoleIsForbidden() {
        TenantFixture tenant = newTenant();
        Api system = tenant.anonymous().with("x-api-key", tenant.createApiKey("role-test"));
        refused(system.post("/v2/api-keys", Map.of("name", "escalate")), 403, "FORBIDDEN");
        refused(system.post("/v2/auth/keys/rotate", Map.of()), 403, "FORBIDDEN");
        refused(tenant.admin().post("/v2/auth/keys/rotate", Map.of()), 403, "FORBIDDEN");
        Api user = signedInUser(tenant, "sub-role", "role@auth.test");
        refused(user.get("/v2/users"), 403, "FORBIDDEN");
        refused(user.get("/v2/transactions"), 403, "FORBIDDEN");
        refused(tenant.anonymous().get("/v2/users"), 401, "AUTHENTICATION_REQUIRED");
    }

    @Test
    void apiKeysShowTheirSecretOnceAndStopWorkingWhenRevoked() {
        TenantFixture tenant = newTenant();
        OffsetDateTime expiresAt = OffsetDateTime.now().plusDays(30).truncatedTo(ChronoUnit.SECONDS);
        Api.Response created =
                tenant.admin().post("/v2/api-keys", Map.of("name", "crm-sync", "expiresAt", expiresAt.toString()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String secret = created.text("secret");
        String id = created.json().path("apiKey").path("id").asString();
        assertThat(secret).startsWith("sk_").hasSizeGreaterThan(40);

        JsonNode listed = onlyKey(tenant, id);
        assertThat(fieldNames(listed))
                .containsExactlyInAnyOrder("id", "name", "preview", "createdAt", "expiresAt", "lastUsedAt", "revoked");
        String preview = listed.path("preview").asString();
        assertThat(preview)
                .startsWith(secret.substring(0, 7))
                .endsWith(secret.substring(secret.length() - 4))
                .hasSizeLessThan(16);
        assertThat(OffsetDateTime.parse(listed.path("expiresAt").asString()).toInstant())
                .isEqualTo(expiresAt.toInstant());
        assertThat(listed.path("lastUsedAt").isNull()).isTrue();
        assertThat(listed.path("revoked").asBoolean()).isFalse();
        assertThat(tenant.admin().get("/v2/api-keys").raw().body())
                .as("the secret is never listed")
                .doesNotContain(secret)
                .doesNotContain(secret.substring(3));

        Api system = tenant.anonymous().with("x-api-key", secret);
        assertThat(system.get("/v2/users").status()).isEqualTo(200);
        String systemToken = token(tenant.anonymous(), Map.of("grantType", "API_KEY", "apiKey", secret));
        Api systemByToken = api().bearer(systemToken);
        assertThat(systemByToken.get("/v2/users").status()).isEqualTo(200);
        assertThat(onlyKey(tenant, id).path("lastUsedAt").isNull())
                .as("lastUsedAt is set once the key is used")
                .isFalse();

        assertThat(tenant.admin().delete("/v2/api-keys/" + id).status()).isEqualTo(204);
        assertThat(onlyKey(tenant, id).path("revoked").asBoolean()).isTrue();
        refused(system.get("/v2/users"), 401, "INVALID_API_KEY");
        refused(systemByToken.get("/v2/users"), 401, "INVALID_API_KEY");
        refused(
                tenant.anonymous().post("/v2/auth/token", Map.of("grantType", "API_KEY", "apiKey", secret)),
                401,
                "INVALID_API_KEY");
        refused(tenant.admin().delete("/v2/api-keys/" + UUID.randomUUID()), 404, "NOT_FOUND");
    }

    @Test
    void anExpiredApiKeyIsRefused() {
        TenantFixture tenant = newTenant();
        Api.Response created = tenant.admin()
                .post(
                        "/v2/api-keys",
                        Map.of(
                                "name",
                                "stale",
                                "expiresAt",
                                OffsetDateTime.now().minusMinutes(1).toString()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        refused(tenant.anonymous().with("x-api-key", created.text("secret")).get("/v2/users"), 401, "INVALID_API_KEY");
    }

    @Test
    void refreshTokensRotateAndReuseRevokesTheWholeFamily() {
        TenantFixture tenant = newTenant();
        String apiKey = tenant.createApiKey("refresher");
        Api.Response first = tenant.anonymous().post("/v2/auth/token", systemGrant(apiKey));
        String r1 = first.text("refreshToken");

        Api.Response second = refresh(tenant, r1);
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        String r2 = second.text("refreshToken");
        assertThat(r2).isNotEqualTo(r1);
        assertThat(api().bearer(second.text("accessToken")).get("/v2/users").status())
                .isEqualTo(200);

        Api.Response third = refresh(tenant, r2);
        assertThat(third.status()).as("the new refresh token works once").isEqualTo(200);
        String r3 = third.text("refreshToken");
        refused(refresh(tenant, r2), 401, "INVALID_REFRESH_TOKEN");

        refused(refresh(tenant, r1), 401, "INVALID_REFRESH_TOKEN");
        refused(refresh(tenant, r3), 401, "INVALID_REFRESH_TOKEN");
        refused(refresh(tenant, "rt_never-issued"), 401, "INVALID_REFRESH_TOKEN");

        Api.Response unrelated = refresh(
                tenant,
                tenant.anonymous().post("/v2/auth/token", systemGrant(apiKey)).text("refreshToken"));
        assertThat(unrelated.status())
                .as("another sign-in's family is untouched")
                .isEqualTo(200);
    }

    @Test
    void rotatingTheSigningKeyPublishesBothAndKeepsEarlierTokensValid() throws ParseException, JOSEException {
        TenantFixture tenant = newTenant();
        String apiKey = tenant.createApiKey("rotation");
        String before = token(tenant.anonymous(), systemGrant(apiKey));
        String oldKid = SignedJWT.parse(before).getHeader().getKeyID();

        Api.Response rotated = api().bearer(platformToken()).post("/v2/auth/keys/rotate", Map.of());
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String newKid = rotated.text("kid");
        assertThat(newKid).isNotEqualTo(oldKid);

        JWKSet published =
                JWKSet.parse(api().get("/.well-known/jwks.json").raw().body());
        assertThat(published.getKeys().stream().map(k -> k.getKeyID())).contains(oldKid, newKid);
        assertThat(published.getKeys())
                .allSatisfy(k -> assertThat(k.isPrivate()).isFalse());

        assertThat(api().bearer(before).get("/v2/users").status())
                .as("a token signed before the rotation still verifies")
                .isEqualTo(200);
        String after = token(tenant.anonymous(), systemGrant(apiKey));
        SignedJWT parsed = SignedJWT.parse(after);
        assertThat(parsed.getHeader().getKeyID()).isEqualTo(newKid);
        assertThat(parsed.verify(new RSASSAVerifier(
                        published.getKeyByKeyId(newKid).toRSAKey().toRSAPublicKey())))
                .as("the new token verifies with the published key")
                .isTrue();
        assertThat(api().bearer(after).get("/v2/users").status()).isEqualTo(200);
    }

    @Test
    void aMemberOfTwoBusinessesMustChooseOne() {
        TenantFixture tenant = newTenant();
        assertThat(tenant.admin()
                        .patch("/v2/tenants/me", IdentityProvider.tenantSettings())
                        .status())
                .isEqualTo(200);
        String idToken = IdentityProvider.idToken("sub-owner", "owner@auth.test");
        String userId = signedInUser(tenant, "sub-owner", "owner@auth.test")
                .get("/v2/users/me")
                .text("id");
        String bakery = business(tenant, "Bakery", userId);
        String florist = business(tenant, "Florist", userId);
        String stranger = business(tenant, "Stranger's shop", null);

        Api.Response unchosen = tenant.anonymous()
                .post("/v2/auth/token", Map.of("grantType", "EXTERNAL_JWT", "idToken", idToken, "role", "BUSINESS"));
        refused(unchosen, 422, "MULTIPLE_CONTEXT_SELECTION_REQUIRED");
        assertThat(unchosen.json().path("detail").asString()).contains(bakery, florist);

        refused(
                tenant.anonymous().post("/v2/auth/token", businessGrant(idToken, stranger)),
                403,
                "NOT_A_BUSINESS_MEMBER");

        Api.Response chosen = tenant.anonymous().post("/v2/auth/token", businessGrant(idToken, florist));
        assertThat(chosen.status()).as(chosen.toString()).isEqualTo(200);
        assertThat(chosen.text("role")).isEqualTo("BUSINESS");
        assertThat(chosen.text("businessId")).isEqualTo(florist);
        Api asFlorist = tenant.anonymous().bearer(chosen.text("accessToken"));
        Api.Response me = asFlorist.get("/v2/businesses/me");
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.text("id")).isEqualTo(florist);
        assertThat(me.text("name")).isEqualTo("Florist");
        refused(asFlorist.get("/v2/users"), 403, "FORBIDDEN");
        refused(signedInUser(tenant, "sub-owner", "owner@auth.test").get("/v2/businesses/me"), 403, "FORBIDDEN");
    }

    // ---------------------------------------------------------------------------------------

    private JWTClaimsSet.Builder adminClaims(TenantFixture tenant) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AccessTokens.AUDIENCE)
                .subject(UUID.randomUUID().toString())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(5, ChronoUnit.MINUTES)))
                .claim("role", "ADMIN")
                .claim("tid", tenant.id().toString());
    }

    private static String sign(RSAKey key, JWTClaimsSet.Builder claims) {
        try {
            return sign(new RSASSASigner(key), JWSAlgorithm.RS256, key.getKeyID(), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSSigner signer, JWSAlgorithm algorithm, String kid, JWTClaimsSet.Builder claims) {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(algorithm)
                        .keyID(kid)
                        .type(new JOSEObjectType("at+jwt"))
                        .build(),
                claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** A SYSTEM sign-in: exchanges an API key for an access and a refresh token. */
    private static Map<String, Object> systemGrant(String apiKey) {
        return Map.of("grantType", "API_KEY", "apiKey", apiKey);
    }

    private static Map<String, Object> businessGrant(String idToken, String businessId) {
        Map<String, Object> grant = new HashMap<>();
        grant.put("grantType", "EXTERNAL_JWT");
        grant.put("idToken", idToken);
        grant.put("role", "BUSINESS");
        grant.put("businessId", businessId);
        return grant;
    }

    private static Api.Response refresh(TenantFixture tenant, String refreshToken) {
        return tenant.anonymous().post("/v2/auth/refresh", Map.of("refreshToken", refreshToken));
    }

    private static Api signedInUser(TenantFixture tenant, String subject, String email) {
        tenant.admin().patch("/v2/tenants/me", IdentityProvider.tenantSettings());
        String accessToken = token(
                tenant.anonymous(),
                Map.of("grantType", "EXTERNAL_JWT", "idToken", IdentityProvider.idToken(subject, email)));
        return tenant.anonymous().bearer(accessToken);
    }

    private static String business(TenantFixture tenant, String name, String memberId) {
        Api.Response created = tenant.admin().post("/v2/businesses", Map.of("name", name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.text("id");
        if (memberId != null) {
            assertThat(tenant.admin()
                            .post("/v2/businesses/" + id + "/members", Map.of("userId", memberId))
                            .status())
                    .isEqualTo(204);
        }
        return id;
    }

    private static JsonNode onlyKey(TenantFixture tenant, String id) {
        Api.Response listed = tenant.admin().get("/v2/api-keys");
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        for (JsonNode key : listed.json()) {
            if (key.path("id").asString().equals(id)) {
                return key;
            }
        }
        throw new AssertionError("API key " + id + " is not listed: " + listed);
    }

    private static List<String> fieldNames(JsonNode node) {
        return node.properties().stream().map(Map.Entry::getKey).toList();
    }

    /** A flood of tokens naming kids PERS never issued costs at most one reload of the keys. */
    @Test
    void unknownKidsDoNotReloadTheSigningKeysPerRequest() throws JOSEException {
        TenantFixture tenant = newTenant();
        RSAKey stranger = new RSAKeyGenerator(2048).generate();
        long before = signingKeys.unknownKidReloads();
        for (int i = 0; i < 100; i++) {
            RSAKey renamed = new RSAKey.Builder(stranger).keyID("unknown-" + i).build();
            refused(api().bearer(sign(renamed, adminClaims(tenant))).get("/v2/users"), 401, "INVALID_TOKEN");
        }
        assertThat(signingKeys.unknownKidReloads() - before).isLessThanOrEqualTo(1);
    }

    // --- sign-in throttling (each test signs in from client addresses of its own, by X-Forwarded-For)

    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    private static String newAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "198.51." + (n / 250) + "." + (n % 250 + 1);
    }

    private static Api.Response signIn(Api api, String address, String email, String password) {
        return api.with("X-Forwarded-For", address)
                .post("/v2/auth/token", Map.of("grantType", "PASSWORD", "email", email, "password", password));
    }

    @Test
    void anAccountGuessedAtIsThrottledEverywhereButWhereItsAdminSignsIn() {
        String email = "guessed-" + UUID.randomUUID() + "@tenant.test";
        TenantFixture tenant = newTenant(email); // its admin signs in here, from the test client's own address
        String attacker = newAddress();
        for (int i = 1; i <= 5; i++) {
            refused(signIn(tenant.anonymous(), attacker, email, "wrong-password-" + i), 401, "INVALID_CREDENTIALS");
        }

        Api.Response throttled = signIn(tenant.anonymous(), attacker, email, "wrong-password-6");
        refused(throttled, 429, "SIGN_IN_THROTTLED");
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 16L);
        // Even the right password is refused from another address: no oracle while blocked.
        Api.Response elsewhere = signIn(tenant.anonymous(), newAddress(), email, TENANT_ADMIN_PASSWORD);
        refused(elsewhere, 429, "SIGN_IN_THROTTLED");
        assertThat(elsewhere.raw().body()).doesNotContain("accessToken");

        // The admin, from where they signed in before, is not locked out; and their success clears the account.
        Api.Response admin = tenant.anonymous()
                .post(
                        "/v2/auth/token",
                        Map.of("grantType", "PASSWORD", "email", email, "password", TENANT_ADMIN_PASSWORD));
        assertThat(admin.status()).as(admin.toString()).isEqualTo(200);
        Api.Response afterwards = signIn(tenant.anonymous(), newAddress(), email, TENANT_ADMIN_PASSWORD);
        assertThat(afterwards.status()).as(afterwards.toString()).isEqualTo(200);
    }

    @Test
    void anAddressGuessingManyAccountsIsThrottledAndOthersAreNot() {
        String email = "sprayed-" + UUID.randomUUID() + "@tenant.test";
        TenantFixture tenant = newTenant(email);
        String sprayer = newAddress();
        for (int i = 1; i <= 20; i++) {
            refused(
                    signIn(
                            tenant.anonymous(),
                            sprayer,
                            "nobody-" + i + "-" + UUID.randomUUID() + "@tenant.test",
                            "guess"),
                    401,
                    "INVALID_CREDENTIALS");
        }

        refused(signIn(tenant.anonymous(), sprayer, email, TENANT_ADMIN_PASSWORD), 429, "SIGN_IN_THROTTLED");
        assertThat(signIn(tenant.anonymous(), newAddress(), email, TENANT_ADMIN_PASSWORD)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void platformSignInWithoutAProjectKeyIsThrottledToo() {
        String email = "platform-guess-" + UUID.randomUUID() + "@pers.test";
        String attacker = newAddress();
        for (int i = 1; i <= 5; i++) {
            refused(signIn(api(), attacker, email, "guess-" + i), 401, "INVALID_CREDENTIALS");
        }
        Api.Response throttled = signIn(api(), newAddress(), email, "guess-6");
        refused(throttled, 429, "SIGN_IN_THROTTLED");
        assertThat(throttled.header("Retry-After")).isNotNull();
    }

    private static void refused(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.code()).as(response.toString()).isEqualTo(code);
    }
}
