package io.pers.support;

import java.sql.DriverManager;
import java.sql.SQLException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Statements as the database owner: what only an operator with the owner's role could do (tampering tests). */
public final class OwnerSql {

    private OwnerSql() {}

    /** Runs the statements in order on one owner connection to the database {@code db} is on. */
    public static void run(JdbcClient db, String... statements) {
        String url = db.sql("select 'jdbc:postgresql://127.0.0.1:' || inet_server_port() || '/' || current_database()")
                .query(String.class)
                .single();
        try (var connection = DriverManager.getConnection(url, "pers_owner", "");
                var statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
