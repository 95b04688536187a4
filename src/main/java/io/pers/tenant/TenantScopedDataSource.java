package io.pers.tenant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Tells PostgreSQL, on every connection handed out, which tenant the thread works for. Pooled
 * connections keep session settings, so the setting is written on every checkout, including
 * the empty one: a connection never carries the previous borrower's tenant.
 */
public class TenantScopedDataSource extends DelegatingDataSource implements AutoCloseable {

    private static final String SET_SCOPE =
            "select set_config('pers.tenant_id', ?, false), set_config('pers.platform', ?, false)";

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

    private static Connection scoped(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SET_SCOPE)) {
            statement.setString(
                    1,
                    TenantContext.tenantId() == null
                            ? ""
                            : TenantContext.tenantId().toString());
            statement.setString(2, TenantContext.platform() ? "on" : "");
            statement.execute();
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }
}
