package io.pers.ingest;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.crypto.SecretBox;
import io.pers.outbound.OutboundGuard;
import io.pers.tenant.TenantContext;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The ingest_polling table: per polled connection, the API it is read from, its sealed credential
 * and the cursor (see V6__ingest_polling.sql). The credential leaves the table only to be sent.
 */
@Component
class PollingConnections {

    /**
     * What an admin gives for a polled connection. The base URL becomes part of a Camel endpoint
     * URI, so it is held to a plain scheme, host, port and path: no query, user info or options.
     */
    record Target(String baseUrl, String accountId, String credential) {

        private static final Pattern BASE_URL =
                Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*/?");

        void validate() {
            if (baseUrl == null || !BASE_URL.matcher(baseUrl).matches()) {
                throw new PersException(
                        ErrorCode.VALIDATION_FAILED,
                        "baseUrl must be an http(s) URL of scheme, host, optional port and path, e.g."
                                + " https://api.cloudbeds.com/api/v1.2");
            }
            if (credential == null || credential.isBlank()) {
                throw new PersException(ErrorCode.VALIDATION_FAILED, "credential (the system's API key) is required");
            }
        }
    }

    /** Where a connection's next page is read from, with the credential still sealed. */
    record State(
            String baseUrl,
            String accountId,
            byte[] credentialSealed,
            Instant watermark,
            Instant windowFrom,
            Instant windowTo,
            Integer nextPage) {}

    /** A connection due for a poll, found across tenants. */
    record Due(UUID connectionId, UUID tenantId) {}

    /** A window of modification times being paged, and the page read now. */
    record Page(UUID connectionId, Instant from, Instant to, int number) {}

    /** Advisory-lock keys of pollers: the first half of the two-int key, apart from other locks. */
    private static final int LOCK_SPACE = 0x504f4c4c; // "POLL"

    private final JdbcClient db;
    private final DataSource dataSource;
    private final SecretBox box;
    private final OutboundGuard guard;

    PollingConnections(JdbcClient db, DataSource dataSource, SecretBox box, OutboundGuard guard) {
        this.db = db;
        this.dataSource = dataSource;
        this.box = box;
        this.guard = guard;
    }

    /** The target's shape, and where its base URL resolves now (the SSRF guard; polls go through it too). */
    void validate(Target target) {
        target.validate();
        guard.check(target.baseUrl(), ErrorCode.OUTBOUND_TARGET_REFUSED);
    }

    /** The first window starts when the connection is made: stays checked out from then on. */
    void create(UUID connectionId, Target target) {
        db.sql("""
                        insert into ingest_polling (connection_id, tenant_id, base_url, account_id, credential_enc, watermark)
                        values (?, ?, ?, ?, ?, now())""")
                .params(
                        connectionId,
                        TenantContext.requireTenantId(),
                        target.baseUrl().replaceAll("/$", ""),
                        target.accountId(),
                        box.seal(target.credential().getBytes(StandardCharsets.UTF_8)))
                .update();
    }

    List<Due> due(String connector, PollingSpec spec) {
        return db.sql("select connection_id, tenant_id from due_polling_connections(?, ?::interval, ?::interval)")
                .params(
                        connector,
                        interval(spec.interval().toMillis()),
                        interval(spec.failingInterval().toMillis()))
                .query((rs, n) -> new Due(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .list();
    }

    /**
     * One poller at a time per connection, across PERS instances: a session advisory lock, held on
     * a connection of its own for the whole poll and released when it is closed (or when the
     * instance dies and its database session ends). Empty when another instance holds it.
     */
    Optional<AutoCloseable> tryLock(UUID connectionId) {
        try {
            Connection session = dataSource.getConnection();
            try (PreparedStatement lock = session.prepareStatement("select pg_try_advisory_lock(?, hashtext(?))")) {
                lock.setInt(1, LOCK_SPACE);
                lock.setString(2, connectionId.toString());
                try (ResultSet rs = lock.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return Optional.of(() -> unlock(session, connectionId));
                    }
                }
            }
            session.close();
            return Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not take the poll lock", e);
        }
    }

    /**
     * Marks the start of a poll, if the connection is still due: another instance may have polled
     * it between our look-up and our lock.
     */
    boolean startPoll(UUID connectionId, PollingSpec spec) {
        return db.sql("""
                        update ingest_polling set last_polled_at = now()
                         where connection_id = ?
                           and (last_polled_at is null or last_polled_at <= now()
                                - case status when 'FAILING' then ?::interval else ?::interval end)""")
                        .params(
                                connectionId,
                                interval(spec.failingInterval().toMillis()),
                                interval(spec.interval().toMillis()))
                        .update()
                > 0;
    }

    State state(UUID connectionId) {
        return db.sql("""
                        select base_url, account_id, credential_enc, watermark, window_from, window_to, next_page
                          from ingest_polling where connection_id = ?""")
                .param(connectionId)
                .query((rs, n) -> new State(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getBytes(3),
                        instant(rs, 4),
                        instant(rs, 5),
                        instant(rs, 6),
                        (Integer) rs.getObject(7)))
                .single();
    }

    String credential(State state) {
        return new String(box.open(state.credentialSealed()), StandardCharsets.UTF_8);
    }

    /**
     * Moves the cursor past a page whose events are stored and published: to the next page of the
     * same window, or, after its last page, to the window's end.
     */
    void advance(Page page, boolean more) {
        db.sql("""
                        update ingest_polling
                           set watermark = case when ? then watermark else ? end,
                               window_from = case when ? then ? end,
                               window_to = case when ? then ? end,
                               next_page = case when ? then ? end,
                               status = 'OK', last_success_at = now()
                         where connection_id = ?""")
                .params(
                        more,
                        utc(page.to()),
                        more,
                        utc(page.from()),
                        more,
                        utc(page.to()),
                        more,
                        page.number() + 1,
                        page.connectionId())
                .update();
    }

    /** Records a failed poll; the cursor stays. A refused credential marks the connection FAILING. */
    void failed(UUID connectionId, String error, boolean credentialRefused) {
        db.sql("""
                        update ingest_polling
                           set last_error = ?, last_error_at = now(),
                               status = case when ? then 'FAILING' else status end
                         where connection_id = ?""").params(error, credentialRefused, connectionId).update();
    }

    private static void unlock(Connection session, UUID connectionId) throws SQLException {
        try (session;
                PreparedStatement unlock = session.prepareStatement("select pg_advisory_unlock(?, hashtext(?))")) {
            unlock.setInt(1, LOCK_SPACE);
            unlock.setString(2, connectionId.toString());
            unlock.execute();
        }
    }

    private static String interval(long millis) {
        return millis + " milliseconds";
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
