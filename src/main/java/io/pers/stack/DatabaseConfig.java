package io.pers.stack;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pers.tenant.TenantScopedDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Two connections to one database: the app's (role {@code pers_app}, under row-level security,
 * tenant-scoped on every checkout) and the owner's, used only by Flyway for migrations.
 * With {@code spring.datasource.url} set they point at an external PostgreSQL
 * ({@code spring.datasource.*} for the app role, {@code spring.flyway.user/password} for the
 * owner). Without it the developer's embedded stack stands in (a PostgreSQL under {@code pers.home},
 * {@code io.pers.dev}); the packaged jar has none, and production mode never uses it ({@link StackMode}).
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    record Endpoint(String url, String appUser, String appPassword, String ownerUser, String ownerPassword) {}

    @Bean(destroyMethod = "close")
    EmbeddedPostgresHolder embeddedPostgres(Environment env, ObjectProvider<EmbeddedStack> stack) {
        if (env.containsProperty("spring.datasource.url")) {
            return new EmbeddedPostgresHolder(null);
        }
        return new EmbeddedPostgresHolder(
                StackMode.standIn(env, stack, StackMode.DATASOURCE_URL).database());
    }

    /** The logins, once the app's is known to be bound by row-level security (DatabaseLoginCheck). */
    @Bean
    Endpoint databaseEndpoint(EmbeddedPostgresHolder embedded, Environment env) {
        Endpoint endpoint = endpoint(embedded, env);
        DatabaseLoginCheck.requireRowLevelSecurity(endpoint.url(), endpoint.appUser(), endpoint.appPassword());
        return endpoint;
    }

    private static Endpoint endpoint(EmbeddedPostgresHolder embedded, Environment env) {
        if (embedded.server() != null) {
            EmbeddedStack.EmbeddedDatabase db = embedded.server();
            return new Endpoint(db.address(), db.appUser(), "", db.ownerUser(), "");
        }
        String user = env.getRequiredProperty("spring.datasource.username");
        String password = env.getProperty("spring.datasource.password", "");
        return new Endpoint(
                env.getRequiredProperty("spring.datasource.url"),
                user,
                password,
                env.getProperty("spring.flyway.user", user),
                env.getProperty("spring.flyway.password", password));
    }

    @Bean(destroyMethod = "close")
    TenantScopedDataSource dataSource(Endpoint endpoint, @Value("${pers.datasource.pool-size:40}") int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("pers-app");
        config.setJdbcUrl(endpoint.url());
        config.setUsername(endpoint.appUser());
        config.setPassword(endpoint.appPassword());
        config.setMaximumPoolSize(poolSize);
        return new TenantScopedDataSource(new HikariDataSource(config));
    }

    /** Migrations run as the owner; the app's pool never holds owner connections. */
    @Bean
    FlywayConfigurationCustomizer migrateAsOwner(Endpoint endpoint) {
        return flyway -> flyway.dataSource(endpoint.url(), endpoint.ownerUser(), endpoint.ownerPassword());
    }

    /** Holds the embedded server when there is one, so its lifecycle is the context's. */
    record EmbeddedPostgresHolder(EmbeddedStack.EmbeddedDatabase server) implements AutoCloseable {
        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
        }
    }
}
