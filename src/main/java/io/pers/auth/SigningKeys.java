package io.pers.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.pers.crypto.SecretBox;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The RS256 keys PERS signs access tokens with. The newest key signs; retired keys stay
 * published in the JWKS for one token lifetime so tokens they signed remain verifiable.
 * Private halves are stored sealed by {@link SecretBox}. RS256 rather than ES256 because every
 * request verifies a token and the JDK verifies RSA-2048 signatures many times faster than P-256
 * ones (measured: P-256 verification was most of the CPU of a ledger transfer).
 */
@Component
public class SigningKeys {

    /** How long one instance trusts its cached key set before reading it again. */
    private static final Duration RELOAD_AFTER = Duration.ofMinutes(1);

    /**
     * At most one reload per this for tokens naming a kid not in the cache: enough for a key
     * another instance just rotated in, and a flood of forged kids costs one query and one unseal
     * of the keys per period, not one per request.
     */
    private static final long UNKNOWN_KID_RELOAD_EVERY_NANOS =
            Duration.ofSeconds(10).toNanos();

    private final JdbcClient db;
    private final SecretBox box;
    private final Duration tokenTtl;
    private volatile List<RSAKey> keys = List.of();
    private volatile JWKSet publicSet = new JWKSet();
    private volatile Map<String, RSAPublicKey> verifiers = Map.of();
    private volatile Instant loadedAt = Instant.EPOCH;
    private final AtomicLong unknownKidReloadedAt = new AtomicLong(System.nanoTime() - UNKNOWN_KID_RELOAD_EVERY_NANOS);
    private final AtomicLong unknownKidReloads = new AtomicLong();

    SigningKeys(JdbcClient db, SecretBox box, @Value("${pers.auth.access-token-ttl}") Duration tokenTtl) {
        this.db = db;
        this.box = box;
        this.tokenTtl = tokenTtl;
    }

    /** The key new tokens are signed with; the first call creates one if none exists. */
    synchronized RSAKey signingKey() {
        List<RSAKey> current = current();
        if (current.isEmpty()) {
            rotate();
            current = keys;
        }
        return current.get(0);
    }

    /**
     * The public key of {@code kid}, converted once per load; an unknown kid reloads (another
     * instance may have rotated), at most once per period across all requests.
     */
    Optional<RSAPublicKey> verificationKey(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        current();
        RSAPublicKey key = verifiers.get(kid);
        if (key == null && mayReloadForUnknownKid()) {
            unknownKidReloads.incrementAndGet();
            reload();
            key = verifiers.get(kid);
        }
        return Optional.ofNullable(key);
    }

    /** True for one caller once the period since the last unknown-kid reload is over. */
    private boolean mayReloadForUnknownKid() {
        long last = unknownKidReloadedAt.get();
        long now = System.nanoTime();
        return now - last >= UNKNOWN_KID_RELOAD_EVERY_NANOS && unknownKidReloadedAt.compareAndSet(last, now);
    }

    /** Reloads for unknown kids since start (a method: the tests read it through the transactional proxy). */
    long unknownKidReloads() {
        return unknownKidReloads.get();
    }

    public JWKSet publicKeys() {
        current();
        return publicSet;
    }

    /** The cached key set, read again once it is older than a minute: other instances rotate too. */
    private List<RSAKey> current() {
        return loadedAt.isBefore(Instant.now().minus(RELOAD_AFTER)) ? reload() : keys;
    }

    /** Makes a new key the signing key and retires the previous ones. */
    @Transactional
    public String rotate() {
        RSAKey key = generate();
        db.sql("update signing_keys set retired_at = now() where retired_at is null")
                .update();
        db.sql("insert into signing_keys (kid, algorithm, public_jwk, private_key_enc) values (?, 'RS256', ?, ?)")
                .params(
                        key.getKeyID(),
                        key.toPublicJWK().toJSONString(),
                        box.seal(key.toJSONString().getBytes(StandardCharsets.UTF_8)))
                .update();
        reload();
        return key.getKeyID();
    }

    private List<RSAKey> reload() {
        Instant oldestValid = Instant.now().minus(tokenTtl);
        keys = db.sql("""
                        select private_key_enc from signing_keys
                         where algorithm = 'RS256' and (retired_at is null or retired_at > ?)
                         order by retired_at desc nulls first, created_at desc""")
                .param(java.sql.Timestamp.from(oldestValid))
                .query((rs, i) -> parse(box.open(rs.getBytes(1))))
                .list();
        // Built once per load, not per verified request.
        publicSet = new JWKSet(keys.stream().map(k -> (JWK) k.toPublicJWK()).toList());
        verifiers = keys.stream().collect(Collectors.toUnmodifiableMap(RSAKey::getKeyID, SigningKeys::publicKey));
        loadedAt = Instant.now();
        return keys;
    }

    private static RSAKey parse(byte[] json) {
        try {
            return RSAKey.parse(new String(json, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IllegalStateException("Stored signing key is unreadable", e);
        }
    }

    private static RSAPublicKey publicKey(RSAKey key) {
        try {
            return key.toRSAPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException("Stored signing key has no usable public key", e);
        }
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
