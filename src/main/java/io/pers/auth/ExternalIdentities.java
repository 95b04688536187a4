package io.pers.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.outbound.OutboundGuard;
import io.pers.tenant.Tenants.IdentityProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.stereotype.Component;

/**
 * Verifies ID tokens from a tenant's own identity provider against the JWKS URL the tenant
 * configured (keys cached and refreshed by Nimbus, rate-limited on unknown kids), fetched through
 * the SSRF guard. Accepts RS256
 * and ES256 only, and checks issuer, audience (when configured) and expiry.
 */
@Component
class ExternalIdentities implements AutoCloseable {

    record Identity(String subject, String email) {}

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final Map<String, JWKSource<SecurityContext>> sources = new ConcurrentHashMap<>();
    private final CloseableHttpClient http;
    private final ResourceRetriever retriever = this::retrieve;

    ExternalIdentities(OutboundGuard guard) {
        this.http = jwksClient(guard);
    }

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

    private static final Timeout JWKS_CONNECT_TIMEOUT = Timeout.ofSeconds(2);
    private static final Timeout JWKS_READ_TIMEOUT = Timeout.ofSeconds(5);
    private static final int JWKS_MAX_BYTES = 51_200;

    private JWKSource<SecurityContext> source(String jwksUrl) {
        return sources.computeIfAbsent(jwksUrl, url -> {
            try {
                return JWKSourceBuilder.create(URI.create(url).toURL(), retriever)
                        .retrying(true)
                        .build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new PersException(ErrorCode.IDENTITY_PROVIDER_NOT_CONFIGURED, "JWKS URL is malformed");
            }
        });
    }

    /**
     * Fetches JWKS documents through the SSRF guard (the tenant sets the URL), following no
     * redirect, reading at most {@link #JWKS_MAX_BYTES}. Nimbus's default 500 ms read timeout fails
     * a sign-in whenever the provider is slow to answer its first JWKS request (cold start); the
     * keys are cached afterwards.
     */
    private static CloseableHttpClient jwksClient(OutboundGuard guard) {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(guard)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(JWKS_CONNECT_TIMEOUT)
                                .setSocketTimeout(JWKS_READ_TIMEOUT)
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(JWKS_READ_TIMEOUT)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
    }

    private Resource retrieve(URL url) throws IOException {
        HttpGet get = new HttpGet(url.toString());
        return http.execute(get, response -> {
            if (response.getCode() != 200 || response.getEntity() == null) {
                // The answer itself is not repeated: it is the provider's, not ours to show.
                throw new IOException("The JWKS URL answered HTTP " + response.getCode());
            }
            byte[] body;
            try (InputStream in = response.getEntity().getContent()) {
                body = in.readNBytes(JWKS_MAX_BYTES + 1);
            }
            if (body.length > JWKS_MAX_BYTES) {
                throw new IOException("The JWKS document is larger than " + JWKS_MAX_BYTES + " bytes");
            }
            return new Resource(
                    new String(body, StandardCharsets.UTF_8),
                    response.getEntity().getContentType());
        });
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
