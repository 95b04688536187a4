package io.pers.rekey;

import io.pers.crypto.SecretBox;
import io.pers.ledger.LedgerSealer;
import io.pers.tenant.TenantContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Moves every secret sealed at rest onto the current master key (README "Rotating the master key"):
 * each sealed column is read in batches of rows whose envelope names another key (a prefix
 * comparison in SQL; nothing is decrypted to find them), each value opened and sealed again, and
 * written back only if it is still the value read (compare-and-set, so a secret rotated meanwhile
 * is left alone: it was sealed under the current key anyway). Idempotent: a second run finds
 * nothing; safe beside the running app and beside another run. The ledger checkpoints, signed with a
 * key derived from the master key, are signed again under the current one. A value sealed under a
 * key no longer configured stops the run with an error naming that key id.
 */
@Component
public class Resealing {

    private static final Logger log = LoggerFactory.getLogger(Resealing.class);

    /** Where secrets are sealed. Tenant columns are visited per tenant (row-level security holds). */
    record Column(String table, String column, boolean perTenant) {}

    static final List<Column> COLUMNS = List.of(
            new Column("signing_keys", "private_key_enc", false),
            new Column("idempotency_keys", "response_body_enc", false), // platform callers' rows
            new Column("idempotency_keys", "response_body_enc", true),
            new Column("webhook_subscriptions", "secret_enc", true),
            new Column("webhook_subscriptions", "previous_secret_enc", true),
            new Column("connector_connections", "secret_enc", true),
            new Column("ingest_polling", "credential_enc", true),
            new Column("chain_keys", "seed_enc", true));

    private record Sealed(String ctid, byte[] value) {}

    private final JdbcClient db;
    private final SecretBox box;
    private final LedgerSealer sealer;

    Resealing(JdbcClient db, SecretBox box, LedgerSealer sealer) {
        this.db = db;
        this.box = box;
        this.sealer = sealer;
    }

    /** Re-seals everything under the current key; returns the values re-sealed, by table.column. */
    public Map<String, Integer> resealAll(int batch) {
        Map<String, Integer> moved = new LinkedHashMap<>();
        for (Column column : COLUMNS) {
            if (!column.perTenant()) {
                moved.merge(name(column), TenantContext.callAsPlatform(() -> reseal(column, batch)), Integer::sum);
            }
        }
        int checkpoints = 0;
        for (UUID tenant : tenants()) {
            for (Column column : COLUMNS) {
                if (column.perTenant()) {
                    moved.merge(name(column), TenantContext.callAs(tenant, () -> reseal(column, batch)), Integer::sum);
                }
            }
            checkpoints += TenantContext.callAs(tenant, sealer::resignCheckpoint) ? 1 : 0;
        }
        moved.put("ledger_checkpoints.mac", checkpoints);
        log.info("Re-sealed under master key '{}': {}", box.currentKeyId(), moved);
        return moved;
    }

    /** The key id values are re-sealed under. */
    public String currentKeyId() {
        return box.currentKeyId();
    }

    /** How many sealed values are not under the current key yet, by table.column. */
    public Map<String, Integer> pending() {
        Map<String, Integer> pending = new LinkedHashMap<>();
        for (Column column : COLUMNS) {
            Supplier<Integer> count =
                    () -> db.sql("select count(*) from " + column.table() + " where " + notCurrent(column))
                            .params(box.currentHeader().length, box.currentHeader())
                            .query(Integer.class)
                            .single();
            int n = column.perTenant()
                    ? tenants().stream()
                            .mapToInt(t -> TenantContext.callAs(t, count))
                            .sum()
                    : TenantContext.callAsPlatform(count);
            pending.merge(name(column), n, Integer::sum);
        }
        return pending;
    }

    private int reseal(Column column, int batch) {
        byte[] header = box.currentHeader();
        int moved = 0;
        while (true) {
            List<Sealed> rows = db.sql("select ctid::text, " + column.column() + " from " + column.table() + " where "
                            + notCurrent(column) + " limit ?")
                    .params(header.length, header, batch)
                    .query((rs, i) -> new Sealed(rs.getString(1), rs.getBytes(2)))
                    .list();
            int updated = 0;
            for (Sealed row : rows) {
                updated += db.sql("update " + column.table() + " set " + column.column()
                                + " = ? where ctid = ?::tid and " + column.column() + " = ?")
                        .params(box.reseal(row.value()), row.ctid(), row.value())
                        .update();
            }
            moved += updated;
            // A short batch was the last; one where nothing could be written is left to the next run.
            if (rows.size() < batch || updated == 0) {
                return moved;
            }
        }
    }

    private static String notCurrent(Column column) {
        return column.column() + " is not null and substring(" + column.column() + " from 1 for ?) <> ?"
                + (column.table().equals("idempotency_keys") && !column.perTenant() ? " and tenant_id is null" : "");
    }

    private List<UUID> tenants() {
        return TenantContext.callAsPlatform(() ->
                db.sql("select id from tenants order by id").query(UUID.class).list());
    }

    private static String name(Column column) {
        return column.table() + "." + column.column();
    }
}
