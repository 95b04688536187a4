package io.pers.expiry;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.Role;
import io.pers.expiry.Lots.Expiring;
import io.pers.ledger.TransactionRequests;
import io.pers.ledger.Wallets;
import io.pers.ledger.Wallets.Owner;
import io.pers.ledger.Wallets.OwnerType;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** What of a wallet's balance will expire, and when: per token and date, soonest first. */
@RestController
class ExpiryController {

    private final Lots lots;
    private final Wallets wallets;

    ExpiryController(Lots lots, Wallets wallets) {
        this.lots = lots;
        this.wallets = wallets;
    }

    @Operation(
            operationId = "listMyExpiringBalances",
            summary = "What of my balance will expire",
            description = "The signed-in user's (or business's) points that will expire, per token and expiry date, "
                    + "soonest first; empty when nothing expires.")
    @GetMapping("/v2/balances/me/expiring")
    @Allow({Role.USER, Role.BUSINESS})
    List<Expiring> mine() {
        return of(TransactionRequests.self(CurrentCaller.get()));
    }

    @Operation(
            operationId = "listUserExpiringBalances",
            summary = "What of a user's balance will expire",
            description = "A user's points that will expire, per token and expiry date, soonest first; empty when the "
                    + "user has no wallet or nothing expires.")
    @GetMapping("/v2/balances/users/{userId}/expiring")
    @Allow({Role.ADMIN, Role.SYSTEM})
    List<Expiring> user(@PathVariable UUID userId) {
        return of(new Owner(OwnerType.USER, userId));
    }

    @Operation(
            operationId = "listBusinessExpiringBalances",
            summary = "What of a business's balance will expire",
            description = "A business's points that will expire, per token and expiry date, soonest first; empty when "
                    + "it has no wallet or nothing expires.")
    @GetMapping("/v2/balances/businesses/{businessId}/expiring")
    @Allow({Role.ADMIN, Role.SYSTEM})
    List<Expiring> business(@PathVariable UUID businessId) {
        return of(new Owner(OwnerType.BUSINESS, businessId));
    }

    private List<Expiring> of(Owner owner) {
        return wallets.existingWalletOf(owner)
                .map(wallet -> lots.expiring(wallet, Instant.now()))
                .orElse(List.of());
    }
}
