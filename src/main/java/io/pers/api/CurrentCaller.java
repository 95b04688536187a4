package io.pers.api;

import java.util.Optional;

/** The principal of the request being served on this thread. */
public final class CurrentCaller {

    private static final ThreadLocal<Principal> CURRENT = new ThreadLocal<>();

    private CurrentCaller() {}

    public static Principal get() {
        Principal principal = CURRENT.get();
        if (principal == null) {
            throw new PersException(ErrorCode.AUTHENTICATION_REQUIRED);
        }
        return principal;
    }

    public static Optional<Principal> find() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Set by authentication for the span of one request. */
    public static void set(Principal principal) {
        CURRENT.set(principal);
    }

    public static void clear() {
        CURRENT.remove();
    }
}
