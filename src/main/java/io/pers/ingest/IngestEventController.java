package io.pers.ingest;

import io.pers.api.Allow;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.Role;
import io.pers.ingest.IngestOutcomes.Filter;
import io.pers.ingest.IngestOutcomes.IngestEvent;
import io.pers.ingest.IngestOutcomes.State;
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

    /** One event with its canonical trigger as stored. */
    @GetMapping("/v2/ingest-events/{id}")
    @Allow(Role.ADMIN)
    IngestEvent get(@PathVariable UUID id) {
        return outcomes.find(id);
    }
}
