package io.pers.api;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The headers of a POST retried under its key. Most POSTs are replayed by the idempotency filter;
 * claims and redeems keep their own record of a key, so their handlers mark the replay themselves,
 * through the same method, so every replay says so the same way.
 */
public final class IdempotencyHeaders {

    public static final String KEY = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";

    private IdempotencyHeaders() {}

    /**
     * Whether a request to this path honours {@value #KEY}: every POST of the API except the
     * credential exchanges under {@code /v2/auth/}, whose answers are fresh tokens and never replayed.
     */
    public static boolean honoured(String method, String path) {
        return "POST".equals(method) && path.startsWith("/v2/") && !path.startsWith("/v2/auth/");
    }

    /** Marks the answer as the replay of what the key did the first time (also when it is a refusal). */
    public static void markReplayed(HttpServletResponse response) {
        response.setHeader(REPLAYED, "true");
    }
}
