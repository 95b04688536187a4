package io.pers.ingest;

import io.pers.api.Allow;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Role;
import io.pers.ingest.ConnectorConnections.Connection;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's connections to source systems: where each delivers and the secret it signs with, or
 * for a polled system (connectors/cloudbeds) the API PERS reads and the credential it reads with.
 */
@RestController
class ConnectorController {

    /**
     * @param connector a folder of connectors/, e.g. {@code shopify} or {@code pers-webhook}
     * @param signingSecret the secret the source system already signs with (Shopify: the app's client
     *     secret); omitted, PERS makes one
     * @param baseUrl a polled connector's API, e.g. {@code https://api.cloudbeds.com/api/v1.2}
     * @param accountId the account within it (Cloudbeds: the property id)
     * @param credential the API key PERS reads with: stored encrypted, never shown again
     */
    record ConnectionBody(
            @NotBlank @Size(max = 100) String connector,
            @Size(max = 500) String description,
            @Size(min = 16, max = 500) String signingSecret,
            @Size(max = 500) String baseUrl,
            @Size(max = 200) String accountId,
            @Size(min = 8, max = 2000) String credential) {

        PollingConnections.Target pollingTarget() {
            return baseUrl == null && accountId == null && credential == null
                    ? null
                    : new PollingConnections.Target(baseUrl, accountId, credential);
        }
    }

    /** What may change on a connection; a field left out stays as it is. */
    record ConnectionPatch(
            Boolean active,
            @Size(max = 500) String description,
            @Size(min = 16, max = 500) String signingSecret) {}

    private final Ingest ingest;

    ConnectorController(Ingest ingest) {
        this.ingest = ingest;
    }

    /** The ingest URL, and the signing secret shown this once (neither for a polled connector). */
    @Operation(
            operationId = "createConnection",
            summary = "Connect a source system",
            description = "Creates a connection of a connector of `connectors/` (e.g. `shopify`, `woocommerce`, "
                    + "`square`, `pers-webhook`; or a polled one such as `cloudbeds` with `baseUrl`, `accountId` "
                    + "and `credential`); `GET /v2/connector-types` lists the connectors with the fields each "
                    + "one's connection takes. For a pushing system it answers the ingest URL to configure in that "
                    + "system and the signing secret: the one sent (the secret the system already signs with, e.g. "
                    + "Shopify's app client secret), or one PERS made, shown this once. A polled system's "
                    + "credential is stored encrypted and never shown again.")
    @Fails({ErrorCode.OUTBOUND_TARGET_REFUSED})
    @PostMapping("/v2/connectors")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Ingest.NewConnection create(@Valid @RequestBody ConnectionBody body) {
        return ingest.connect(body.connector(), body.description(), body.signingSecret(), body.pollingTarget());
    }

    /**
     * Deactivates (deliveries refused with 401, polling stops) or reactivates a connection, or
     * sets the secret its system signs with now (never shown back).
     */
    @Operation(
            operationId = "updateConnection",
            summary = "Update a connection",
            description = "Deactivates a connection (its deliveries are refused with 401, polling stops) or reactivates"
                    + " it, changes its description, or sets the secret its system signs with now (never shown "
                    + "back). Fields left out stay as they are.")
    @PatchMapping("/v2/connectors/{id}")
    @Allow(Role.ADMIN)
    Connection update(@PathVariable UUID id, @Valid @RequestBody ConnectionPatch patch) {
        return ingest.update(id, patch.active(), patch.description(), patch.signingSecret());
    }

    @Operation(
            operationId = "listConnections",
            summary = "List connections",
            description = "The tenant's connections to source systems, without their secrets.")
    @GetMapping("/v2/connectors")
    @Allow(Role.ADMIN)
    List<Connection> list() {
        return ingest.connections();
    }
}
