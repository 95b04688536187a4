package io.pers.segment;

import io.pers.api.Allow;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Role;
import io.pers.segment.Segments.Details;
import io.pers.segment.Segments.Population;
import io.pers.segment.Segments.Segment;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
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

@RestController
class SegmentController {

    /** Create and update share one shape; fields left out of an update keep their value. */
    record SegmentBody(
            @Size(min = 1, max = 200) String name,
            @Size(max = 2000) String description,
            @Size(min = 1, max = 4000) String expression) {
        Details toDetails() {
            return new Details(name, description, expression);
        }
    }

    private final Segments segments;

    SegmentController(Segments segments) {
        this.segments = segments;
    }

    @Operation(
            operationId = "createSegment",
            summary = "Create a segment",
            description = "Creates a segment: the users for whom a CEL `expression` over `user` holds, with the"
                    + " profile (`email`, `externalId`, `firstName`, `lastName`, `customData`), `user.tier` (the"
                    + " status tier's name, \"\" without one) and `user.activity` (`claims` that minted, completed"
                    + " `redeems`). Membership is evaluated when asked, never stored. Campaigns can target segments.")
    @Fails({ErrorCode.INVALID_EXPRESSION})
    @PostMapping("/v2/segments")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Segment create(@Valid @RequestBody SegmentBody body) {
        return segments.create(body.toDetails());
    }

    @Operation(
            operationId = "listSegments",
            summary = "List segments",
            description = "The tenant's segments with their expressions.")
    @GetMapping("/v2/segments")
    @Allow({Role.ADMIN, Role.SYSTEM})
    List<Segment> list() {
        return segments.list();
    }

    @Operation(operationId = "getSegment", summary = "Get a segment", description = "One segment with its expression.")
    @GetMapping("/v2/segments/{id}")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Segment get(@PathVariable UUID id) {
        return segments.find(id);
    }

    @Operation(
            operationId = "updateSegment",
            summary = "Update a segment",
            description = "Changes a segment's name, description or expression; fields left out keep their value.")
    @Fails({ErrorCode.INVALID_EXPRESSION})
    @PatchMapping("/v2/segments/{id}")
    @Allow(Role.ADMIN)
    Segment update(@PathVariable UUID id, @Valid @RequestBody SegmentBody body) {
        return segments.update(id, body.toDetails());
    }

    @Operation(
            operationId = "deleteSegment",
            summary = "Delete a segment",
            description = "Deletes a segment no campaign targets; one still targeted is refused with 409 "
                    + "`CONFLICT_IN_USE`.")
    @Fails({ErrorCode.CONFLICT_IN_USE})
    @DeleteMapping("/v2/segments/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Allow(Role.ADMIN)
    void delete(@PathVariable UUID id) {
        segments.delete(id);
    }

    /** Evaluated over every user now; see {@link Segments#size} for how far that scales. */
    @Operation(
            operationId = "getSegmentSize",
            summary = "Count a segment's users now",
            description = "Evaluates the segment's expression over every user of the tenant now and answers how many it"
                    + " holds for: a point in time, not stored.")
    @GetMapping("/v2/segments/{id}/size")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Population size(@PathVariable UUID id) {
        return segments.size(id);
    }
}
