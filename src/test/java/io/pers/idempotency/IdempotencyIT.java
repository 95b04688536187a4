package io.pers.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Invariant 1 at the API: a POST retried with its Idempotency-Key has its effect once. */
class IdempotencyIT extends ApiTest {

    @Test
    void theSameKeyAndBodyReplaysTheFirstAnswerAndMintsOnce() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("IDM");
        UUID user = tenant.createUser("guest@idem.test");
        Api keyed = tenant.admin().with("Idempotency-Key", "mint-" + UUID.randomUUID());

        Api.Response first = keyed.post("/v2/transactions", mint(token, user, "25"));
        Api.Response second = keyed.post("/v2/transactions", mint(token, user, "25"));

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(tenant.balance(user, token)).isEqualTo(BigInteger.valueOf(25));
        assertThat(entries(tenant, token)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndChangesNothing() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("IDR");
        UUID user = tenant.createUser("guest@reuse.test");
        Api keyed = tenant.admin().with("Idempotency-Key", "reuse-" + UUID.randomUUID());
        assertThat(keyed.post("/v2/transactions", mint(token, user, "10")).status())
                .isEqualTo(201);

        Api.Response reused = keyed.post("/v2/transactions", mint(token, user, "11"));

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reused.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(tenant.balance(user, token)).isEqualTo(BigInteger.TEN);
        assertThat(entries(tenant, token)).isEqualTo(1);
    }

    @Test
    void concurrentRetriesWithOneKeyHaveOneEffect() throws Exception {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("IDC");
        UUID user = tenant.createUser("guest@race.test");
        Api keyed = tenant.admin().with("Idempotency-Key", "race-" + UUID.randomUUID());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Api.Response>> responses = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            responses.add(pool.submit(() -> keyed.post("/v2/transactions", mint(token, user, "7"))));
        }
        List<String> ids = new ArrayList<>();
        for (Future<Api.Response> response : responses) {
            assertThat(response.get().status()).as(response.get().toString()).isEqualTo(201);
            ids.add(response.get().text("id"));
        }
        pool.shutdown();

        assertThat(ids).as("every retry got the first answer").containsOnly(ids.get(0));
        assertThat(tenant.balance(user, token)).isEqualTo(BigInteger.valueOf(7));
        assertThat(entries(tenant, token)).isEqualTo(1);
    }

    @Test
    void aFailedRequestIsNotStoredSoItsKeyMayBeRetried() {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("IDF");
        UUID alice = tenant.createUser("alice@retry.test");
        UUID bob = tenant.createUser("bob@retry.test");
        Api keyed = tenant.admin().with("Idempotency-Key", "retry-" + UUID.randomUUID());
        Map<String, Object> transfer = Map.of(
                "type",
                "TRANSFER",
                "tokenId",
                token.toString(),
                "amount",
                "5",
                "sender",
                Map.of("type", "USER", "id", alice.toString()),
                "recipient",
                Map.of("type", "USER", "id", bob.toString()));

        assertThat(keyed.post("/v2/transactions", transfer).code()).isEqualTo("INSUFFICIENT_BALANCE");
        tenant.mint(token, alice, 5);
        Api.Response retried = keyed.post("/v2/transactions", transfer);

        assertThat(retried.status()).as(retried.toString()).isEqualTo(201);
        assertThat(tenant.balance(bob, token)).isEqualTo(BigInteger.valueOf(5));
    }

    @Test
    void keysAreScopedToTheTenant() {
        TenantFixture a = newTenant();
        TenantFixture b = newTenant();
        String key = "shared-" + UUID.randomUUID();
        UUID tokenA = a.createToken("SCA");
        UUID tokenB = b.createToken("SCB");
        UUID userA = a.createUser("guest@a.test");
        UUID userB = b.createUser("guest@b.test");

        assertThat(a.admin()
                        .with("Idempotency-Key", key)
                        .post("/v2/transactions", mint(tokenA, userA, "3"))
                        .status())
                .isEqualTo(201);
        Api.Response inB = b.admin().with("Idempotency-Key", key).post("/v2/transactions", mint(tokenB, userB, "4"));

        assertThat(inB.status()).isEqualTo(201);
        assertThat(inB.header("Idempotent-Replayed")).isNull();
        assertThat(b.balance(userB, tokenB)).isEqualTo(BigInteger.valueOf(4));
    }

    private static Map<String, Object> mint(UUID token, UUID user, String amount) {
        return Map.of(
                "type",
                "MINT",
                "tokenId",
                token.toString(),
                "amount",
                amount,
                "recipient",
                Map.of("type", "USER", "id", user.toString()));
    }

    private static long entries(TenantFixture tenant, UUID token) {
        return tenant.admin()
                .get("/v2/transactions?tokenId=" + token)
                .json()
                .path("total")
                .asLong();
    }
}
