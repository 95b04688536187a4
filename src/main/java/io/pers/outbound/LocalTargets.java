package io.pers.outbound;

/**
 * Whether the tenant on whose behalf this thread calls out has opted in to local targets (local
 * development, README "Outbound requests"). Asked only when an address is in a LOCAL block, so the
 * common, public case costs nothing.
 */
@FunctionalInterface
public interface LocalTargets {

    boolean allowedForCurrentTenant();
}
