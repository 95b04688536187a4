package io.pers.tenant;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Page;
import io.pers.api.PageQuery;
import io.pers.api.PersException;
import io.pers.api.Role;
import io.pers.crypto.Secrets;
import io.pers.outbound.OutboundGuard;
import io.pers.tenant.Admins.Admin;
import io.pers.tenant.Tenants.IdentityProvider;
import io.pers.tenant.Tenants.Tenant;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class TenantController {

    record IdentityProviderBody(
            @NotBlank @Pattern(regexp = "https?://.+") @Size(max = 2000)
            String jwksUrl,

            @NotBlank @Size(max = 500) String issuer,
            @Size(max = 500) String audience) {
        IdentityProvider toModel() {
            return new IdentityProvider(jwksUrl, issuer, audience);
        }
    }

    record CreateTenant(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Email @Size(max = 320) String adminEmail,
            @Size(min = 12, max = 200) String adminPassword,
            @Valid IdentityProviderBody identityProvider) {}

    /** {@code localTargets}: README "Outbound requests" (local development only). */
    record UpdateTenant(
            @Size(min = 1, max = 200) String name,
            @Valid IdentityProviderBody identityProvider,
            Boolean localTargets) {}

    /** The admin's password appears here only when PERS generated it: shown once. */
    record CreatedTenant(Tenant tenant, Admin admin, String adminPassword) {}

    record CreateAdmin(
            @NotBlank @Email @Size(max = 320) String email,
            @NotBlank @Size(min = 12, max = 200) String password) {}

    private static final Map<String, String> SORTABLE = Map.of("createdAt", "created_at", "name", "name");

    private final Tenants tenants;
    private final Admins admins;
    private final OutboundGuard guard;
    private final TenantLocalTargets localTargets;

    TenantController(Tenants tenants, Admins admins, OutboundGuard guard, TenantLocalTargets localTargets) {
        this.tenants = tenants;
        this.admins = admins;
        this.guard = guard;
        this.localTargets = localTargets;
    }

    @Operation(
            operationId = "createTenant",
            summary = "Create a tenant",
            description = "Creates a tenant with its first admin (`adminEmail`, and `adminPassword` or one PERS "
                    + "generates and shows in this answer only), its project keys (live and test) and optionally "
                    + "its identity provider (a JWKS URL and issuer for users' ID tokens).")
    @Fails({ErrorCode.OUTBOUND_TARGET_REFUSED})
    @PostMapping("/v2/tenants")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.PLATFORM)
    @Transactional
    CreatedTenant create(@Valid @RequestBody CreateTenant body) {
        checkJwksUrl(body.identityProvider());
        Tenant tenant = tenants.create(
                body.name(),
                body.identityProvider() == null ? null : body.identityProvider().toModel());
        String password = body.adminPassword() == null ? Secrets.randomBase62(20) : body.adminPassword();
        Admin admin = admins.create(tenant.id(), body.adminEmail(), password);
        return new CreatedTenant(tenant, admin, body.adminPassword() == null ? password : null);
    }

    @Operation(
            operationId = "listTenants",
            summary = "List tenants",
            description = "Every tenant of the platform; paged, sortable by `createdAt` or `name`.")
    @GetMapping("/v2/tenants")
    @Allow(Role.PLATFORM)
    Page<Tenant> list(
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String sort) {
        return tenants.list(PageQuery.of(page, size, sort, SORTABLE));
    }

    @Operation(operationId = "getTenant", summary = "Get a tenant", description = "One tenant of the platform.")
    @GetMapping("/v2/tenants/{id}")
    @Allow(Role.PLATFORM)
    Tenant get(@PathVariable UUID id) {
        return tenants.find(id);
    }

    @Operation(
            operationId = "getMyTenant",
            summary = "Get my tenant",
            description = "The caller's tenant, with its project keys.")
    @GetMapping("/v2/tenants/me")
    @Allow({Role.ADMIN, Role.SYSTEM})
    Tenant me() {
        return tenants.find(CurrentCaller.get().tenantId());
    }

    @Operation(
            operationId = "updateMyTenant",
            summary = "Update my tenant",
            description = "Renames the tenant or sets its identity provider (its JWKS URL must be reachable under the "
                    + "same guard as webhooks). `localTargets: true` lets webhooks and connectors reach local "
                    + "addresses: for local development only, where the operator allows it and only through the "
                    + "test project key.")
    @Fails({ErrorCode.LOCAL_TARGETS_NOT_ALLOWED, ErrorCode.OUTBOUND_TARGET_REFUSED})
    @PatchMapping("/v2/tenants/me")
    @Allow(Role.ADMIN)
    Tenant update(
            @Valid @RequestBody UpdateTenant body,
            @RequestHeader(name = "x-project-key", required = false) String projectKey) {
        UUID tenantId = CurrentCaller.get().tenantId();
        if (Boolean.TRUE.equals(body.localTargets())) {
            requireLocalTargetsAllowed(tenantId, projectKey);
        }
        checkJwksUrl(body.identityProvider());
        return tenants.update(
                tenantId,
                body.name(),
                body.identityProvider() == null ? null : body.identityProvider().toModel(),
                body.localTargets());
    }

    /** The JWKS URL is fetched by PERS: the same SSRF guard as webhooks. */
    private void checkJwksUrl(IdentityProviderBody idp) {
        if (idp != null) {
            guard.check(idp.jwksUrl(), ErrorCode.OUTBOUND_TARGET_REFUSED);
        }
    }

    /** Local targets: only where the operator allows opting in, and only through the test project key. */
    private void requireLocalTargetsAllowed(UUID tenantId, String projectKey) {
        if (!localTargets.optInAllowed()) {
            throw new PersException(
                    ErrorCode.LOCAL_TARGETS_NOT_ALLOWED, "This PERS does not allow local targets (production mode)");
        }
        if (projectKey == null || !projectKey.equals(tenants.find(tenantId).projectKeyTest())) {
            throw new PersException(
                    ErrorCode.LOCAL_TARGETS_NOT_ALLOWED,
                    "Local targets are switched on with the tenant's pk_test_ key");
        }
    }

    @Operation(
            operationId = "createAdmin",
            summary = "Create a tenant admin",
            description = "Adds an admin to the caller's tenant, who signs in with this email and password and the "
                    + "tenant's project key.")
    @PostMapping("/v2/admins")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    Admin createAdmin(@Valid @RequestBody CreateAdmin body) {
        return admins.create(CurrentCaller.get().tenantId(), body.email(), body.password());
    }

    @Operation(
            operationId = "listAdmins",
            summary = "List tenant admins",
            description = "The admins of the caller's tenant.")
    @GetMapping("/v2/admins")
    @Allow(Role.ADMIN)
    List<Admin> listAdmins() {
        return admins.list(CurrentCaller.get().tenantId());
    }
}
