package io.pers.auth;

import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Problems;
import io.pers.api.Role;
import io.pers.tenant.TenantContext;
import io.pers.tenant.Tenants;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Establishes who calls {@code /v2}: a bearer access token, an {@code x-api-key}, or only a
 * project key ({@code x-project-key}, PUBLIC). It then enters the caller's tenant, so every
 * database access of the request runs under that tenant's row-level security. Whether the
 * caller may use the endpoint is {@link AccessInterceptor}'s decision.
 */
class AuthenticationFilter extends OncePerRequestFilter {

    static final String PROJECT_KEY = "x-project-key";
    static final String API_KEY = "x-api-key";

    private final AccessTokens tokens;
    private final ApiKeys apiKeys;
    private final Tenants tenants;
    private final Problems problems;

    AuthenticationFilter(AccessTokens tokens, ApiKeys apiKeys, Tenants tenants, Problems problems) {
        this.tokens = tokens;
        this.apiKeys = apiKeys;
        this.tenants = tenants;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Principal caller;
        try {
            caller = authenticate(request);
        } catch (PersException e) {
            problems.write(response, e.code(), e.getMessage());
            return;
        }
        CurrentCaller.set(caller);
        try (TenantContext.Entered ignored = TenantContext.enter(
                caller == null ? null : caller.tenantId(), caller != null && caller.role() == Role.PLATFORM)) {
            chain.doFilter(request, response);
        } finally {
            CurrentCaller.clear();
        }
    }

    /** The caller, or null when the request carries no credential at all. */
    private Principal authenticate(HttpServletRequest request) {
        UUID projectTenant = projectTenant(request.getHeader(PROJECT_KEY));
        String authorization = request.getHeader("Authorization");
        String apiKey = request.getHeader(API_KEY);
        Principal caller;
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new PersException(ErrorCode.INVALID_TOKEN, "Authorization must be a Bearer token");
            }
            Principal verified = tokens.verify(authorization.substring(7).trim());
            if (verified.apiKeyId() != null) {
                TenantContext.runAs(verified.tenantId(), () -> apiKeys.requireUsable(verified.apiKeyId()));
            }
            caller = verified;
        } else if (apiKey != null) {
            caller = apiKeys.authenticate(apiKey);
        } else {
            return projectTenant == null ? null : Principal.anonymous(projectTenant);
        }
        if (projectTenant == null) {
            return caller;
        }
        if (caller.role() == Role.PLATFORM) {
            // A platform admin naming a tenant acts as that tenant's admin.
            return new Principal(Role.ADMIN, projectTenant, caller.subjectId(), null, null);
        }
        if (!projectTenant.equals(caller.tenantId())) {
            throw new PersException(ErrorCode.TENANT_MISMATCH);
        }
        return caller;
    }

    private UUID projectTenant(String projectKey) {
        if (projectKey == null) {
            return null;
        }
        return tenants.resolveProjectKey(projectKey)
                .map(Tenants.ProjectKey::tenantId)
                .orElseThrow(() -> new PersException(ErrorCode.INVALID_PROJECT_KEY));
    }
}
