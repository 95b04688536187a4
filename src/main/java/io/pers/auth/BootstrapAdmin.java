package io.pers.auth;

import io.pers.crypto.Secrets;
import io.pers.tenant.Admins;
import io.pers.tenant.TenantContext;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Creates the first platform admin on first start. A generated password is returned here once,
 * for the start-up banner to print, and is never stored in clear nor logged.
 */
@Component
public class BootstrapAdmin {

    public record Credentials(String email, String password) {}

    private final Admins admins;
    private final String email;
    private final String configuredPassword;

    BootstrapAdmin(
            Admins admins,
            @Value("${pers.bootstrap.admin-email}") String email,
            @Value("${pers.bootstrap.admin-password:}") String configuredPassword) {
        this.admins = admins;
        this.email = email;
        this.configuredPassword = configuredPassword;
    }

    /** The credentials of a platform admin created now, or empty when one already existed. */
    public Optional<Credentials> ensure() {
        return TenantContext.callAsPlatform(() -> {
            if (admins.platformAdminExists()) {
                return Optional.empty();
            }
            String password = configuredPassword.isBlank() ? Secrets.randomBase62(24) : configuredPassword;
            admins.create(null, email, password);
            return Optional.of(new Credentials(email, password));
        });
    }
}
