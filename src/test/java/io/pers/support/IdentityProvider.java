package io.pers.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * A tenant's own identity provider, as WireMock: it publishes a JWKS and signs ID tokens, so
 * tests sign users in the way a real IdP would (PERS verifies them against the JWKS URL).
 */
public final class IdentityProvider {

    public static final String ISSUER = "https://idp.test";
    public static final String AUDIENCE = "pers-tenant-app";

    private static final WireMockServer SERVER = new WireMockServer(options().dynamicPort());
    private static final RSAKey KEY = generate();

    static {
        SERVER.start();
        SERVER.stubFor(get("/.well-known/jwks.json")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(new JWKSet(KEY.toPublicJWK()).toString())));
        Runtime.getRuntime().addShutdownHook(new Thread(SERVER::stop));
    }

    private IdentityProvider() {}

    public static String jwksUrl() {
        return SERVER.baseUrl() + "/.well-known/jwks.json";
    }

    /** The body of PATCH /v2/tenants/me that makes this the tenant's identity provider. */
    public static Map<String, Object> tenantSettings() {
        return Map.of("identityProvider", Map.of("jwksUrl", jwksUrl(), "issuer", ISSUER, "audience", AUDIENCE));
    }

    public static String idToken(String subject, String email) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .claim("email", email)
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(KEY.getKeyID())
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("idp-test-key").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
