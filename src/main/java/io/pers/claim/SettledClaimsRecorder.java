package io.pers.claim;

import io.pers.claim.Claims.Claim;
import io.pers.claim.Claims.Status;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A claim whose mints are final on chain becomes SETTLED and partners hear {@code claim.settled},
 * once: from the claim's own settle step when the mints were final at once, from the settler that
 * completes the waiting step otherwise.
 */
@Component
class SettledClaimsRecorder implements SettlementPort.SettledClaims {

    private final Claims claims;

    SettledClaimsRecorder(Claims claims) {
        this.claims = claims;
    }

    @Override
    public void settled(UUID claimId) {
        Claim claim = claims.find(claimId, true).orElseThrow();
        if (claim.status() == Status.PENDING_SETTLEMENT) {
            claims.transition(claim.id(), Status.SETTLED, null, null, null);
            claims.recordEvent(
                    claim.id(),
                    "claim.settled",
                    Map.of("claimId", claim.id(), "campaignId", claim.campaignId(), "userId", claim.userId()));
        }
    }
}
