package io.pers.rekey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pers.crypto.SecretBox;
import io.pers.crypto.Secrets;
import io.pers.crypto.UnknownMasterKeyException;
import io.pers.ledger.LedgerSealer;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Master key rotation on the real tables: secrets sealed by the running app under its key
 * ("default"), re-sealed under a new key B by the re-seal command's work, then read with B alone;
 * a value sealed under a key nobody has stops the run naming that key; and back to "default", so
 * the app (which knows only "default") goes on for the tests after this one.
 */
class ResealIT extends ApiTest {

    private static final String KEY_B = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));

    @Autowired
    JdbcClient db;

    @Autowired
    LedgerSealer sealer;

    @Value("${pers.home}")
    Path home;

    @Test
    void everySecretMovesToTheNewKeyAndStillReadsWithTheOldOneRemoved() throws Exception {
        TenantFixture tenant = newTenant();
        Api admin = tenant.admin().with("Idempotency-Key", "reseal-" + UUID.randomUUID());
        Api.Response subscribed = admin.post("/v2/webhooks", Map.of("url", "http://127.0.0.1:9/hooks"));
        assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);
        String subscription = subscribed.json().path("subscription").path("id").asString();
        assertThat(tenant.admin()
                        .post("/v2/webhooks/" + subscription + "/rotate-secret", Map.of())
                        .status())
                .isEqualTo(200); // previous_secret_enc too
        assertThat(tenant.admin()
                        .post("/v2/connectors", Map.of("connector", "pers-webhook"))
                        .status())
                .isEqualTo(201);

        String defaultKey = Files.readString(home.resolve("master.key"));
        Path elsewhere = Files.createTempDirectory("pers-reseal-");
        SecretBox rotated = new SecretBox(Map.of("default", defaultKey, "b", KEY_B), null, "b", elsewhere);
        SecretBox onlyB = new SecretBox(Map.of("b", KEY_B), null, "b", elsewhere);
        SecretBox back = new SecretBox(Map.of("default", defaultKey, "b", KEY_B), null, "default", elsewhere);
        Resealing toB = new Resealing(db, rotated, sealer);
        try {
            Map<String, Integer> before = toB.pending();
            for (String column : List.of(
                    "signing_keys.private_key_enc",
                    "idempotency_keys.response_body_enc",
                    "webhook_subscriptions.secret_enc",
                    "webhook_subscriptions.previous_secret_enc",
                    "connector_connections.secret_enc")) {
                assertThat(before.get(column)).as(column).isPositive();
            }

            Map<String, Integer> moved = toB.resealAll(2); // batches of 2: several per column
            assertThat(moved.get("webhook_subscriptions.secret_enc")).isPositive();
            assertThat(moved.get("webhook_subscriptions.previous_secret_enc")).isPositive();
            assertThat(moved.get("connector_connections.secret_enc")).isPositive();
            assertThat(moved.get("signing_keys.private_key_enc")).isPositive();
            assertThat(toB.pending())
                    .allSatisfy((column, n) -> assertThat(n).as(column).isZero());
            assertThat(toB.resealAll(2))
                    .allSatisfy((column, n) ->
                            assertThat(n).as("a second run: " + column).isZero());

            // Key "default" removed: everything still opens, and is under B.
            int opened = forEachSealed(value -> {
                assertThat(SecretBox.keyIdOf(value)).isEqualTo("b");
                onlyB.open(value);
            });
            assertThat(opened)
                    .isGreaterThanOrEqualTo(
                            before.values().stream().mapToInt(Integer::intValue).sum());

            // A value sealed under a key no longer configured stops the run, naming the key.
            SecretBox gone = new SecretBox(Map.of("k2019", KEY_B), null, "k2019", elsewhere);
            byte[] lost = gone.seal("whsec_lost".getBytes());
            byte[] kept = TenantContext.callAs(tenant.id(), () -> db.sql(
                            "select previous_secret_enc from webhook_subscriptions where id = ?::uuid")
                    .param(subscription)
                    .query(byte[].class)
                    .single());
            updatePrevious(tenant.id(), subscription, lost);
            assertThatThrownBy(() -> new Resealing(db, back, sealer).resealAll(50))
                    .isInstanceOf(UnknownMasterKeyException.class)
                    .hasMessageContaining("'k2019'");
            updatePrevious(tenant.id(), subscription, kept);
        } finally {
            new Resealing(db, back, sealer).resealAll(100);
        }
        assertThat(new Resealing(db, back, sealer).pending())
                .allSatisfy((column, n) -> assertThat(n).as(column).isZero());
        // The platform admin's endpoint: the app's own key ring, where everything is under "default".
        Api.Response resealed = operator().post("/v2/secrets/reseal", Map.of());
        assertThat(resealed.status()).as(resealed.toString()).isEqualTo(200);
        assertThat(resealed.text("currentKeyId")).isEqualTo("default");
        assertThat(resealed.json().path("remaining").properties())
                .allSatisfy(e -> assertThat(e.getValue().asInt()).as(e.getKey()).isZero());
        assertThat(tenant.admin().post("/v2/secrets/reseal", Map.of()).status()).isEqualTo(403);
        // The app, which has only "default", still signs tokens and reads its secrets.
        assertThat(newTenant().admin().get("/v2/webhooks").status()).isEqualTo(200);
        assertThat(tenant.admin()
                        .post("/v2/webhooks/" + subscription + "/rotate-secret", Map.of())
                        .status())
                .isEqualTo(200);
    }

    private void updatePrevious(UUID tenant, String subscription, byte[] value) {
        TenantContext.runAs(
                tenant, () -> db.sql("update webhook_subscriptions set previous_secret_enc = ? where id = ?::uuid")
                        .params(value, subscription)
                        .update());
    }

    private interface Check {
        void accept(byte[] value);
    }

    /** Runs the check on every sealed value of every tenant and the platform; returns how many. */
    private int forEachSealed(Check check) {
        List<UUID> tenants = TenantContext.callAsPlatform(
                () -> db.sql("select id from tenants").query(UUID.class).list());
        int seen = 0;
        for (Resealing.Column column : Resealing.COLUMNS) {
            Supplier<List<byte[]>> values = () -> db.sql("select " + column.column() + " from " + column.table()
                            + " where " + column.column() + " is not null")
                    .query(byte[].class)
                    .list();
            List<byte[]> all = column.perTenant()
                    ? tenants.stream()
                            .flatMap(t -> TenantContext.callAs(t, values).stream())
                            .toList()
                    : TenantContext.callAsPlatform(values);
            for (byte[] value : all) {
                check.accept(value);
                seen++;
            }
        }
        return seen;
    }
}
