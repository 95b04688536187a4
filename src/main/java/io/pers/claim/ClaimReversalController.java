package io.pers.claim;

import io.pers.api.Allow;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.Role;
import io.pers.claim.ClaimReversals.Reversal;
import io.pers.claim.ClaimReversals.Status;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Refunds' reversals, read-only: what each refund took back, and any shortfall, for support staff. */
@RestController
class ClaimReversalController {

    private static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at", "decidedAt", "decided_at");

    private final ClaimReversals reversals;

    ClaimReversalController(ClaimReversals reversals) {
        this.reversals = reversals;
    }

    @Operation(
            operationId = "listClaimReversals",
            summary = "List claim reversals",
            description = "What refunds took back: each reversal of a claim whose order was refunded, with its status, "
                    + "the amount reversed and any shortfall (points already spent). Filters: `status`, "
                    + "`externalRef` (the order); paged, sortable by `createdAt` or `decidedAt`.")
    @GetMapping("/v2/claim-reversals")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Page<Reversal> list(
            @RequestParam(required = false) Status status,
            @RequestParam(required = false) String externalRef,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        return reversals.list(status, externalRef, PageQuery.of(page, size, sort, SORTABLE));
    }

    @Operation(
            operationId = "getClaimReversal",
            summary = "Get a claim reversal",
            description =
                    "One reversal: the refund it answers, what it took back from which claims, and any shortfall.")
    @GetMapping("/v2/claim-reversals/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Reversal get(@PathVariable UUID id) {
        return reversals.find(id);
    }
}
