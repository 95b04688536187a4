package io.pers.rekey;

import io.pers.api.Allow;
import io.pers.api.Role;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The re-seal command's work on demand, for the platform admin (README "Rotating the master key"):
 * every secret at rest sealed again under the current master key. Idempotent; for very large
 * tables prefer the command, which runs outside any request's timeout.
 */
@RestController
class ResealController {

    /** Values re-sealed per table.column, and how many are still under another key (0 when done). */
    record Resealed(String currentKeyId, Map<String, Integer> resealed, Map<String, Integer> remaining) {}

    private final Resealing resealing;
    private final int batch;

    ResealController(Resealing resealing, @Value("${pers.secrets.reseal-batch:200}") int batch) {
        this.resealing = resealing;
        this.batch = batch;
    }

    @Operation(
            operationId = "resealSecrets",
            summary = "Re-seal stored secrets under the current master key",
            description = "Seals every secret at rest (webhook and connector secrets, stored idempotent answers, ...) "
                    + "again under the current master key, in batches, and answers how many values were re-sealed "
                    + "per table column and how many are still under another key (0 everywhere when done). "
                    + "Idempotent; for very large tables prefer the command line re-seal, which runs outside a "
                    + "request's timeout.")
    @PostMapping("/v2/secrets/reseal")
    @Allow(Role.PLATFORM)
    Resealed reseal() {
        Map<String, Integer> moved = resealing.resealAll(batch);
        return new Resealed(resealing.currentKeyId(), moved, resealing.pending());
    }
}
