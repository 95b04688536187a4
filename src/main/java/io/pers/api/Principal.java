package io.pers.api;

import java.util.UUID;

/**
 * The authenticated caller of a request.
 *
 * @param role what the caller may do
 * @param tenantId the tenant acted for; null only for a PLATFORM caller
 * @param subjectId the user, admin or API key id; null for PUBLIC
 * @param businessId the business a BUSINESS caller acts for
 * @param apiKeyId the API key behind a SYSTEM caller, checked for revocation on every request
 */
public record Principal(Role role, UUID tenantId, UUID subjectId, UUID businessId, UUID apiKeyId) {

    public static Principal anonymous(UUID tenantId) {
        return new Principal(Role.PUBLIC, tenantId, null, null, null);
    }

    /**
     * Whether this caller may see a record made for {@code userId} at {@code businessId}: a user
     * their own, a business its own, the tenant's admins and systems all.
     */
    public boolean mayRead(UUID userId, UUID businessId) {
        return switch (role) {
            case USER -> subjectId.equals(userId);
            case BUSINESS -> businessId().equals(businessId);
            default -> true;
        };
    }

    /** The key idempotency records and audit fields use for this caller. */
    public String callerKey() {
        return role + ":" + (subjectId == null ? "-" : subjectId) + (businessId == null ? "" : ":" + businessId);
    }
}
