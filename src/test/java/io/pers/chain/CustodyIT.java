package io.pers.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.chain.Custody.OwnerType;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Custodial addresses on the real database: one per owner, whoever asks first. */
class CustodyIT extends ApiTest {

    @Autowired
    Custody custody;

    @Autowired
    JdbcClient db;

    @Test
    void concurrentFirstUsesOfOneOwnerAgreeOnOneAddress() throws Exception {
        TenantFixture tenant = newTenant();
        UUID user = tenant.createUser("first-use@custody.test");
        int callers = 8;
        CyclicBarrier start = new CyclicBarrier(callers);
        Callable<String> firstUse = () -> {
            start.await();
            return TenantContext.callAs(tenant.id(), () -> custody.addressOf(OwnerType.USER, user));
        };
        List<String> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            for (Future<String> answer : pool.invokeAll(Collections.nCopies(callers, firstUse))) {
                answers.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(answers).hasSize(callers).containsOnly(answers.get(0));
        assertThat(TenantContext.callAs(tenant.id(), () -> db.sql(
                                "select count(*) from wallet_addresses where owner_type = 'USER' and owner_id = ?")
                        .param(user)
                        .query(Long.class)
                        .single()))
                .isOne();
        // A second owner gets another address: the indexes the losers reserved are never reused.
        UUID other = tenant.createUser("second@custody.test");
        assertThat(TenantContext.callAs(tenant.id(), () -> custody.addressOf(OwnerType.USER, other)))
                .isNotEqualTo(answers.get(0));
    }
}
