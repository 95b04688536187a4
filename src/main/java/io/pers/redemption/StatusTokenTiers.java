package io.pers.redemption;

import io.pers.ledger.Balances;
import io.pers.ledger.Wallets.Owner;
import io.pers.ledger.Wallets.OwnerType;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Today's {@link StatusTiers}: the user's balance of the named STATUS token against the minimum. */
@Component
class StatusTokenTiers implements StatusTiers {

    private final Balances balances;

    StatusTokenTiers(Balances balances) {
        this.balances = balances;
    }

    @Override
    public boolean reaches(UUID userId, Minimum minimum) {
        return balances.of(new Owner(OwnerType.USER, userId), minimum.tokenId()).stream()
                .anyMatch(b -> b.amount().compareTo(minimum.amount()) >= 0);
    }
}
