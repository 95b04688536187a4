package io.pers.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Role;
import java.security.Key;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Issues and verifies PERS access tokens (RS256 JWTs, audience {@value #AUDIENCE}). A token that
 * verified is remembered, by its exact text, until it expires or for {@link #REMEMBERED} at most,
 * whichever is first: a client sends the same token on every call for its lifetime, and an RSA
 * verification with the parsing around it was about a tenth of a ledger transfer's CPU.
 */
@Component
public class AccessTokens {

    static final String AUDIENCE = "pers-api";
    private static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");
    static final Duration REMEMBERED = Duration.ofMinutes(1);

    private record Verified(Principal principal, Instant expiresAt) {}

    private final SigningKeys keys;
    private final String issuer;
    private final Duration ttl;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(REMEMBERED)
            .build();

    AccessTokens(
            SigningKeys keys,
            @Value("${pers.auth.issuer}") String issuer,
            @Value("${pers.auth.access-token-ttl}") Duration ttl) {
        this.keys = keys;
        this.issuer = issuer;
        this.ttl = ttl;
        this.processor = processor(keys, issuer);
    }

    /** Built once (thread-safe once configured): only RS256 with a known kid selects a key. */
    private static DefaultJWTProcessor<SecurityContext> processor(SigningKeys keys, String issuer) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(TYPE));
        processor.setJWSKeySelector((header, context) -> JWSAlgorithm.RS256.equals(header.getAlgorithm())
                ? keys.verificationKey(header.getKeyID())
                        .<List<Key>>map(List::of)
                        .orElse(List.of())
                : List.of());
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                AUDIENCE, new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat", "role")));
        return processor;
    }

    Duration ttl() {
        return ttl;
    }

    String issue(Principal principal) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject(principal.subjectId().toString())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .claim("role", principal.role().name());
        optional(claims, "tid", principal.tenantId());
        optional(claims, "bid", principal.businessId());
        optional(claims, "akid", principal.apiKeyId());
        RSAKey key = keys.signingKey();
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .type(TYPE)
                            .build(),
                    claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Verifies signature (known kid, RS256 only: never "none"), type, issuer, audience and expiry. */
    Principal verify(String token) {
        Verified known = verified.getIfPresent(token);
        if (known != null && Instant.now().isBefore(known.expiresAt())) {
            return known.principal();
        }
        try {
            JWTClaimsSet claims = processor.process(token, null);
            Principal principal = new Principal(
                    Role.valueOf(claims.getStringClaim("role")),
                    uuid(claims.getStringClaim("tid")),
                    uuid(claims.getSubject()),
                    uuid(claims.getStringClaim("bid")),
                    uuid(claims.getStringClaim("akid")));
            verified.put(
                    token, new Verified(principal, claims.getExpirationTime().toInstant()));
            return principal;
        } catch (ExpiredJWTException e) {
            throw new PersException(ErrorCode.TOKEN_EXPIRED);
        } catch (BadJWTException e) {
            throw new PersException(ErrorCode.INVALID_TOKEN, e.getMessage());
        } catch (ParseException | BadJOSEException | JOSEException | IllegalArgumentException e) {
            throw new PersException(ErrorCode.INVALID_TOKEN, "Token signature, key or format is not accepted");
        }
    }

    private static void optional(JWTClaimsSet.Builder claims, String name, UUID value) {
        if (value != null) {
            claims.claim(name, value.toString());
        }
    }

    private static UUID uuid(String value) {
        return value == null ? null : UUID.fromString(value);
    }
}
