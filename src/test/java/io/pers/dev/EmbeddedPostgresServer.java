package io.pers.dev;

import io.pers.stack.EmbeddedStack;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 from Maven Central binaries, with its data under the state folder so it
 * survives restarts. It creates the owner role (runs migrations) and the app role (subject to
 * row-level security) that production would have.
 */
final class EmbeddedPostgresServer implements EmbeddedStack.EmbeddedDatabase {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    static final String DATABASE = "pers";
    static final String OWNER = "pers_owner";
    static final String APP = "pers_app";

    private final EmbeddedPostgres postgres;

    EmbeddedPostgresServer(Path dataDirectory, int port, boolean durable) {
        try {
            Files.createDirectories(dataDirectory);
            StaleProcess.stopPostgres(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    // The zonky defaults (fsync off) are fast but lose commits on a crash; a local
                    // run keeps real data, and invariant 5 says nothing is acknowledged before it is durable.
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .setServerConfig("max_connections", "200")
                    // Statement statistics, nested ones (inside ledger_post) included, for the
                    // profile of a local run or a benchmark (`create extension pg_stat_statements`).
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("pg_stat_statements.track", "all")
                    // Spring closes this bean after the routes and workers that use the database;
                    // zonky's own JVM hook would stop it beside them, leaving a poll or a workflow
                    // task waiting on a connection until the pool's timeout.
                    .setRegisterShutdownHook(false);
            if (port > 0) {
                builder.setPort(port);
            }
            postgres = builder.start();
            createRolesAndDatabase();
            log.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
        }
    }

    @Override
    public String address() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    @Override
    public String appUser() {
        return APP;
    }

    @Override
    public String ownerUser() {
        return OWNER;
    }

    private void createRolesAndDatabase() {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            createRoleIfAbsent(s, OWNER, "login");
            createRoleIfAbsent(s, APP, "login nosuperuser nobypassrls");
            try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
                if (!rs.next()) {
                    s.execute("create database " + DATABASE + " owner " + OWNER);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare the embedded database", e);
        }
    }

    private static void createRoleIfAbsent(Statement s, String role, String options) throws SQLException {
        try (ResultSet rs = s.executeQuery("select 1 from pg_roles where rolname = '" + role + "'")) {
            if (!rs.next()) {
                s.execute("create role " + role + " " + options);
            }
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not stop", e);
        }
    }
}
