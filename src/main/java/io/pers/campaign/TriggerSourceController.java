package io.pers.campaign;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.campaign.TriggerSources.Details;
import io.pers.campaign.TriggerSources.TriggerSource;
import io.pers.campaign.TriggerSources.Type;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
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
class TriggerSourceController {

    /** Create and update share one shape; fields left out of an update keep their value. */
    record SourceBody(
            Type type,
            @Size(min = 1, max = 200) String name,
            UUID businessId,
            UUID campaignId,
            @Size(max = 50) Map<String, Object> metadata,
            Boolean active) {
        Details toDetails() {
            return new Details(type, name, businessId, campaignId, metadata, active);
        }
    }

    private static final Map<String, String> SORTABLE = Map.of("createdAt", "s.created_at", "name", "s.name");

    private final TriggerSources sources;

    TriggerSourceController(TriggerSources sources) {
        this.sources = sources;
    }

    @Operation(
            operationId = "createTriggerSource",
            summary = "Create a trigger source",
            description =
                    "A place claims come from (`QR_CODE`, `NFC`, `GEOFENCE`, `API_WEBHOOK`, `CONNECTOR`), optionally of a "
                            + "business and for one campaign, with metadata. Claims and analytics name the source.")
    @PostMapping("/v2/trigger-sources")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    TriggerSource create(@Valid @RequestBody SourceBody body) {
        if (body.type() == null) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "type is required");
        }
        return sources.create(body.toDetails());
    }

    /** A business sees its own sources only, whatever businessId it asks for. */
    @Operation(
            operationId = "listTriggerSources",
            summary = "List trigger sources",
            description = "The tenant's trigger sources, filterable by `businessId` and `campaignId`; paged, sortable "
                    + "by `createdAt` or `name`. A business sees its own sources only.")
    @GetMapping("/v2/trigger-sources")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.BUSINESS})
    Page<TriggerSource> list(
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort,
            @RequestParam(required = false) UUID businessId,
            @RequestParam(required = false) UUID campaignId) {
        Principal caller = CurrentCaller.get();
        return sources.list(
                PageQuery.of(page, size, sort, SORTABLE),
                caller.role() == Role.BUSINESS ? caller.businessId() : businessId,
                campaignId);
    }

    @Operation(
            operationId = "getTriggerSource",
            summary = "Get a trigger source",
            description = "One trigger source; a business sees only its own (another's answers 404).")
    @GetMapping("/v2/trigger-sources/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM, Role.BUSINESS})
    TriggerSource get(@PathVariable UUID id) {
        TriggerSource source = sources.find(id);
        Principal caller = CurrentCaller.get();
        if (caller.role() == Role.BUSINESS && !caller.businessId().equals(source.businessId())) {
            throw PersException.notFound("Trigger source");
        }
        return source;
    }

    @Operation(
            operationId = "updateTriggerSource",
            summary = "Update a trigger source",
            description = "Changes a trigger source; fields left out keep their value.")
    @PatchMapping("/v2/trigger-sources/{id}")
    @Allow(Role.ADMIN)
    TriggerSource update(@PathVariable UUID id, @Valid @RequestBody SourceBody body) {
        return sources.update(id, body.toDetails());
    }
}
