package io.pers.chain;

import io.pers.tenant.TenantContext;
import java.io.PrintStream;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Reconciliation as a command: {@code --pers.reconcile.chain=<chain id>} (tools/reconcile.sh) prints,
 * for every tenant with a contract on the chain, the differences {@code GET
 * /v2/chains/{id}/reconciliation} lists, one JSON line each, then exits: 0 when there are none,
 * 1 when there are any. Without the property the app runs as usual.
 */
@Component
class ReconcileCommand implements ApplicationRunner {

    private final JdbcClient db;
    private final Reconciliation reconciliation;
    private final ObjectMapper json;
    private final ApplicationContext context;
    private final Long chainId;

    ReconcileCommand(
            JdbcClient db,
            Reconciliation reconciliation,
            ObjectMapper json,
            ApplicationContext context,
            @Value("${pers.reconcile.chain:#{null}}") Long chainId) {
        this.db = db;
        this.reconciliation = reconciliation;
        this.json = json;
        this.context = context;
        this.chainId = chainId;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (chainId == null) {
            return;
        }
        int differences = reconcile(chainId, null, System.out);
        int code = differences == 0 ? 0 : 1;
        System.exit(SpringApplication.exit(context, (ExitCodeGenerator) () -> code));
    }

    /** Prints the differences of every tenant on the chain (or of {@code onlyTenant}); returns how many. */
    int reconcile(long chain, UUID onlyTenant, PrintStream out) {
        List<UUID> tenants = db.sql("""
                        select distinct f.tenant_id from followed_contracts() f
                          join chain_contracts_on(?) c on c = f.contract_id order by 1""").param(chain).query(UUID.class).list();
        int differences = 0;
        for (UUID tenant : tenants) {
            if (onlyTenant != null && !onlyTenant.equals(tenant)) {
                continue;
            }
            Reconciliation.Report report = TenantContext.callAs(tenant, () -> reconciliation.report(chain));
            for (Reconciliation.Difference difference : report.differences()) {
                out.println(json.writeValueAsString(new Line(tenant, difference)));
            }
            differences += report.differences().size();
            out.printf(
                    "tenant %s: %d balances compared, %d differences%n",
                    tenant, report.balancesCompared(), report.differences().size());
        }
        out.printf("chain %d: %d differences%n", chain, differences);
        return differences;
    }

    private record Line(UUID tenantId, Reconciliation.Difference difference) {}
}
