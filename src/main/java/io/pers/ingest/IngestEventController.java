package io.pers.ingest;

import io.pers.api.Allow;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.Role;
import io.pers.ingest.IngestOutcomes.Filter;
import io.pers.ingest.IngestOutcomes.IngestEvent;
import io.pers.ingest.IngestOutcomes.State;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The tenant's ingest events and what became of each: claimed, reversed, rejected or unmatched, and why. */
@RestController
class IngestEventController {

    private static final Map<String, String> SORTABLE =
            Map.of("createdAt", "received_at", "receivedAt", "received_at", "decidedAt", "decided_at");

    private final IngestOutcomes outcomes;

    IngestEventController(IngestOutcomes outcomes) {
        this.outcomes = outcomes;
    }

    @Operation(
            operationId = "listIngestEvents",
            summary = "List ingest events and their outcomes",
            description = "Every event a connector delivered (or a poller fetched), newest first, with what became "
                    + "of it: `RECEIVED` (not judged yet), `CLAIMED` (with `claimId`, `mappingId`, `mappingVersion`),"
                    + " `REVERSED` (a refund's reversal started), `REJECTED` (`code`: the claim's rejection code, "
                    + "e.g. `EVENT_TIME_OUT_OF_RANGE`) or `UNMATCHED` (`code` `NO_IDENTITY`, `NO_ACTIVE_MAPPING` or "
                    + "`NO_MAPPING_FIRED`, and a `reason`). Filter by `connectionId`, `outcome` and `since`.")
    @GetMapping("/v2/ingest-events")
    @Allow(Role.ADMIN)
    Page<IngestEvent> list(
            @RequestParam(required = false) UUID connectionId,
            @RequestParam(required = false) State outcome,
            @RequestParam(required = false) Instant since,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        return outcomes.list(new Filter(connectionId, outcome, since), PageQuery.of(page, size, sort, SORTABLE));
    }

    @Operation(
            operationId = "getIngestEvent",
            summary = "Read an ingest event",
            description = "One ingest event with its outcome and its canonical trigger (`event`) as stored.")
    @GetMapping("/v2/ingest-events/{id}")
    @Allow(Role.ADMIN)
    IngestEvent get(@PathVariable UUID id) {
        return outcomes.find(id);
    }
}
