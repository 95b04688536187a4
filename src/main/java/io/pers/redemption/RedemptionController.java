package io.pers.redemption;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.Role;
import io.pers.campaign.CountryRestrictions;
import io.pers.redemption.Redemptions.Details;
import io.pers.redemption.Redemptions.Filter;
import io.pers.redemption.Redemptions.Redemption;
import io.pers.redemption.Redemptions.RewardUnit;
import io.pers.redemption.Redemptions.Supply;
import io.pers.redemption.Redemptions.Type;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The redemption catalogue: redemptions, their types, what they deliver and their supply. */
@RestController
class RedemptionController {

    /** Create and update share one shape; fields left out of an update keep their value. */
    record RedemptionBody(
            @Size(min = 1, max = 200) String name,
            @Size(max = 5000) String description,
            UUID typeId,
            UUID costTokenId,
            BigInteger costAmount,
            @Min(1) Long totalSupply,
            @Min(1) Integer maxPerUser,
            UUID minStatusTierId,
            @Size(max = 250) List<@NotNull @Pattern(regexp = CountryRestrictions.RULE) String> countryCodeRestrictions,
            Boolean businessReceivesCredits,
            Boolean active) {
        Details toDetails() {
            return new Details(
                    name,
                    description,
                    typeId,
                    costTokenId,
                    costAmount,
                    totalSupply,
                    maxPerUser,
                    minStatusTierId,
                    countryCodeRestrictions == null
                            ? null
                            : countryCodeRestrictions.stream().distinct().toList(),
                    businessReceivesCredits,
                    active);
        }
    }

    record TypeBody(@NotBlank @Size(max = 100) String name) {}

    record RewardUnitBody(@NotNull UUID tokenId, @NotNull BigInteger amount) {}

    private static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at", "name", "name");
    /** Who sees inactive redemptions: those who manage the catalogue. */
    private static final Set<Role> MANAGERS = Set.of(Role.ADMIN, Role.SYSTEM);

    private final Redemptions redemptions;

    RedemptionController(Redemptions redemptions) {
        this.redemptions = redemptions;
    }

    @Operation(
            operationId = "createRedemption",
            summary = "Create a redemption",
            description = "Adds to the catalogue something users redeem tokens for: its type, cost (`costTokenId`, "
                    + "`costAmount` in base units), total supply, redeems per user, a minimum status tier, country "
                    + "restrictions, and whether the business it is redeemed at receives the credits.")
    @Fails({ErrorCode.INVALID_AMOUNT})
    @PostMapping("/v2/redemptions")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Redemption create(@Valid @RequestBody RedemptionBody body) {
        return redemptions.create(body.toDetails());
    }

    /** Open with the project key alone; only admins and systems see inactive redemptions. */
    @Operation(
            operationId = "listRedemptions",
            summary = "List redemptions",
            description = "The catalogue. Open with the project key alone; only admins and systems see inactive "
                    + "redemptions.")
    @GetMapping("/v2/redemptions")
    @Allow(Role.PUBLIC)
    Page<Redemption> list(
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) Boolean active,
            @RequestParam(required = false) UUID typeId) {
        return redemptions.list(
                new Filter(onlyActive() ? Boolean.TRUE : active, typeId), PageQuery.of(page, size, sort, SORTABLE));
    }

    @Operation(
            operationId = "getRedemption",
            summary = "Get a redemption",
            description = "One redemption of the catalogue; an inactive one only for admins and systems.")
    @GetMapping("/v2/redemptions/{id}")
    @Allow(Role.PUBLIC)
    Redemption get(@PathVariable UUID id) {
        return redemptions.find(id, onlyActive());
    }

    @Operation(
            operationId = "updateRedemption",
            summary = "Update a redemption",
            description = "Changes a redemption; fields left out keep their value.")
    @Fails({ErrorCode.INVALID_AMOUNT})
    @PatchMapping("/v2/redemptions/{id}")
    @Allow(Role.ADMIN)
    Redemption update(@PathVariable UUID id, @Valid @RequestBody RedemptionBody body) {
        return redemptions.update(id, body.toDetails());
    }

    @Operation(
            operationId = "deleteRedemption",
            summary = "Delete a redemption",
            description = "Removes a redemption never redeemed; one with redeems is refused with 409 `CONFLICT_IN_USE` "
                    + "(deactivate it instead).")
    @Fails({ErrorCode.CONFLICT_IN_USE})
    @DeleteMapping("/v2/redemptions/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Allow(Role.ADMIN)
    void delete(@PathVariable UUID id) {
        redemptions.delete(id);
    }

    @Operation(
            operationId = "createRedemptionType",
            summary = "Create a redemption type",
            description = "A kind of redemption (voucher, product, experience...) the catalogue is grouped by.")
    @PostMapping("/v2/redemptions/types")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Type createType(@Valid @RequestBody TypeBody body) {
        return redemptions.createType(body.name());
    }

    @Operation(
            operationId = "listRedemptionTypes",
            summary = "List redemption types",
            description = "The tenant's redemption types. Open to any caller of the tenant.")
    @GetMapping("/v2/redemptions/types")
    @Allow(Role.PUBLIC)
    List<Type> types() {
        return redemptions.types();
    }

    @Operation(
            operationId = "addRedemptionReward",
            summary = "Add a reward to a redemption",
            description = "A token the redeemer also receives: `amount` of `tokenId` (base units) per redeem.")
    @Fails({ErrorCode.INVALID_AMOUNT})
    @PostMapping("/v2/redemptions/{id}/tokens")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    RewardUnit addToken(@PathVariable UUID id, @Valid @RequestBody RewardUnitBody body) {
        return redemptions.addUnit(id, body.tokenId(), body.amount());
    }

    @Operation(
            operationId = "listRedemptionRewards",
            summary = "List a redemption's rewards",
            description = "The tokens a redeem of it delivers.")
    @GetMapping("/v2/redemptions/{id}/tokens")
    @Allow(Role.PUBLIC)
    List<RewardUnit> tokens(@PathVariable UUID id) {
        return redemptions.find(id, onlyActive()).tokens();
    }

    @Operation(
            operationId = "removeRedemptionReward",
            summary = "Remove a reward from a redemption",
            description = "The redemption no longer delivers that token.")
    @DeleteMapping("/v2/redemptions/{id}/tokens/{unitId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Allow(Role.ADMIN)
    void removeToken(@PathVariable UUID id, @PathVariable UUID unitId) {
        redemptions.removeUnit(id, unitId);
    }

    @Operation(
            operationId = "getRedemptionSupply",
            summary = "Get a redemption's supply left",
            description = "How many redeems of the redemption remain: its total supply less those redeemed (reserved "
                    + "ones included).")
    @GetMapping("/v2/redemptions/{id}/available-supply")
    @Allow(Role.PUBLIC)
    Supply availableSupply(@PathVariable UUID id) {
        return redemptions.supply(id, onlyActive());
    }

    private static boolean onlyActive() {
        return !MANAGERS.contains(CurrentCaller.get().role());
    }
}
