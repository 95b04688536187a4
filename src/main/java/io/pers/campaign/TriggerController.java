package io.pers.campaign;

import io.pers.api.Allow;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.api.Role;
import io.pers.campaign.Campaigns.Campaign;
import io.pers.campaign.ClaimTerms.TriggerType;
import io.pers.campaign.Triggers.Location;
import io.pers.campaign.Triggers.Rules;
import io.pers.campaign.Triggers.Trigger;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class TriggerController {

    record LocationBody(
            @NotNull @DecimalMin("-90") @DecimalMax("90") Double latitude,
            @NotNull @DecimalMin("-180") @DecimalMax("180") Double longitude) {}

    /** Create and update share one shape; fields left out of an update keep their value. */
    record TriggerBody(
            @Size(min = 1, max = 200) String name,
            TriggerType triggerType,
            @Min(1) Integer maxPerUser,
            @Min(1) Integer maxPerDay,
            @Min(1) Integer minCooldownSeconds,
            @Min(1) Integer maxGeoDistanceInMeters,
            @Valid LocationBody location,

            @Size(max = 4)
            List<@NotNull @Pattern(regexp = "email|firstName|lastName|externalId") String> requiredUserInfo,

            @Min(1) @Max(1000) Integer maxMultiplier,
            @Size(max = 20) List<@NotBlank @Size(max = 2000) String> conditions) {
        Rules toRules() {
            return new Rules(
                    name,
                    triggerType,
                    maxPerUser,
                    maxPerDay,
                    minCooldownSeconds,
                    maxGeoDistanceInMeters,
                    location == null ? null : new Location(location.latitude(), location.longitude()),
                    requiredUserInfo == null
                            ? null
                            : requiredUserInfo.stream().distinct().toList(),
                    maxMultiplier,
                    conditions);
        }
    }

    private static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at", "name", "name");

    private final Triggers triggers;
    private final Campaigns campaigns;

    TriggerController(Triggers triggers, Campaigns campaigns) {
        this.triggers = triggers;
        this.campaigns = campaigns;
    }

    @Operation(
            operationId = "createCampaignTrigger",
            summary = "Create a campaign trigger",
            description = "The rules that decide who may claim a campaign: `triggerType` says which callers may claim "
                    + "(e.g. `CLAIM_BY_SYSTEM` for connectors and systems, `CLAIM_BY_USER`, `CLAIM_BY_BUSINESS`), "
                    + "with limits per user, per day, a cooldown, a location and distance, required profile fields,"
                    + " CEL `conditions`, and `maxMultiplier` (1-1000, default 1): the largest multiplier a claim "
                    + "may carry. `name` and `triggerType` are required. A campaign names its trigger by "
                    + "`triggerId`.")
    @Fails({ErrorCode.INVALID_EXPRESSION})
    @PostMapping("/v2/campaign-triggers")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Trigger create(@Valid @RequestBody TriggerBody body) {
        if (body.name() == null || body.triggerType() == null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "name and triggerType are required");
        }
        return triggers.create(body.toRules());
    }

    @Operation(
            operationId = "listCampaignTriggers",
            summary = "List campaign triggers",
            description = "The tenant's campaign triggers with their rules.")
    @GetMapping("/v2/campaign-triggers")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Page<Trigger> list(
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        return triggers.list(PageQuery.of(page, size, sort, SORTABLE));
    }

    @Operation(
            operationId = "getCampaignTrigger",
            summary = "Get a campaign trigger",
            description = "One campaign trigger with its rules.")
    @GetMapping("/v2/campaign-triggers/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Trigger get(@PathVariable UUID id) {
        return triggers.find(id);
    }

    @Operation(
            operationId = "updateCampaignTrigger",
            summary = "Update a campaign trigger",
            description = "Changes a trigger's rules; fields left out keep their value. Every campaign using the "
                    + "trigger follows at once.")
    @Fails({ErrorCode.INVALID_EXPRESSION})
    @PatchMapping("/v2/campaign-triggers/{id}")
    @Allow(Role.ADMIN)
    Trigger update(@PathVariable UUID id, @Valid @RequestBody TriggerBody body) {
        return triggers.update(id, body.toRules());
    }

    /** The same as {@code PATCH /v2/campaigns/{campaignId}} with this triggerId. */
    @Operation(
            operationId = "assignCampaignTrigger",
            summary = "Set a campaign's trigger",
            description = "Makes this trigger the campaign's (the same as `PATCH /v2/campaigns/{campaignId}` with this "
                    + "`triggerId`) and answers the campaign.")
    @PostMapping("/v2/campaign-triggers/{id}/campaigns/{campaignId}")
    @Allow(Role.ADMIN)
    Campaign assign(@PathVariable UUID id, @PathVariable UUID campaignId) {
        return campaigns.assignTrigger(campaignId, id);
    }
}
