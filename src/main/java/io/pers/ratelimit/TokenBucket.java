package io.pers.ratelimit;

/** A token bucket on a nanosecond clock: full at start, one token per request. */
final class TokenBucket {

    private final RateLimitProperties.Limit limit;
    private final double capacity;
    private final double tokensPerNano;
    private double tokens;
    private long refilledAt;

    TokenBucket(RateLimitProperties.Limit limit, long nowNanos) {
        if (limit.capacity() < 1 || limit.refillPerSecond() <= 0) {
            throw new IllegalArgumentException("A rate limit needs capacity >= 1 and refillPerSecond > 0: " + limit);
        }
        this.limit = limit;
        this.capacity = limit.capacity();
        this.tokensPerNano = limit.refillPerSecond() / 1e9;
        this.tokens = capacity;
        this.refilledAt = nowNanos;
    }

    RateLimitProperties.Limit limit() {
        return limit;
    }

    /** Takes a token: 0 when one was there, else the nanoseconds until one will be. */
    synchronized long take(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - refilledAt) * tokensPerNano);
        refilledAt = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / tokensPerNano);
    }
}
