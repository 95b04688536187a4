package io.pers.ingest;

import io.pers.api.Allow;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Role;
import io.pers.ingest.TriggerMappings.Action;
import io.pers.ingest.TriggerMappings.Mapping;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * What marketing ops configure: connector events to campaigns (CLAIM: an order paid earns;
 * REVERSE: a refund takes back what its order earned), and a dry run on a sample event.
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
            Boolean active) {}

    record SimulateBody(@NotNull Map<String, Object> event) {}

    record Simulation(List<TriggerMatching.Verdict> mappings) {}

    /** Stored events received in [from, to); {@code apply} false (the default) only reports. */
    record BackfillBody(
            @NotNull OffsetDateTime from, @NotNull OffsetDateTime to, Boolean apply) {}

    private final TriggerMatching matching;
    private final Backfill backfill;

    TriggerMappingController(TriggerMatching matching, Backfill backfill) {
        this.matching = matching;
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
        return matching.create(new Mapping(
                UUID.randomUUID(),
                body.source(),
                body.eventType(),
                body.action() == null ? Action.CLAIM : body.action(),
                blankAsNull(body.condition()),
                body.multiplier() == null || body.multiplier().isBlank() ? "1" : body.multiplier(),
                blankAsNull(body.reference()),
                blankAsNull(body.amount()),
                body.campaignId(),
                body.active() == null || body.active(),
                null));
    }

    @Operation(
            operationId = "listTriggerMappings",
            summary = "List trigger mappings",
            description = "The tenant's trigger mappings with their expressions and whether each is active.")
    @GetMapping("/v2/trigger-mappings")
    @Allow(Role.ADMIN)
    List<Mapping> list() {
        return matching.list();
    }

    /** Which mappings the event fires, with which multiplier; mints nothing. */
    @Operation(
            operationId = "simulateTriggerMappings",
            summary = "Dry-run the mappings on an event",
            description = "Runs the tenant's active mappings on a sample canonical `event` (CloudEvents 1.0, as the "
                    + "connector's mapping makes it) and answers, per mapping, whether it matched and with which "
                    + "multiplier, or why not. Mints nothing and stores nothing.")
    @PostMapping("/v2/trigger-mappings/simulate")
    @Allow(Role.ADMIN)
    Simulation simulate(@Valid @RequestBody SimulateBody body) {
        return new Simulation(matching.simulate(body.event()));
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
}
