package io.pers.chain;

import io.pers.tenant.TenantContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one source of the tenant's settler nonces on a chain, for everything that key signs there:
 * settlement batches and contract deployments alike. Two signers that each asked the node would
 * take the same nonce, and one would replace or block the other.
 */
@Component
class SettlerNonces {

    private final JdbcClient db;

    SettlerNonces(JdbcClient db) {
        this.db = db;
    }

    /**
     * The next nonce, taken: the one kept, or the node's pending count when the chain is past it (a
     * transaction sent outside PERS). Call inside the transaction that stores what is signed at it:
     * the row stays locked until commit, so no other signer takes the same nonce meanwhile.
     */
    BigInteger take(long chainId, ChainClient client, String settler) {
        BigInteger pending = client.pendingNonce(settler);
        db.sql("""
                        insert into settler_nonces (tenant_id, chain_id, next_nonce) values (?, ?, ?)
                        on conflict (tenant_id, chain_id) do nothing""")
                .params(TenantContext.requireTenantId(), chainId, new BigDecimal(pending))
                .update();
        BigInteger kept = db.sql("select next_nonce from settler_nonces where chain_id = ? for update")
                .param(chainId)
                .query(BigDecimal.class)
                .single()
                .toBigIntegerExact();
        BigInteger next = kept.max(pending);
        set(chainId, next.add(BigInteger.ONE));
        return next;
    }

    /**
     * Kept from now on, never moved back: the chain's count after a transaction of PERS found its
     * nonce taken (a batch still on its way may hold a nonce the node has not seen yet).
     */
    void set(long chainId, BigInteger next) {
        db.sql("update settler_nonces set next_nonce = greatest(next_nonce, ?) where chain_id = ?")
                .params(new BigDecimal(next), chainId)
                .update();
    }
}
