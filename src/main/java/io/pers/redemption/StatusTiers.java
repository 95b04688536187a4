package io.pers.redemption;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigInteger;
import java.util.UUID;

/**
 * Whether a user has reached a redemption's minimum status. Status tiers (status types with
 * thresholds) do not exist yet; today a minimum names a STATUS token and the balance of it the
 * user must hold ({@link StatusTokenTiers}). When tiers arrive, an implementation that answers
 * from the user's tier replaces that one, and redemptions keep asking through this interface.
 */
interface StatusTiers {

    /** The minimum a redemption asks for: at least {@code amount} of the STATUS token {@code tokenId}. */
    record Minimum(
            UUID tokenId,
            @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger amount) {}

    boolean reaches(UUID userId, Minimum minimum);
}
