package io.pers.ingest;

import io.pers.api.Allow;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Role;
import io.pers.ingest.TriggerMappings.Action;
import io.pers.ingest.TriggerMappings.Mapping;
import io.pers.ingest.TriggerMappings.Rule;
import io.pers.ingest.TriggerMappings.Version;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * What marketing ops configure: connector events to campaigns (CLAIM: an order paid earns;
 * REVERSE: a refund takes back what its order earned); each mapping read, changed, switched off
 * or deleted, every change a new version; and a dry run of the live mappings or a draft over an
 * event, a connector's sample or a connection's last events.
 */
@RestController
class TriggerMappingController {

    record MappingBody(
            @NotBlank @Size(max = 100) String source,
            @NotBlank @Size(max = 200) String eventType,
            Action action,
            @Size(max = 2000) String condition,
            @Size(max = 2000) String multiplier,
            @Size(max = 2000) String reference,
            @Size(max = 2000) String amount,
            @NotNull UUID campaignId,
            Boolean active) {

        Rule rule() {
            return new Rule(
                    source,
                    eventType,
                    action == null ? Action.CLAIM : action,
                    blankAsNull(condition),
                    multiplierOrOne(multiplier),
                    blankAsNull(reference),
                    blankAsNull(amount),
                    campaignId,
                    active == null || active);
        }
    }

    /**
     * A change: a field left out stays as it is; an optional expression sent blank is removed (a
     * blank multiplier is 1, as at creation). {@code active} false switches the mapping off.
     */
    record MappingPatch(
            @Size(min = 1, max = 100) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
            String source,

            @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
            String eventType,

            Action action,
            @Size(max = 2000) String condition,
            @Size(max = 2000) String multiplier,
            @Size(max = 2000) String reference,
            @Size(max = 2000) String amount,
            UUID campaignId,
            Boolean active) {

        Rule applyTo(Rule live) {
            return new Rule(
                    source == null ? live.source() : source,
                    eventType == null ? live.eventType() : eventType,
                    action == null ? live.action() : action,
                    condition == null ? live.condition() : blankAsNull(condition),
                    multiplier == null ? live.multiplier() : multiplierOrOne(multiplier),
                    reference == null ? live.reference() : blankAsNull(reference),
                    amount == null ? live.amount() : blankAsNull(amount),
                    campaignId == null ? live.campaignId() : campaignId,
                    active == null ? live.active() : active);
        }
    }

    /**
     * Exactly one of {@code event} (a canonical trigger), {@code sample} ({@code <connector>/<name>},
     * a file of connectors/&lt;connector&gt;/samples/) and {@code connectionId} (its {@code last}
     * stored events, 10 unless said, at most 100). {@code mapping}: a draft judged instead of the
     * live mappings, checked as a save would check it.
     */
    record SimulateBody(
            Map<String, Object> event,
            @Size(max = 200) String sample,
            UUID connectionId,
            @Min(1) @Max(TriggerSimulator.MAX_EVENTS) Integer last,
            @Valid MappingBody mapping) {}

    /** Stored events received in [from, to); {@code apply} false (the default) only reports. */
    record BackfillBody(
            @NotNull OffsetDateTime from, @NotNull OffsetDateTime to, Boolean apply) {}

    private final TriggerMappingLifecycle lifecycle;
    private final TriggerSimulator simulator;
    private final Backfill backfill;

    TriggerMappingController(TriggerMappingLifecycle lifecycle, TriggerSimulator simulator, Backfill backfill) {
        this.lifecycle = lifecycle;
        this.simulator = simulator;
        this.backfill = backfill;
    }

    @Operation(
            operationId = "createTriggerMapping",
            summary = "Map connector events to a campaign",
            description = "What marketing ops configure: events of a `source` connector and `eventType` (e.g. `shopify`"
                    + " `orders/paid`) claim the campaign (`action` `CLAIM`, the default) or take back what their "
                    + "order earned (`REVERSE`, for refunds). CEL expressions over the event (`event.data...`): "
                    + "`condition` (when it fires), `multiplier` (how many token units a claim mints; default `1`, "
                    + "at most the campaign trigger's `maxMultiplier`), `reference` (the order a refund points at),"
                    + " `amount`. Expressions are checked when the mapping is created.")
    @Fails({ErrorCode.INVALID_EXPRESSION})
    @PostMapping("/v2/trigger-mappings")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Mapping create(@Valid @RequestBody MappingBody body) {
        return lifecycle.create(body.rule());
    }

