package io.pers.auth;

import io.pers.crypto.Secrets;
import io.pers.tenant.Admins;
import io.pers.tenant.TenantContext;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Creates the first platform admin on first start, before the web server opens (so a client that
 * sees the health check up can sign in). A generated password is handed once to the start-up
 * banner to print, and is never stored in clear nor logged.
 */
@Component
public class BootstrapAdmin implements SmartInitializingSingleton {

    public record Credentials(String email, String password) {}

    private final Admins admins;
    private final String email;
    private final String configuredPassword;
    private final AtomicReference<Credentials> created = new AtomicReference<>();

    BootstrapAdmin(
            Admins admins,
            @Value("${pers.bootstrap.admin-email}") String email,
            @Value("${pers.bootstrap.admin-password:}") String configuredPassword) {
        this.admins = admins;
        this.email = email;
        this.configuredPassword = configuredPassword;
    }

    @Override
    public void afterSingletonsInstantiated() {
        TenantContext.callAsPlatform(() -> {
            if (!admins.platformAdminExists()) {
                String password = configuredPassword.isBlank() ? Secrets.randomBase62(24) : configuredPassword;
                admins.create(null, email, password);
                created.set(new Credentials(email, password));
            }
            return null;
        });
    }

    /** The credentials of the admin this start created, handed out once; empty when one existed. */
    public Optional<Credentials> takeCreated() {
        return Optional.ofNullable(created.getAndSet(null));
    }
}
