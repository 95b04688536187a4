package io.pers.campaign;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.api.Role;
import io.pers.campaign.CampaignPartsController.TokenUnitBody;
import io.pers.campaign.Campaigns.Campaign;
import io.pers.campaign.Campaigns.Details;
import io.pers.campaign.Campaigns.Filter;
import io.pers.campaign.Campaigns.Flag;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
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

@RestController
class CampaignController {

    /** Create and update share one shape; fields left out of an update keep their value. */
    record CampaignBody(
            @Size(min = 1, max = 200) String name,
            @Size(max = 5000) String description,
            OffsetDateTime startDate,
            OffsetDateTime endDate,
            @Pattern(regexp = Inputs.URL) @Size(max = 2000) String imageUrl,
            @Pattern(regexp = Inputs.URL) @Size(max = 2000) String externalUrl,
            Boolean isActive,
            Boolean isTestnet,
            @Size(max = 250) List<@NotNull @Pattern(regexp = CountryRestrictions.RULE) String> countryCodeRestrictions,
            @Size(max = 50) List<@NotNull @Pattern(regexp = Inputs.TAG) String> tags,
            UUID triggerId,
            @Size(max = 20) List<@NotNull UUID> segmentIds,
            @Valid TriggerController.TriggerBody trigger,
            @Size(max = 10) List<@NotNull @Valid TokenUnitBody> tokenUnits) {

        Triggers.Rules triggerRules() {
            return trigger == null ? null : trigger.toRules();
        }

        List<Campaigns.NewUnit> newUnits() {
            return tokenUnits == null
                    ? List.of()
                    : tokenUnits.stream()
                            .map(u -> new Campaigns.NewUnit(u.tokenId(), u.amount(), u.maxAmount()))
                            .toList();
        }

        Details toDetails() {
            return new Details(
                    name,
                    description,
                    startDate,
                    endDate,
                    imageUrl,
                    externalUrl,
                    isActive,
                    isTestnet,
                    countryCodeRestrictions == null
                            ? null
                            : countryCodeRestrictions.stream().distinct().toList(),
                    Inputs.tags(tags),
                    triggerId,
                    segmentIds == null ? null : segmentIds.stream().distinct().toList());
        }
    }

    record TagsBody(@NotEmpty @Size(max = 50) List<@NotNull @Pattern(regexp = Inputs.TAG) String> tags) {}

    private static final Map<String, String> SORTABLE =
            Map.of("createdAt", "c.created_at", "name", "c.name", "startDate", "c.start_date");

    private final Campaigns campaigns;

    CampaignController(Campaigns campaigns) {
        this.campaigns = campaigns;
    }

