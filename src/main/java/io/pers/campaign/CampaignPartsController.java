package io.pers.campaign;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Role;
import io.pers.campaign.Engagements.Engagement;
import io.pers.campaign.Engagements.Terms;
import io.pers.campaign.TokenUnits.TokenUnit;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigInteger;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** A campaign's token units (what it mints, within which budget) and its partner businesses. */
@RestController
class CampaignPartsController {

    record TokenUnitBody(@NotNull UUID tokenId, @NotNull BigInteger amount, BigInteger maxAmount) {}

    record EngagementBody(
            @NotEmpty @Size(max = 200) List<@NotNull UUID> businessIds,
            @Size(max = 500) String shortDescription,
            @Min(1) Integer maxPerBusiness,
            @Min(1) Integer maxPerDay,
            @Pattern(regexp = Inputs.URL) @Size(max = 2000) String externalUrl) {
        Terms toTerms() {
            return new Terms(shortDescription, maxPerBusiness, maxPerDay, externalUrl);
        }
    }

    private final Campaigns campaigns;
    private final TokenUnits tokenUnits;
    private final Engagements engagements;

    CampaignPartsController(Campaigns campaigns, TokenUnits tokenUnits, Engagements engagements) {
        this.campaigns = campaigns;
        this.tokenUnits = tokenUnits;
        this.engagements = engagements;
    }

    @Operation(
            operationId = "addCampaignTokenUnit",
            summary = "Add a token unit to a campaign",
            description = "What a claim of the campaign mints: `amount` of the token per claim (times the claim's "
                    + "multiplier), in base units, within the campaign's budget `maxAmount` of that token (none: no"
                    + " limit).")
    @Fails({ErrorCode.INVALID_AMOUNT})
    @PostMapping("/v2/campaigns/{id}/token-units")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    TokenUnit addTokenUnit(@PathVariable UUID id, @Valid @RequestBody TokenUnitBody body) {
        campaigns.requireExists(id, false);
        return tokenUnits.add(id, body.tokenId(), body.amount(), body.maxAmount());
    }

    @Operation(
            operationId = "removeCampaignTokenUnit",
            summary = "Remove a token unit from a campaign",
            description = "Removes a token unit no claim has minted through yet; one claims have minted through"
                    + " is refused with 409 `CONFLICT_IN_USE`.")
    @Fails({ErrorCode.CONFLICT_IN_USE})
    @DeleteMapping("/v2/campaigns/{id}/token-units/{unitId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Allow(Role.ADMIN)
    void removeTokenUnit(@PathVariable UUID id, @PathVariable UUID unitId) {
        tokenUnits.remove(id, unitId);
    }

    @Operation(
            operationId = "engageBusinesses",
            summary = "Let businesses award a campaign",
            description = "Engages partner businesses with the campaign on shared terms (a short description, claims "
                    + "per business and per day, an external URL), and answers the campaign's engagements. Only "
                    + "engaged businesses may award a campaign that requires them.")
    @PostMapping("/v2/campaigns/{id}/engagements")
    @Allow(Role.ADMIN)
    List<Engagement> engage(@PathVariable UUID id, @Valid @RequestBody EngagementBody body) {
        campaigns.requireExists(id, false);
        return engagements.upsert(id, body.businessIds(), body.toTerms());
    }

    /** As visible as the campaign itself. */
    @Operation(
            operationId = "listCampaignEngagements",
            summary = "List a campaign's businesses",
            description =
                    "The businesses engaged with the campaign and their terms; as visible as the campaign itself.")
    @GetMapping("/v2/campaigns/{id}/engagements")
    @Allow(Role.PUBLIC)
    List<Engagement> engagements(@PathVariable UUID id) {
        campaigns.requireExists(id, Campaigns.onlyLiveFor(CurrentCaller.get()));
        return engagements.list(id);
    }

    @Operation(
            operationId = "disengageBusiness",
            summary = "Stop a business awarding a campaign",
            description = "Ends the business's engagement with the campaign.")
    @DeleteMapping("/v2/campaigns/{id}/engagements/{businessId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Allow(Role.ADMIN)
    void disengage(@PathVariable UUID id, @PathVariable UUID businessId) {
        engagements.remove(id, businessId);
    }
}
