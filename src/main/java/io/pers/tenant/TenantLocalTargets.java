package io.pers.tenant;

import io.pers.outbound.LocalTargets;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A tenant's opt-in to local targets, honoured only while {@code pers.outbound.local-targets-opt-in}
 * is on (local development; off in production). Read from the row on each ask, so switching it off
 * takes effect at once; asked only for addresses in a local block.
 */
@Component
class TenantLocalTargets implements LocalTargets {

    private final boolean optInAllowed;
    private final JdbcClient db;

    TenantLocalTargets(@Value("${pers.outbound.local-targets-opt-in:false}") boolean optInAllowed, JdbcClient db) {
        this.optInAllowed = optInAllowed;
        this.db = db;
    }

    boolean optInAllowed() {
        return optInAllowed;
    }

    @Override
    public boolean allowedForCurrentTenant() {
        UUID tenantId = TenantContext.tenantId();
        return optInAllowed
                && tenantId != null
                && db.sql("select local_targets from tenants where id = ?")
                        .param(tenantId)
                        .query(Boolean.class)
                        .optional()
                        .orElse(false);
    }
}
