package io.pers.audit;

import io.pers.api.CorrelationIdFilter;
import io.pers.api.CurrentCaller;
import io.pers.api.Principal;
import io.pers.api.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Records each successful mutating request of an ADMIN or PLATFORM caller, with its bodies
 * redacted. Refused requests changed nothing and are not recorded. The entry is written after
 * the action's own transaction, so a database failure at that instant can lose an entry; it is
 * logged as an error, never swallowed silently.
 */
class AuditFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);
    /** Bodies past this are recorded as far as read, which is no longer JSON: kept as null. */
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final AuditLog auditLog;
    private final Redaction redaction;

    AuditFilter(AuditLog auditLog, Redaction redaction) {
        this.auditLog = auditLog;
        this.redaction = redaction;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return switch (request.getMethod()) {
            case "POST", "PUT", "PATCH", "DELETE" -> false;
            default -> true;
        };
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Principal actor = CurrentCaller.find().orElse(null);
        if (actor == null || (actor.role() != Role.ADMIN && actor.role() != Role.PLATFORM)) {
            chain.doFilter(request, response);
            return;
        }
        ContentCachingRequestWrapper cachedRequest = new ContentCachingRequestWrapper(request, MAX_BODY_BYTES);
        ContentCachingResponseWrapper cachedResponse = new ContentCachingResponseWrapper(response);
        // No finally: when the chain throws, the outer filters write the error on a clean response.
        chain.doFilter(cachedRequest, cachedResponse);
        if (cachedResponse.getStatus() < 300) {
            record(actor, cachedRequest, cachedResponse);
        }
        cachedResponse.copyBodyToResponse();
    }

    private void record(Principal actor, ContentCachingRequestWrapper request, ContentCachingResponseWrapper response) {
        try {
            auditLog.append(
                    actor,
                    request.getMethod(),
                    request.getRequestURI(),
                    response.getStatus(),
                    redaction.redact(request.getContentAsByteArray(), request.getContentType()),
                    redaction.redact(response.getContentAsByteArray(), response.getContentType()),
                    MDC.get(CorrelationIdFilter.MDC_KEY));
        } catch (RuntimeException e) {
            log.error(
                    "Audit entry lost for {} {} by {}",
                    request.getMethod(),
                    request.getRequestURI(),
                    actor.callerKey(),
                    e);
        }
    }
}
