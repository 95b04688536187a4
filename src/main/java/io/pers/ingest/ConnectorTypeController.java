package io.pers.ingest;

import io.pers.api.Allow;
import io.pers.api.Role;
import io.pers.ingest.ConnectorTypes.ConnectorType;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The connectors a connection can be made for: those of connectors/ this instance loaded, each as
 * its connector.yaml declares it, with the fields {@code POST /v2/connectors} takes for it.
 */
@RestController
class ConnectorTypeController {

    private final ConnectorTypes types;

    ConnectorTypeController(ConnectorTypes types) {
        this.types = types;
    }

    @Operation(
            operationId = "listConnectorTypes",
            summary = "List the connectors",
            description = "Every connector this instance runs (a folder of `connectors/`, packaged or from "
                    + "`pers.config-dir`), by name, as its `connector.yaml` declares it: `title`, `description`, "
                    + "`kind` (`WEBHOOK`: the system delivers signed webhooks; `POLLED`: PERS reads its API), how it "
                    + "signs (`signature`: the header, algorithm, encoding and secret format) or how it is read "
                    + "(`polling`), the `fields` a connection of it takes (`POST /v2/connectors`: name, label, "
                    + "type, required, hint), its `events` (the system's events and the canonical types they "
                    + "become), and its `samples`, which `POST /v2/trigger-mappings/simulate` takes as "
                    + "`<name>/<sample>`.")
    @GetMapping("/v2/connector-types")
    @Allow(Role.ADMIN)
    List<ConnectorType> list() {
        return types.list();
    }

    @Operation(
            operationId = "getConnectorType",
            summary = "Get a connector",
            description = "One connector this instance runs, as in the list; 404 `NOT_FOUND` for a name no folder of"
                    + " `connectors/` loaded.")
    @GetMapping("/v2/connector-types/{name}")
    @Allow(Role.ADMIN)
    ConnectorType get(@PathVariable String name) {
        return types.find(name);
    }
}
