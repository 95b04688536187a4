package io.pers.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Principal;
import io.pers.api.Problems;
import io.pers.api.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rate limits after authentication, so buckets exist only for keys that authenticated (a flood
 * of made-up keys cannot grow the table). Buckets are shared by every instance ({@link SharedBuckets}). SYSTEM callers are limited per API key; callers known
 * only by a project key (public listings, sign-ins) per project key. Signed-in users and admins
 * are not limited here: a public flood on a project key must not lock its admins out.
 */
class RateLimitFilter extends OncePerRequestFilter {

    static final String PROJECT_KEY = "x-project-key";

    private final RateLimitProperties properties;
    private final Problems problems;
    private final MeterRegistry meters;
    private final SharedBuckets buckets;

    RateLimitFilter(RateLimitProperties properties, Problems problems, MeterRegistry meters, SharedBuckets buckets) {
        this.properties = properties;
        this.problems = problems;
        this.meters = meters;
        this.buckets = buckets;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !properties.isEnabled();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Principal caller = CurrentCaller.find().orElse(null);
        String kind;
        String key;
        RateLimitProperties.Limit limit;
        if (caller != null && caller.apiKeyId() != null) {
            kind = "api-key";
            key = caller.apiKeyId().toString();
            limit = properties.getApiKey();
        } else if (caller != null && caller.role() == Role.PUBLIC && request.getHeader(PROJECT_KEY) != null) {
            kind = "project-key";
            key = request.getHeader(PROJECT_KEY); // authentication resolved it: a real key
            limit = properties.getProjectKey();
        } else {
            chain.doFilter(request, response);
            return;
        }
        RateLimitProperties.Limit effective = properties.getOverrides().getOrDefault(key, limit);
        // A changed limit (an override set or removed) starts the key on a fresh, full bucket.
        long waitNanos = buckets.take(kind + ":" + key, effective);
        if (waitNanos == 0) {
            chain.doFilter(request, response);
            return;
        }
        long retryAfterSeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
        meters.counter("pers.ratelimit.rejected", "key", kind).increment();
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        problems.write(
                response,
                ErrorCode.RATE_LIMITED,
                "Rate limit of this " + kind + " reached; retry in " + retryAfterSeconds + " s");
    }
}
