package io.pers.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.tenant.Tenants.IdentityProvider;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Verifies ID tokens from a tenant's own identity provider against the JWKS URL the tenant
 * configured (keys cached and refreshed by Nimbus, rate-limited on unknown kids). Accepts RS256
 * and ES256 only, and checks issuer, audience (when configured) and expiry.
 */
@Component
class ExternalIdentities {

    record Identity(String subject, String email) {}

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final Map<String, JWKSource<SecurityContext>> sources = new ConcurrentHashMap<>();

    Identity verify(IdentityProvider provider, String idToken) {
        if (provider == null) {
            throw new PersException(ErrorCode.IDENTITY_PROVIDER_NOT_CONFIGURED);
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, source(provider.jwksUrl())));
        // Nimbus asks these sets whether they contain null, which Set.of() answers with an exception.
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                provider.audience() == null ? null : new HashSet<>(List.of(provider.audience())),
                new JWTClaimsSet.Builder().issuer(provider.issuer()).build(),
                new HashSet<>(List.of("sub", "exp")),
                new HashSet<>()));
        try {
            JWTClaimsSet claims = processor.process(idToken, null);
            return new Identity(claims.getSubject(), claims.getStringClaim("email"));
        } catch (ExpiredJWTException e) {
            throw new PersException(ErrorCode.TOKEN_EXPIRED, "The identity provider's token has expired");
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new PersException(ErrorCode.INVALID_TOKEN, "The identity provider's token is not accepted");
        }
    }

    private static final int JWKS_CONNECT_TIMEOUT_MS = 2_000;
    private static final int JWKS_READ_TIMEOUT_MS = 5_000;
    private static final int JWKS_MAX_BYTES = 51_200;

    private JWKSource<SecurityContext> source(String jwksUrl) {
        return sources.computeIfAbsent(jwksUrl, url -> {
            try {
                // Nimbus's default 500 ms read timeout fails a sign-in whenever the provider is slow
                // to answer its first JWKS request (cold start); the keys are cached afterwards.
                return JWKSourceBuilder.create(
                                URI.create(url).toURL(),
                                new DefaultResourceRetriever(
                                        JWKS_CONNECT_TIMEOUT_MS, JWKS_READ_TIMEOUT_MS, JWKS_MAX_BYTES))
                        .retrying(true)
                        .build();
            } catch (MalformedURLException e) {
                throw new PersException(ErrorCode.IDENTITY_PROVIDER_NOT_CONFIGURED, "JWKS URL is malformed");
            }
        });
    }
}
