package io.pers.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.pers.crypto.SecretBox;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The ES256 keys PERS signs access tokens with. The newest key signs; retired keys stay
 * published in the JWKS for one token lifetime so tokens they signed remain verifiable.
 * Private halves are stored sealed by {@link SecretBox}.
 */
@Component
public class SigningKeys {

    private final JdbcClient db;
    private final SecretBox box;
    private final Duration tokenTtl;
    private volatile List<ECKey> keys = List.of();

    SigningKeys(JdbcClient db, SecretBox box, @Value("${pers.auth.access-token-ttl}") Duration tokenTtl) {
        this.db = db;
        this.box = box;
        this.tokenTtl = tokenTtl;
    }

    /** The key new tokens are signed with; the first call creates one if none exists. */
    synchronized ECKey signingKey() {
        List<ECKey> current = keys;
        if (current.isEmpty()) {
            current = reload();
            if (current.isEmpty()) {
                rotate();
                current = keys;
            }
        }
        return current.get(0);
    }

    /** The public keys tokens may be verified with; reloads once when another instance rotated. */
    JWKSet verificationKeys(String kid) {
        if (kid != null && keys.stream().noneMatch(k -> kid.equals(k.getKeyID()))) {
            reload();
        }
        return publicKeys();
    }

    public JWKSet publicKeys() {
        return new JWKSet(keys.stream().map(k -> (JWK) k.toPublicJWK()).toList());
    }

    /** Makes a new key the signing key and retires the previous ones. */
    @Transactional
    public String rotate() {
        ECKey key = generate();
        db.sql("update signing_keys set retired_at = now() where retired_at is null")
                .update();
        db.sql("insert into signing_keys (kid, algorithm, public_jwk, private_key_enc) values (?, 'ES256', ?, ?)")
                .params(
                        key.getKeyID(),
                        key.toPublicJWK().toJSONString(),
                        box.seal(key.toJSONString().getBytes(StandardCharsets.UTF_8)))
                .update();
        reload();
        return key.getKeyID();
    }

    private List<ECKey> reload() {
        Instant oldestValid = Instant.now().minus(tokenTtl);
        keys = db.sql("""
                        select private_key_enc from signing_keys
                         where retired_at is null or retired_at > ?
                         order by retired_at desc nulls first, created_at desc""")
                .param(java.sql.Timestamp.from(oldestValid))
                .query((rs, i) -> parse(box.open(rs.getBytes(1))))
                .list();
        return keys;
    }

    private static ECKey parse(byte[] json) {
        try {
            return ECKey.parse(new String(json, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IllegalStateException("Stored signing key is unreadable", e);
        }
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