    @Operation(
            operationId = "listTriggerMappings",
            summary = "List trigger mappings",
            description = "The tenant's trigger mappings that are not deleted, newest first, each with its live "
                    + "`version`, its expressions and whether it is active.")
    @GetMapping("/v2/trigger-mappings")
    @Allow(Role.ADMIN)
    List<Mapping> list() {
        return lifecycle.list();
    }

    @Operation(
            operationId = "getTriggerMapping",
            summary = "Read a trigger mapping",
            description = "A mapping as it is live (its `version` is the one the next event is judged by), or as it "
                    + "was when deleted (`deletedAt` set).")
    @GetMapping("/v2/trigger-mappings/{id}")
    @Allow(Role.ADMIN)
    Mapping get(@PathVariable UUID id) {
        return lifecycle.find(id);
    }

    @Operation(
            operationId = "updateTriggerMapping",
            summary = "Change a trigger mapping (a new version)",
            description = "A field left out stays as it is; an optional expression sent blank is removed (a blank "
                    + "`multiplier` is 1). `active: false` switches the mapping off, `true` on again. The result is "
                    + "checked exactly as a new mapping is and becomes the mapping's next version, live for the next "
                    + "event; claims record the version that decided them. A change that changes nothing makes no "
                    + "version. A deleted mapping cannot be changed (404).")
    @Fails({ErrorCode.INVALID_EXPRESSION})
    @PatchMapping("/v2/trigger-mappings/{id}")
    @Allow(Role.ADMIN)
    Mapping update(@PathVariable UUID id, @Valid @RequestBody MappingPatch patch) {
        return lifecycle.update(id, patch::applyTo);
    }

    @Operation(
            operationId = "deleteTriggerMapping",
            summary = "Delete (archive) a trigger mapping",
            description = "The mapping fires no more, for good; its deletion is recorded as a last version. It and "
                    + "its versions stay readable, since claims and reversals name the version that decided them.")
    @DeleteMapping("/v2/trigger-mappings/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Allow(Role.ADMIN)
    void delete(@PathVariable UUID id) {
        lifecycle.delete(id);
    }

    @Operation(
            operationId = "listTriggerMappingVersions",
            summary = "A trigger mapping's versions",
            description = "Every version of the mapping, newest first: the rule as it was, whether it is the "
                    + "deletion, who made it (`createdBy`) and when.")
    @GetMapping("/v2/trigger-mappings/{id}/versions")
    @Allow(Role.ADMIN)
    List<Version> versions(@PathVariable UUID id) {
        return lifecycle.versions(id);
    }

    @Operation(
            operationId = "simulateTriggerMappings",
            summary = "Dry-run the mappings, or a draft, on events",
            description = "Exactly one source of events: `event` (a canonical trigger, CloudEvents 1.0 as a "
                    + "connector's mapping makes it), `sample` (`<connector>/<name>`, a file of the connector's "
                    + "samples, mapped as a real delivery would be) or `connectionId` with `last` (its last stored "
                    + "events, 10 unless said, at most 100). With `mapping`, that draft is checked as a save would "
                    + "check it and judged instead of the live mappings. Answers per event whether it fires, each "
                    + "mapping's verdict, and the reason when nothing fires. Claims nothing, stores nothing.")
    @Fails({ErrorCode.INVALID_EXPRESSION})
    @PostMapping("/v2/trigger-mappings/simulate")
    @Allow(Role.ADMIN)
    TriggerSimulator.Simulation simulate(@Valid @RequestBody SimulateBody body) {
        Rule draft = null;
        if (body.mapping() != null) {
            draft = body.mapping().rule();
            lifecycle.validate(draft);
        }
        return simulator.run(
                new TriggerSimulator.Events(body.event(), body.sample(), body.connectionId(), body.last()), draft);
    }

    /**
     * Re-feeds stored events through the current mappings: what would be claimed or reversed that
     * was not, and with {@code apply} starts it (idempotently; at most 1000 events per call).
     */
    @Operation(
            operationId = "backfillTriggerMappings",
            summary = "Re-feed stored events through the mappings",
            description = "Runs the events received in [`from`, `to`) through the current mappings and reports what "
                    + "would be claimed or reversed that was not. With `apply: true` it also starts those claims "
                    + "and reversals (idempotently: each event claims at most once); at most 1000 events per call.")
    @PostMapping("/v2/trigger-mappings/backfill")
    @Allow(Role.ADMIN)
    Backfill.Report backfill(@Valid @RequestBody BackfillBody body) {
        return backfill.run(body.from(), body.to(), Boolean.TRUE.equals(body.apply()));
    }

    private static String blankAsNull(String expression) {
        return expression == null || expression.isBlank() ? null : expression;
    }

    private static String multiplierOrOne(String multiplier) {
        return multiplier == null || multiplier.isBlank() ? "1" : multiplier;
    }
}
