package io.pers.ingest;

import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Unauthenticated;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where source systems deliver. No PERS credential: the connector's own signature is the
 * authentication, checked by its route. Answers only once the event is stored and published.
 */
@RestController
class IngestController {

    private final Ingest ingest;

    IngestController(Ingest ingest) {
        this.ingest = ingest;
    }

    @Operation(
            operationId = "deliverEvent",
            summary = "Deliver a source system's event",
            description = "Where a connected system (Shopify, WooCommerce, Square, a partner's PERS webhook...) "
                    + "delivers. No PERS credential: the connector's own signature header (e.g. "
                    + "`X-Shopify-Hmac-Sha256`) over the raw body is the authentication. The body is the system's "
                    + "own payload, mapped to a canonical CloudEvents trigger and stored before the answer: 202 "
                    + "when stored for matching (or ignored, a topic PERS does not take), 200 for a redelivery of a"
                    + " stored event or the system's ping. Trigger mappings then decide what it claims.")
    @Fails({ErrorCode.INVALID_SIGNATURE, ErrorCode.INVALID_EVENT})
    @PostMapping("/v2/ingest/{connector}/{connectionId}")
    @ApiResponse(responseCode = "200", description = "A redelivery of a stored event, or the system's ping")
    @ApiResponse(
            responseCode = "202",
            description = "Stored for matching (`status` `accepted`, `eventId`, `id`: the ingest event to follow at"
                    + " `GET /v2/ingest-events/{id}`, and `outcome` with `code` and `reason` when already known:"
                    + " `UNMATCHED` `NO_IDENTITY`, `REJECTED` `EVENT_TIME_OUT_OF_RANGE`, else `RECEIVED`), or ignored"
                    + " (a topic PERS does not take)")
    @Unauthenticated
    ResponseEntity<Map<String, Object>> deliver(
            @PathVariable String connector,
            @PathVariable UUID connectionId,
            @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), request.getHeader(name));
        }
        Ingest.Delivery delivery = ingest.deliver(
                connector, connectionId, body == null ? new byte[0] : body, headers, request.getQueryString());
        return ResponseEntity.status(delivery.status()).body(delivery.body());
    }
}
