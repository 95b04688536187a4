package io.pers.tenant;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * The tenant the current thread works for. {@link TenantScopedDataSource} hands it to PostgreSQL
 * with every connection, where row-level security enforces it; code never filters by tenant
 * alone. Entered for a request by authentication, or explicitly by background work.
 */
public final class TenantContext {

    private record Scope(UUID tenantId, boolean platform) {}

    private static final Scope NONE = new Scope(null, false);
    private static final ThreadLocal<Scope> CURRENT = ThreadLocal.withInitial(() -> NONE);

    private TenantContext() {}

    /** The tenant of this thread, or null outside any tenant. */
    public static UUID tenantId() {
        return CURRENT.get().tenantId();
    }

    public static UUID requireTenantId() {
        UUID tenant = tenantId();
        if (tenant == null) {
            throw new IllegalStateException("No tenant context on this thread");
        }
        return tenant;
    }

    static boolean platform() {
        return CURRENT.get().platform();
    }

    /** Enters a scope until the returned handle is closed, which restores the previous one. */
    public static Entered enter(UUID tenantId, boolean platform) {
        Scope previous = CURRENT.get();
        CURRENT.set(new Scope(tenantId, platform));
        return () -> CURRENT.set(previous);
    }

    public static <T> T callAs(UUID tenantId, Supplier<T> work) {
        try (Entered ignored = enter(tenantId, false)) {
            return work.get();
        }
    }

    public static void runAs(UUID tenantId, Runnable work) {
        try (Entered ignored = enter(tenantId, false)) {
            work.run();
        }
    }

    /** Platform scope: tenant management by a platform admin, across tenants. */
    public static <T> T callAsPlatform(Supplier<T> work) {
        try (Entered ignored = enter(null, true)) {
            return work.get();
        }
    }

    /** A scope to close; closing does not throw. */
    public interface Entered extends AutoCloseable {
        @Override
        void close();
    }
}
