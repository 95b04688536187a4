package io.pers.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.crypto.SecretBox;
import io.pers.crypto.Secrets;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger checkpoint across a master key rotation: signed under the key in use ("default"),
 * it verifies under a ring with a new current key B, is signed again under B by the re-seal
 * step, and then verifies with "default" removed; a checkpoint no configured key signed does not.
 * Signed back under "default" at the end, for the app (which has only that key).
 */
class CheckpointRotationIT extends ApiTest {

    @Autowired
    JdbcClient db;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate tx;

    @Value("${pers.home}")
    Path home;

    @Test
    void theCheckpointVerifiesThroughARotationAndIsSignedAgainUnderTheNewKey() throws Exception {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("ROT");
        UUID user = tenant.createUser("rot@ledger.test");
        tenant.mint(token, user, 10);
        tenant.mint(token, user, 5);

        String defaultKey = Files.readString(home.resolve("master.key"));
        String keyB = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
        Path elsewhere = Files.createTempDirectory("pers-rotation-");
        LedgerSealer rotated = sealer(Map.of("default", defaultKey, "b", keyB), "b", elsewhere);
        LedgerSealer onlyB = sealer(Map.of("b", keyB), "b", elsewhere);
        LedgerSealer onlyDefault = sealer(Map.of("default", defaultKey), "default", elsewhere);
        LedgerSealer back = sealer(Map.of("default", defaultKey, "b", keyB), "default", elsewhere);

        TenantContext.runAs(tenant.id(), () -> {
            assertThat(onlyDefault.verify().valid()).isTrue();
            assertThat(onlyDefault.verify().checkpointSeq()).isEqualTo(2);
            assertThat(onlyB.verify().valid()).as("B never signed it").isFalse();
            assertThat(rotated.verify().valid())
                    .as("under the ring, before re-signing")
                    .isTrue();
            try {
                assertThat(rotated.resignCheckpoint()).isTrue();
                assertThat(rotated.resignCheckpoint()).as("already under B").isFalse();
                assertThat(onlyB.verify().valid()).as("with 'default' removed").isTrue();
                assertThat(onlyDefault.verify().valid()).isFalse();
            } finally {
                back.resignCheckpoint();
            }
            assertThat(onlyDefault.verify().valid()).isTrue();
        });
    }

    private LedgerSealer sealer(Map<String, String> ring, String current, Path home) {
        return new LedgerSealer(
                db, jdbc, tx, new SecretBox(ring, null, current, home), Duration.ofMillis(500), Duration.ofSeconds(5));
    }
}
