package io.pers.auth;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Limits password guessing, per account and per client address, in PostgreSQL so it holds across
 * instances (V23__outbound_and_sign_in_limits.sql). After a key's free failures each further
 * failure blocks it for twice as long as the last, from {@code base} up to {@code cap}: a guesser
 * slows to a few tries an hour, and nobody is locked out for good. An account blocked by failures
 * from elsewhere still lets its admin in from an address it signed in from within the last 30 days,
 * so an attacker cannot keep a real admin out. A success clears the account's failures. Blocked
 * attempts are refused before the password is checked, and are not counted.
 */
@Component
class SignInThrottle {

    private static final Duration KNOWN_FOR = Duration.ofDays(30);

    private final JdbcClient db;
    private final int accountFreeFailures;
    private final int addressFreeFailures;
    private final Duration base;
    private final Duration cap;

    SignInThrottle(
            JdbcClient db,
            @Value("${pers.auth.sign-in.account-free-failures:5}") int accountFreeFailures,
            @Value("${pers.auth.sign-in.address-free-failures:20}") int addressFreeFailures,
            @Value("${pers.auth.sign-in.backoff-base:15s}") Duration base,
            @Value("${pers.auth.sign-in.backoff-cap:15m}") Duration cap) {
        this.db = db;
        this.accountFreeFailures = accountFreeFailures;
        this.addressFreeFailures = addressFreeFailures;
        this.base = base;
        this.cap = cap;
    }

    /** Who tries to sign in: the account (tenant, or null for the platform, and email) and the client's address. */
    record Attempt(UUID tenantId, String email, String address) {

        String accountKey() {
            return "account:" + (tenantId == null ? "platform" : tenantId) + ":" + email.toLowerCase(Locale.ROOT);
        }

        String addressKey() {
            return "address:" + address;
        }

        String knownKey() {
            return "known:" + accountKey() + ":" + address;
        }
    }

    /** Refuses with 429 SIGN_IN_THROTTLED and Retry-After while the account or the address is blocked. */
    void check(Attempt attempt) {
        Map<String, OffsetDateTime[]> rows = db
                .sql("""
                        select key, blocked_until, last_at from sign_in_throttle
                         where key in (?, ?, ?)""")
                .params(attempt.accountKey(), attempt.addressKey(), attempt.knownKey())
                .query((rs, i) -> Map.entry(rs.getString(1), new OffsetDateTime[] {
                    rs.getObject(2, OffsetDateTime.class), rs.getObject(3, OffsetDateTime.class)
                }))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        OffsetDateTime now = OffsetDateTime.now();
        OffsetDateTime[] known = rows.get(attempt.knownKey());
        boolean knownAddress = known != null && known[1].isAfter(now.minus(KNOWN_FOR));
        OffsetDateTime until = later(
                blockedUntil(rows.get(attempt.addressKey())),
                knownAddress ? null : blockedUntil(rows.get(attempt.accountKey())));
        if (until != null && until.isAfter(now)) {
            long seconds = Math.max(1, Duration.between(now, until).toSeconds() + 1);
            throw new PersException(
                            ErrorCode.SIGN_IN_THROTTLED,
                            "Too many failed sign-ins for this account or from this address; retry in " + seconds
                                    + " s")
                    .retryAfter(seconds);
        }
    }

    /**
     * Counts a failure against the account and the address in one statement. A key quiet for an
     * hour starts over; from its free failures on it is blocked for base * 2^(failures - free),
     * at most cap.
     */
    void failed(Attempt attempt) {
        db.sql("""
                        insert into sign_in_throttle as t (key, failures, free_failures, blocked_until, last_at)
                        values (?, 1, ?, null, now()), (?, 1, ?, null, now())
                        on conflict (key) do update set
                          failures = case when t.last_at < now() - interval '1 hour' then 1 else t.failures + 1 end,
                          blocked_until = case
                            when t.last_at >= now() - interval '1 hour' and t.failures + 1 >= t.free_failures
                            then now() + least(?::interval * power(2, t.failures + 1 - t.free_failures), ?::interval)
                          end,
                          last_at = now()""")
                .params(
                        attempt.accountKey(),
                        accountFreeFailures,
                        attempt.addressKey(),
                        addressFreeFailures,
                        base.toMillis() + " milliseconds",
                        cap.toMillis() + " milliseconds")
                .update();
    }

    /** Clears the account's failures and remembers the address as one its admin signs in from. */
    void succeeded(Attempt attempt) {
        db.sql("""
                        with cleared as (delete from sign_in_throttle where key = ?)
                        insert into sign_in_throttle (key, failures, free_failures, last_at) values (?, 0, 0, now())
                        on conflict (key) do update set last_at = now()""").params(attempt.accountKey(), attempt.knownKey()).update();
    }

    private static OffsetDateTime blockedUntil(OffsetDateTime[] row) {
        return row == null ? null : row[0];
    }

    private static OffsetDateTime later(OffsetDateTime a, OffsetDateTime b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
