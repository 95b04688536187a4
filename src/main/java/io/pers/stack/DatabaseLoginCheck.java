package io.pers.stack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Refuses to start on an app login that row-level security does not bind. PostgreSQL lets a
 * superuser and a role with BYPASSRLS read and write every tenant's rows whatever the policies say
 * (FORCE ROW LEVEL SECURITY included), so tenant isolation (invariant 4) would silently not hold.
 * The check runs on the app role's connection before the pool or the migrations use it.
 */
final class DatabaseLoginCheck {

    private DatabaseLoginCheck() {}

    /** Thrown when the app login bypasses row-level security; its message names the role and why. */
    static final class UnsafeDatabaseLogin extends IllegalStateException {
        UnsafeDatabaseLogin(String message) {
            super(message);
        }
    }

    static void requireRowLevelSecurity(String url, String user, String password) {
        Properties login = new Properties();
        login.setProperty("user", user);
        login.setProperty("password", password == null ? "" : password);
        try (Connection c = DriverManager.getConnection(url, login)) {
            requireRowLevelSecurity(c);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Could not check the app database login (spring.datasource.username=" + user + "): "
                            + e.getMessage(),
                    e);
        }
    }

    static void requireRowLevelSecurity(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                        "select current_user, rolsuper, rolbypassrls from pg_roles where rolname = current_user");
                ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("The app database login has no pg_roles row");
            }
            String role = rs.getString(1);
            boolean superuser = rs.getBoolean(2);
            boolean bypassRls = rs.getBoolean(3);
            if (superuser || bypassRls) {
                throw new UnsafeDatabaseLogin("Refusing to start: the app database login '" + role + "' is "
                        + (superuser ? "a superuser" : "a role with BYPASSRLS")
                        + ", so PostgreSQL's row-level security would not hold and tenants could read each"
                        + " other's rows. Log the app in (spring.datasource.username) as a role with"
                        + " NOSUPERUSER NOBYPASSRLS, e.g. the pers_app role docker/postgres-init.sh creates;"
                        + " migrations run as the owner role (spring.flyway.user).");
            }
        }
    }
}
