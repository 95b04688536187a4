package io.pers.auth;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Problems;
import io.pers.api.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /actuator} on the public port: health answers everyone with its status only (load
 * balancers, probes); its details (components, the RPC URL, Temporal's address), metrics,
 * Prometheus and info only a PLATFORM admin's bearer token. Health shows details to a request
 * this filter marks as in role PLATFORM ({@code management.endpoint.health.roles}).
 */
class ActuatorAccessFilter extends OncePerRequestFilter {

    static final String ROLE = Role.PLATFORM.name();

    private final AccessTokens tokens;
    private final Problems problems;

    ActuatorAccessFilter(AccessTokens tokens, Problems problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean health = path.equals("/actuator/health") || path.startsWith("/actuator/health/");
        Principal caller;
        try {
            caller = bearer(request);
        } catch (PersException e) {
            if (health) {
                chain.doFilter(request, response);
            } else {
                problems.write(response, e.code(), e.getMessage());
            }
            return;
        }
        if (caller != null && caller.role() == Role.PLATFORM) {
            chain.doFilter(new Platform(request, caller), response);
        } else if (health) {
            chain.doFilter(request, response);
        } else if (caller == null) {
            problems.write(response, ErrorCode.AUTHENTICATION_REQUIRED, "Send a platform admin's bearer token");
        } else {
            problems.write(response, ErrorCode.FORBIDDEN, "Only a platform admin reads metrics");
        }
    }

    private Principal bearer(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            return null;
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new PersException(ErrorCode.INVALID_TOKEN, "Authorization must be a Bearer token");
        }
        return tokens.verify(authorization.substring(7).trim());
    }

    /** The request as the actuator sees it: a user in role PLATFORM. */
    private static final class Platform extends HttpServletRequestWrapper {

        private final java.security.Principal user;

        Platform(HttpServletRequest request, Principal caller) {
            super(request);
            this.user = () -> "platform:" + caller.subjectId();
        }

        @Override
        public java.security.Principal getUserPrincipal() {
            return user;
        }

        @Override
        public boolean isUserInRole(String role) {
            return ROLE.equals(role);
        }
    }
}
