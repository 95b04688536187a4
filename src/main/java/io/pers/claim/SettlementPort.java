package io.pers.claim;

import java.math.BigInteger;
import java.util.List;
import java.util.UUID;

/**
 * Where minted claims are settled on chain. The chain capability implements it for tokens bound
 * to a contract ({@code io.pers.chain}); a token without a chain binding is off-chain and its
 * claim completes at mint.
 */
public interface SettlementPort {

    /**
     * One minted amount of a claim, as the chain must reproduce it; {@code testnet}: the claim's
     * campaign is flagged testnet, so it settles on the token's testnet binding when it has one.
     */
    record Mint(UUID entryId, UUID tokenId, UUID userId, BigInteger amount, boolean testnet) {}

    /**
     * Queues the mint for settlement when its token settles on a chain; whether it does. Called in
     * the mint's own transaction, so the mint is queued before anything can spend it on the ledger.
     */
    boolean queue(UUID claimId, Mint mint);

    /**
     * Settles a claim's mints, idempotently by entry id, from a claim's settle activity. True: they
     * are final on chain now. False: the activity waits without holding a worker and the chain
     * capability completes it once they are (having called {@link SettledClaims#settled} first).
     * Throws when they cannot be settled; the claim workflow retries, then compensates.
     */
    boolean settle(UUID tenantId, UUID claimId, List<Mint> mints);

    /** The claim capability's side of a settlement completed later: the claim becomes SETTLED. */
    interface SettledClaims {

        /** In the tenant's transaction that takes the waiting step, before the step completes. */
        void settled(UUID claimId);
    }
}
