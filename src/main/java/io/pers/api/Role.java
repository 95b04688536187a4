package io.pers.api;

/**
 * Who is calling. USER, BUSINESS, ADMIN and SYSTEM are the tenant roles carried in access tokens;
 * PUBLIC is a caller known only by the tenant's project key; PLATFORM is the platform admin
 * managing tenants (who becomes an ADMIN of a tenant by sending its project key).
 */
public enum Role {
    PUBLIC,
    USER,
    BUSINESS,
    ADMIN,
    SYSTEM,
    PLATFORM
}
