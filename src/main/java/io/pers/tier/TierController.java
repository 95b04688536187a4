package io.pers.tier;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Role;
import io.pers.tier.Tiers.Details;
import io.pers.tier.Tiers.Tier;
import io.pers.tier.UserStatuses.Status;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigInteger;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tier ladder (admins change it; anyone of the tenant may read it) and users' status. */
@RestController
class TierController {

    /** Create and update share one shape; fields left out of an update keep their value. */
    record TierBody(
            @Size(min = 1, max = 100) String name,
            @Min(1) Integer rank,
            BigInteger threshold,
            @Min(0) @Max(10_000) Integer discountBps,
            @Size(min = 1, max = 20) List<@NotNull UUID> tokenIds) {
        Details toDetails() {
            return new Details(
                    name,
                    rank,
                    threshold,
                    discountBps,
                    tokenIds == null ? null : tokenIds.stream().distinct().toList());
        }
    }

    private final Tiers tiers;
    private final UserStatuses statuses;

    TierController(Tiers tiers, UserStatuses statuses) {
        this.tiers = tiers;
        this.statuses = statuses;
    }

    @Operation(
            operationId = "createStatusTier",
            summary = "Create a status tier",
            description = "A rung of the tier ladder: users holding at least `threshold` (base units) of the listed "
                    + "status tokens reach it; `rank` orders the ladder and `discountBps` is the tier's discount on"
                    + " redemptions, in basis points.")
    @Fails({ErrorCode.INVALID_AMOUNT})
    @PostMapping("/v2/status-tiers")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Tier create(@Valid @RequestBody TierBody body) {
        return tiers.create(body.toDetails());
    }

    @Operation(
            operationId = "listStatusTiers",
            summary = "List status tiers",
            description = "The tier ladder, by rank. Open to any caller of the tenant.")
    @GetMapping("/v2/status-tiers")
    @Allow(Role.PUBLIC)
    List<Tier> list() {
        return tiers.list();
    }

    @Operation(
            operationId = "getStatusTier",
            summary = "Get a status tier",
            description = "One tier of the ladder. Open to any caller of the tenant.")
    @GetMapping("/v2/status-tiers/{id}")
    @Allow(Role.PUBLIC)
    Tier get(@PathVariable UUID id) {
        return tiers.find(id);
    }

    @Operation(
            operationId = "updateStatusTier",
            summary = "Update a status tier",
            description = "Changes a tier; fields left out keep their value.")
    @Fails({ErrorCode.INVALID_AMOUNT})
    @PatchMapping("/v2/status-tiers/{id}")
    @Allow(Role.ADMIN)
    Tier update(@PathVariable UUID id, @Valid @RequestBody TierBody body) {
        return tiers.update(id, body.toDetails());
    }

    @Operation(
            operationId = "deleteStatusTier",
            summary = "Delete a status tier",
            description =
                    "Removes a tier from the ladder; one a redemption requires as its minimum is refused with 409 `CONFLICT_IN_USE`.")
    @Fails({ErrorCode.CONFLICT_IN_USE})
    @DeleteMapping("/v2/status-tiers/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Allow(Role.ADMIN)
    void delete(@PathVariable UUID id) {
        tiers.delete(id);
    }

    @Operation(
            operationId = "getMyStatus",
            summary = "Get my status tier",
            description = "The signed-in user's tier: what they hold of the status tokens, the tier reached and the "
                    + "next one.")
    @GetMapping("/v2/users/me/status")
    @Allow(Role.USER)
    Status mine() {
        return statuses.of(CurrentCaller.get().subjectId());
    }

    @Operation(
            operationId = "getUserStatus",
            summary = "Get a user's status tier",
            description = "A user's tier: what they hold of the status tokens, the tier reached and the next one.")
    @GetMapping("/v2/users/{id}/status")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Status of(@PathVariable UUID id) {
        return statuses.of(id);
    }
}
