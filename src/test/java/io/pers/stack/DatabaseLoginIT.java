package io.pers.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pers.PersApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Start-up refuses an app login that row-level security does not bind: a superuser, a BYPASSRLS
 * role. A PostgreSQL of its own, separate from the embedded one the context would start.
 */
class DatabaseLoginIT {

    static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("create role rls_bypasser login bypassrls password 'bypass'");
            s.execute("create role plain_app login nosuperuser nobypassrls password 'plain'");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static String url() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    @Test
    void startUpFailsWhenTheAppLogsInAsASuperuser() throws Exception {
        SpringApplicationBuilder app = new SpringApplicationBuilder(PersApplication.class)
                .properties(
                        "pers.home=" + Files.createTempDirectory("pers-login-"),
                        "server.port=0",
                        "spring.datasource.url=" + url(),
                        "spring.datasource.username=postgres",
                        "spring.datasource.password=",
                        "pers.temporal.embedded-port=0",
                        "pers.kafka.embedded-port=0",
                        "pers.chain.anvil-path=/nonexistent/anvil");

        assertThatThrownBy(app::run)
                .as("the context must not start on a superuser login")
                .extracting(DatabaseLoginIT::rootCause)
                .isInstanceOf(DatabaseLoginCheck.UnsafeDatabaseLogin.class)
                .extracting(Throwable::getMessage, InstanceOfAssertFactories.STRING)
                .contains("'postgres'", "a superuser", "row-level security would not hold");
    }

    @Test
    void aBypassRlsRoleIsRefusedAndAnOrdinaryRoleIsNot() {
        assertThatThrownBy(() -> DatabaseLoginCheck.requireRowLevelSecurity(url(), "rls_bypasser", "bypass"))
                .isInstanceOf(DatabaseLoginCheck.UnsafeDatabaseLogin.class)
                .hasMessageContaining("'rls_bypasser'")
                .hasMessageContaining("BYPASSRLS");
        assertThatCode(() -> DatabaseLoginCheck.requireRowLevelSecurity(url(), "plain_app", "plain"))
                .doesNotThrowAnyException();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        assertThat(cause).isNotNull();
        return cause;
    }
}
