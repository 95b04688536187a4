package io.pers.tenant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Tells PostgreSQL, on every connection handed out, which tenant the thread works for. Pooled
 * connections keep session settings, so a connection never carries the previous borrower's
 * tenant: the setting is written on checkout, the empty one included, unless this very server
 * session already holds exactly that scope. That skip saves a round trip on most checkouts (a
 * claim takes dozens), and is safe because this class is the only writer of the two settings and
 * writes them only in autocommit, where no rollback can undo what it remembers.
 */
public class TenantScopedDataSource extends DelegatingDataSource implements AutoCloseable {

    private static final String SET_SCOPE =
            "select set_config('pers.tenant_id', ?, false), set_config('pers.platform', ?, false)";

    /** The scope each server session (keyed by its physical connection) was last given. */
    private final Map<PGConnection, String> scopes = Collections.synchronizedMap(new WeakHashMap<>());

    public TenantScopedDataSource(DataSource target) {
        super(target);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return scoped(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return scoped(super.getConnection(username, password));
    }

    /** Closes the pool behind, if it is one. */
    @Override
    public void close() throws Exception {
        if (getTargetDataSource() instanceof AutoCloseable pool) {
            pool.close();
        }
    }

    private Connection scoped(Connection connection) throws SQLException {
        String tenant =
                TenantContext.tenantId() == null ? "" : TenantContext.tenantId().toString();
        String platform = TenantContext.platform() ? "on" : "";
        String scope = tenant + "/" + platform;
        try {
            PGConnection session =
                    connection.isWrapperFor(PGConnection.class) ? connection.unwrap(PGConnection.class) : null;
            boolean autoCommit = connection.getAutoCommit();
            if (session != null && autoCommit && scope.equals(scopes.get(session))) {
                return connection;
            }
            try (PreparedStatement statement = connection.prepareStatement(SET_SCOPE)) {
                statement.setString(1, tenant);
                statement.setString(2, platform);
                statement.execute();
            }
            if (session != null) {
                // Outside autocommit a rollback could undo the setting: remember nothing then.
                if (autoCommit) {
                    scopes.put(session, scope);
                } else {
                    scopes.remove(session);
                }
            }
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }
}
