package io.pers.stack;

import io.pers.auth.BootstrapAdmin;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells a person who just ran PERS where everything is. The bootstrap admin's generated password
 * goes to the console, never to the log: logs are shipped and kept, the console is not.
 */
@Component
class ReadyBanner {

    private final BootstrapAdmin bootstrapAdmin;

    ReadyBanner(BootstrapAdmin bootstrapAdmin) {
        this.bootstrapAdmin = bootstrapAdmin;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        var admin = bootstrapAdmin.takeCreated();
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
            return;
        }
        String base = "http://localhost:" + web.getWebServer().getPort();
        Duration sinceJvmStart =
                Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime());
        PrintStream out = System.out;
        out.println();
        out.printf("  PERS is ready (%.1f s since the JVM started)%n", sinceJvmStart.toMillis() / 1000.0);
        out.println("    API           " + base + "/v2");
        out.println("    OpenAPI       " + base + "/v3/api-docs   (Swagger UI: " + base + "/swagger-ui.html)");
        out.println("    Health        " + base + "/actuator/health");
        out.println("    JWKS          " + base + "/.well-known/jwks.json");
        admin.ifPresent(c -> {
            out.println("    Platform admin created; shown this once:");
            out.println("      email     " + c.email());
            out.println("      password  " + c.password());
        });
        out.println();
    }
}
