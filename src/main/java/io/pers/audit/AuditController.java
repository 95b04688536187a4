package io.pers.audit;

import io.pers.api.Allow;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.Role;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log of admin actions: a tenant's admins read their tenant's, the platform every one. */
@RestController
class AuditController {

    private static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at");

    private final AuditLog auditLog;

    AuditController(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @Operation(
            operationId = "listAuditLog",
            summary = "List the audit log",
            description = "Admin actions made through the API, newest first by default: who (`actorId`), method, path, "
                    + "status, correlation id and redacted bodies. A tenant's admins see their tenant's entries, "
                    + "the platform admin every tenant's. Filters: `actorId`, `method`, `path`, the `from`/`to` "
                    + "instants; paged (`page`, `size`, `sort=createdAt,desc`).")
    @GetMapping("/v2/audit-log")
    @Allow({Role.ADMIN, Role.PLATFORM})
    Page<AuditLog.Entry> list(
            @RequestParam(required = false) UUID actorId,
            @RequestParam(required = false) String method,
            @RequestParam(required = false) String path,
            @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        return auditLog.list(
                new AuditLog.Filter(actorId, method, path, from, to), PageQuery.of(page, size, sort, SORTABLE));
    }
}
