package io.pers.idempotency;

import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.IdempotencyHeaders;
import io.pers.api.Principal;
import io.pers.api.Problems;
import io.pers.crypto.SecretBox;
import io.pers.crypto.Secrets;
import io.pers.tenant.TenantContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on POSTs. The key is claimed, the request handled and its response
 * stored in one database transaction, so the stored answer exists exactly when the effect does.
 * A concurrent request with the same key waits on the claim and then replays the answer; the
 * same key with another request is 422 {@code IDEMPOTENCY_KEY_REUSED}. Only successes are
 * stored: a failed request changed nothing and may be retried with its key. Stored responses
 * are encrypted, as some carry a secret shown once (a new API key); token exchanges are not
 * stored at all.
 */
class IdempotencyFilter extends OncePerRequestFilter {

    private static final String HEADER = IdempotencyHeaders.KEY;
    /**
     * Endpoints whose key names a durable business process and which keep their own record of it:
     * a claim's or redeem's key becomes its workflow id, and holding a transaction open while the
     * workflow decides would tie up a connection per request.
     */
    private static final Set<String> SELF_MANAGED = Set.of("/v2/campaigns/claims", "/v2/redemptions/redeems");

    private static final Pattern ACCEPTED = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private record Stored(byte[] requestHash, int status, String contentType, byte[] body) {}

    private final JdbcClient db;
    private final TransactionTemplate tx;
    private final Problems problems;
    private final SecretBox box;

    IdempotencyFilter(JdbcClient db, TransactionTemplate tx, Problems problems, SecretBox box) {
        this.db = db;
        this.tx = tx;
        this.problems = problems;
        this.box = box;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !IdempotencyHeaders.honoured(request.getMethod(), request.getRequestURI())
                || request.getHeader(HEADER) == null
                || SELF_MANAGED.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (!ACCEPTED.matcher(key).matches()) {
            problems.write(response, ErrorCode.VALIDATION_FAILED, HEADER + " must be 1-255 visible ASCII characters");
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        byte[] requestHash = requestHash(request, body);
        String caller = CurrentCaller.find().map(Principal::callerKey).orElse("anonymous");
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        Optional<Stored> earlier = tx.execute(status -> {
            int claimed = db.sql("""
                            insert into idempotency_keys (tenant_id, caller, key, request_hash) values (?, ?, ?, ?)
                            on conflict (tenant_id, caller, key) do nothing""")
                    .params(TenantContext.tenantId(), caller, key, requestHash)
                    .update();
            if (claimed == 0) {
                return find(caller, key);
            }
            handle(new CachedBodyRequest(request, body), captured, chain);
            if (captured.getStatus() >= 200 && captured.getStatus() < 300) {
                db.sql("""
                                update idempotency_keys set response_status = ?, response_content_type = ?, response_body_enc = ?
                                 where tenant_id is not distinct from ? and caller = ? and key = ?""")
                        .params(
                                captured.getStatus(),
                                captured.getContentType(),
                                box.seal(captured.getContentAsByteArray()),
                                TenantContext.tenantId(),
                                caller,
                                key)
                        .update();
            } else {
                status.setRollbackOnly();
            }
            return Optional.empty();
        });
        if (earlier.isEmpty()) {
            captured.copyBodyToResponse(); // only now, after the commit
        } else if (!Secrets.equal(earlier.get().requestHash(), requestHash)) {
            problems.write(response, ErrorCode.IDEMPOTENCY_KEY_REUSED, HEADER + " was used with a different request");
        } else {
            replay(earlier.get(), response);
        }
    }

    private static void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain) {
        try {
            chain.doFilter(request, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ServletException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<Stored> find(String caller, String key) {
        return db.sql("""
                        select request_hash, response_status, response_content_type, response_body_enc from idempotency_keys
                         where tenant_id is not distinct from ? and caller = ? and key = ?""")
                .params(TenantContext.tenantId(), caller, key)
                .query((rs, i) -> new Stored(rs.getBytes(1), rs.getInt(2), rs.getString(3), rs.getBytes(4)))
                .optional();
    }

    private void replay(Stored stored, HttpServletResponse response) throws IOException {
        response.setStatus(stored.status());
        if (stored.contentType() != null) {
            response.setContentType(stored.contentType());
        }
        IdempotencyHeaders.markReplayed(response);
        if (stored.body() != null) {
            response.getOutputStream().write(box.open(stored.body()));
        }
    }

    private static byte[] requestHash(HttpServletRequest request, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String target = request.getMethod() + " " + request.getRequestURI()
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString()) + "\n";
        out.writeBytes(target.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return Secrets.sha256(out.toByteArray());
    }

    /** The request again, with its body read once already. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("Synchronous reads only");
                }
            };
        }
    }
}