    @Operation(
            operationId = "createCampaign",
            summary = "Create a campaign",
            description = "Creates a campaign: `name` (required), a window (`startDate`, `endDate`), who may claim "
                    + "(`triggerId`, an existing campaign trigger; or `trigger`, the rules of a new one as `POST "
                    + "/v2/campaign-triggers` takes them, named after the campaign unless named), target "
                    + "`segmentIds`, country restrictions, tags, and what a claim mints (`tokenUnits`, each as `POST "
                    + "/v2/campaigns/{id}/token-units` takes it). All in one transaction: when any part is "
                    + "refused nothing is made, and the problem's `errors` (or `field`) names the part.")
    @Fails({ErrorCode.INVALID_EXPRESSION, ErrorCode.INVALID_AMOUNT, ErrorCode.ALREADY_EXISTS})
    @PostMapping("/v2/campaigns")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Campaign create(@Valid @RequestBody CampaignBody body) {
        if (body.name() == null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "name is required").with("field", "name");
        }
        return campaigns.create(body.toDetails(), body.triggerRules(), body.newUnits());
    }

    /**
     * Open with the project key alone; only admins and systems see inactive or ended campaigns,
     * and a campaign targeting segments only their members (and staff) see.
     */
    @Operation(
            operationId = "listCampaigns",
            summary = "List campaigns",
            description = "The tenant's campaigns, filterable and paged. Open with the project key alone; only admins "
                    + "and systems see inactive or ended campaigns, and a campaign targeting segments is visible "
                    + "only to their members (and staff).")
    @GetMapping("/v2/campaigns")
    @Allow(Role.PUBLIC)
    Page<Campaign> list(
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) Boolean active,
            @RequestParam(required = false) String tag,
            @RequestParam(required = false) UUID businessId) {
        return campaigns.list(
                new Filter(
                        active,
                        tag,
                        businessId,
                        Campaigns.onlyLiveFor(CurrentCaller.get()),
                        campaigns.audienceOf(CurrentCaller.get())),
                PageQuery.of(page, size, sort, SORTABLE));
    }

    @Operation(
            operationId = "listCampaignTags",
            summary = "List campaign tags",
            description = "Every tag used by the tenant's campaigns.")
    @GetMapping("/v2/campaigns/tags")
    @Allow({Role.ADMIN, Role.SYSTEM})
    List<String> tags() {
        return campaigns.uniqueTags();
    }

    @Operation(
            operationId = "getCampaign",
            summary = "Get a campaign",
            description = "One campaign with its token units and trigger; visibility as for the list.")
    @GetMapping("/v2/campaigns/{id}")
    @Allow(Role.PUBLIC)
    Campaign get(@PathVariable UUID id) {
        return campaigns.findFor(id, CurrentCaller.get());
    }

    @Operation(
            operationId = "updateCampaign",
            summary = "Update a campaign",
            description = "Changes a campaign; fields left out keep their value. `trigger` changes the rules of the "
                    + "campaign's trigger (every campaign sharing it follows; a campaign without one gets a new one), "
                    + "`tokenUnits` adds units of tokens it has none of yet. All in one transaction: when any part "
                    + "is refused nothing changes, and the problem's `errors` (or `field`) names the part.")
    @Fails({ErrorCode.INVALID_EXPRESSION, ErrorCode.INVALID_AMOUNT, ErrorCode.ALREADY_EXISTS})
    @PatchMapping("/v2/campaigns/{id}")
    @Allow(Role.ADMIN)
    Campaign update(@PathVariable UUID id, @Valid @RequestBody CampaignBody body) {
        return campaigns.update(id, body.toDetails(), body.triggerRules(), body.newUnits());
    }

    @Operation(
            operationId = "toggleCampaignActive",
            summary = "Activate or deactivate a campaign",
            description = "Flips whether the campaign is active; an inactive campaign rejects claims with "
                    + "`CAMPAIGN_INACTIVE`.")
    @PostMapping("/v2/campaigns/{id}/toggle-active")
    @Allow(Role.ADMIN)
    Campaign toggleActive(@PathVariable UUID id) {
        return campaigns.toggle(id, Flag.ACTIVE);
    }

    @Operation(
            operationId = "toggleCampaignTestnet",
            summary = "Move a campaign between testnet and mainnet",
            description = "Flips whether the campaign's claims settle on a test chain.")
    @PostMapping("/v2/campaigns/{id}/toggle-testnet")
    @Allow(Role.ADMIN)
    Campaign toggleTestnet(@PathVariable UUID id) {
        return campaigns.toggle(id, Flag.TESTNET);
    }

    @Operation(
            operationId = "addCampaignTags",
            summary = "Tag a campaign",
            description = "Adds tags to the campaign (duplicates ignored) and answers it.")
    @PostMapping("/v2/campaigns/{id}/tags")
    @Allow(Role.ADMIN)
    Campaign addTags(@PathVariable UUID id, @Valid @RequestBody TagsBody body) {
        return campaigns.addTags(id, Inputs.tags(body.tags()));
    }

    @Operation(
            operationId = "removeCampaignTag",
            summary = "Untag a campaign",
            description = "Removes one tag from the campaign and answers it.")
    @DeleteMapping("/v2/campaigns/{id}/tags/{tag}")
    @Allow(Role.ADMIN)
    Campaign removeTag(@PathVariable UUID id, @PathVariable String tag) {
        return campaigns.removeTag(id, Inputs.tags(List.of(tag)).get(0));
    }
}
