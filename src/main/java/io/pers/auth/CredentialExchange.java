package io.pers.auth;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.business.Businesses;
import io.pers.tenant.Admins;
import io.pers.tenant.TenantContext;
import io.pers.tenant.Tenants;
import io.pers.user.Users;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Turns a credential into a principal and then into tokens: an API key (SYSTEM), admin
 * credentials (ADMIN of the tenant named by the project key, or PLATFORM without one), or an
 * identity provider's ID token (USER, or BUSINESS for a member of a business).
 */
@Component
class CredentialExchange {

    enum GrantType {
        API_KEY,
        PASSWORD,
        EXTERNAL_JWT
    }

    record Grant(
            GrantType grantType,
            String apiKey,
            String email,
            String password,
            String idToken,
            Role role,
            UUID businessId) {}

    record Tokens(
            String accessToken,
            String tokenType,
            long expiresIn,
            String refreshToken,
            Role role,
            UUID tenantId,
            UUID businessId) {}

    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final ApiKeys apiKeys;
    private final Admins admins;
    private final Tenants tenants;
    private final Users users;
    private final Businesses businesses;
    private final ExternalIdentities identities;
    private final SignInThrottle throttle;

    CredentialExchange(
            AccessTokens accessTokens,
            RefreshTokens refreshTokens,
            ApiKeys apiKeys,
            Admins admins,
            Tenants tenants,
            Users users,
            Businesses businesses,
            ExternalIdentities identities,
            SignInThrottle throttle) {
        this.throttle = throttle;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.apiKeys = apiKeys;
        this.admins = admins;
        this.tenants = tenants;
        this.users = users;
        this.businesses = businesses;
        this.identities = identities;
    }

    /**
     * @param tenantId the tenant named by the request's project key, or null
     * @param clientAddress the caller's address, which password sign-ins are throttled by
     */
    Tokens exchange(Grant grant, UUID tenantId, String clientAddress) {
        Principal principal =
                switch (grant.grantType()) {
                    case API_KEY -> apiKey(grant, tenantId);
                    case PASSWORD -> password(grant, tenantId, clientAddress);
                    case EXTERNAL_JWT -> externalIdentity(grant, tenantId);
                };
        return tokensFor(principal, refreshTokens.issue(principal));
    }

    Tokens refresh(String refreshToken) {
        RefreshTokens.Rotation rotation = refreshTokens.rotate(refreshToken);
        Principal principal = rotation.principal();
        if (principal.apiKeyId() != null) {
            TenantContext.runAs(principal.tenantId(), () -> apiKeys.requireUsable(principal.apiKeyId()));
        }
        return tokensFor(principal, rotation.refreshToken());
    }

    private Tokens tokensFor(Principal principal, String refreshToken) {
        return new Tokens(
                accessTokens.issue(principal),
                "Bearer",
                accessTokens.ttl().toSeconds(),
                refreshToken,
                principal.role(),
                principal.tenantId(),
                principal.businessId());
    }

    private Principal apiKey(Grant grant, UUID tenantId) {
        Principal principal = apiKeys.authenticate(required(grant.apiKey(), "apiKey"));
        if (tenantId != null && !tenantId.equals(principal.tenantId())) {
            throw new PersException(ErrorCode.TENANT_MISMATCH);
        }
        return principal;
    }

    private Principal password(Grant grant, UUID tenantId, String clientAddress) {
        String email = required(grant.email(), "email");
        String password = required(grant.password(), "password");
        SignInThrottle.Attempt attempt = new SignInThrottle.Attempt(tenantId, email, clientAddress);
        throttle.check(attempt);
        Optional<UUID> adminId = tenantId == null
                ? TenantContext.callAsPlatform(() -> admins.authenticate(null, email, password))
                : admins.authenticate(tenantId, email, password);
        if (adminId.isEmpty()) {
            throttle.failed(attempt);
            throw new PersException(ErrorCode.INVALID_CREDENTIALS);
        }
        throttle.succeeded(attempt);
        return tenantId == null
                ? new Principal(Role.PLATFORM, null, adminId.get(), null, null)
                : new Principal(Role.ADMIN, tenantId, adminId.get(), null, null);
    }

    private Principal externalIdentity(Grant grant, UUID tenantId) {
        if (tenantId == null) {
            throw new PersException(ErrorCode.AUTHENTICATION_REQUIRED, "Send the tenant's x-project-key");
        }
        ExternalIdentities.Identity identity =
                identities.verify(tenants.find(tenantId).identityProvider(), required(grant.idToken(), "idToken"));
        UUID userId = users.provision(identity.subject(), identity.email()).id();
        if (grant.role() == null || grant.role() == Role.USER) {
            return new Principal(Role.USER, tenantId, userId, null, null);
        }
        if (grant.role() != Role.BUSINESS) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "role must be USER or BUSINESS");
        }
        return new Principal(Role.BUSINESS, tenantId, userId, businessContext(userId, grant.businessId()), null);
    }

    private UUID businessContext(UUID userId, UUID requested) {
        List<UUID> memberships = businesses.membershipsOf(userId);
        if (requested != null) {
            if (!memberships.contains(requested)) {
                throw new PersException(ErrorCode.NOT_A_BUSINESS_MEMBER);
            }
            return requested;
        }
        return switch (memberships.size()) {
            case 0 -> throw new PersException(ErrorCode.NOT_A_BUSINESS_MEMBER, "User is not a member of any business");
            case 1 -> memberships.get(0);
            default ->
                throw new PersException(
                        ErrorCode.MULTIPLE_CONTEXT_SELECTION_REQUIRED,
                        "User belongs to " + memberships.size() + " businesses: send businessId, one of "
                                + memberships);
        };
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, field + " is required for this grantType");
        }
        return value;
    }
}
