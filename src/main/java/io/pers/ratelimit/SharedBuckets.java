package io.pers.ratelimit;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Token buckets in PostgreSQL (rate_limit_take, V23__outbound_and_sign_in_limits.sql), shared by
 * every instance, so N instances behind a load balancer allow a key its limit once, not N times.
 * One statement, one round trip per limited request: refill, take and answer in a single upsert.
 */
class SharedBuckets {

    private final JdbcClient db;

    SharedBuckets(JdbcClient db) {
        this.db = db;
    }

    /** Takes a token of {@code key}'s bucket: 0 when one was there, else the nanoseconds until one will be. */
    long take(String key, RateLimitProperties.Limit limit) {
        if (limit.capacity() < 1 || limit.refillPerSecond() <= 0) {
            throw new IllegalArgumentException("A rate limit needs capacity >= 1 and refillPerSecond > 0: " + limit);
        }
        return db.sql("select taken, wait_seconds from rate_limit_take(?, ?, ?)")
                .params(key, (double) limit.capacity(), limit.refillPerSecond())
                .query((rs, i) -> rs.getBoolean(1) ? 0L : (long) Math.ceil(rs.getDouble(2) * 1e9))
                .single();
    }
}
