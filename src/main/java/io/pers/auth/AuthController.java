package io.pers.auth;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.api.Unauthenticated;
import io.pers.auth.CredentialExchange.Grant;
import io.pers.auth.CredentialExchange.GrantType;
import io.pers.auth.CredentialExchange.Tokens;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class AuthController {

    record TokenRequest(
            @NotNull GrantType grantType,
            @Size(max = 200) String apiKey,
            @Size(max = 320) String email,
            @Size(max = 200) String password,
            @Size(max = 16_384) String idToken,
            Role role,
            UUID businessId) {}

    record RefreshRequest(@NotBlank @Size(max = 200) String refreshToken) {}

    record CreateApiKey(@NotBlank @Size(max = 100) String name, OffsetDateTime expiresAt) {}

    /** The secret is in this response only. */
    record CreatedApiKey(ApiKeys.ApiKey apiKey, String secret) {}

    private final CredentialExchange exchange;
    private final ApiKeys apiKeys;
    private final SigningKeys signingKeys;

    AuthController(CredentialExchange exchange, ApiKeys apiKeys, SigningKeys signingKeys) {
        this.exchange = exchange;
        this.apiKeys = apiKeys;
        this.signingKeys = signingKeys;
    }

    @Operation(
            operationId = "signIn",
            summary = "Exchange a credential for tokens",
            description = "Signs in and answers an access token and a refresh token (never stored for replay, "
                    + "`Cache-Control: no-store`). `grantType` says which credential is sent: `PASSWORD` (email and"
                    + " password: a tenant's admin with the tenant's `x-project-key`, or the platform admin without"
                    + " it), `API_KEY` (an API key, for a SYSTEM token), `EXTERNAL_JWT` (an ID token of the tenant's "
                    + "identity provider, for a USER or BUSINESS; `role` and `businessId` choose the context of a "
                    + "user in several businesses). Repeated failures for an account or address are throttled.")
    @Fails({
        ErrorCode.INVALID_CREDENTIALS,
        ErrorCode.INVALID_API_KEY,
        ErrorCode.IDENTITY_PROVIDER_NOT_CONFIGURED,
        ErrorCode.NOT_A_BUSINESS_MEMBER,
        ErrorCode.MULTIPLE_CONTEXT_SELECTION_REQUIRED,
        ErrorCode.SIGN_IN_THROTTLED
    })
    @PostMapping("/v2/auth/token")
    @Unauthenticated
    ResponseEntity<Tokens> token(@Valid @RequestBody TokenRequest body, HttpServletRequest request) {
        UUID tenant = CurrentCaller.find().map(Principal::tenantId).orElse(null);
        Tokens tokens = exchange.exchange(
                new Grant(
                        body.grantType(),
                        body.apiKey(),
                        body.email(),
                        body.password(),
                        body.idToken(),
                        body.role(),
                        body.businessId()),
                tenant,
                request.getRemoteAddr());
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(tokens);
    }

    @Operation(
            operationId = "refreshTokens",
            summary = "Exchange a refresh token for new tokens",
            description = "Answers a new access token and a new refresh token. A refresh token works once: the one sent"
                    + " is used up, and sending a used one again revokes every token of its family (a stolen"
                    + " refresh token is worth one use at most).")
    @Fails({ErrorCode.INVALID_REFRESH_TOKEN})
    @PostMapping("/v2/auth/refresh")
    @Unauthenticated
    ResponseEntity<Tokens> refresh(@Valid @RequestBody RefreshRequest body) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(exchange.refresh(body.refreshToken()));
    }

    /** Makes a new signing key current; tokens signed by the previous one stay valid until they expire. */
    @Operation(
            operationId = "rotateSigningKey",
            summary = "Rotate the access token signing key",
            description = "Makes a new signing key current and answers its `kid`. Tokens signed by the previous key "
                    + "stay valid until they expire; both keys are published at `/.well-known/jwks.json`.")
    @PostMapping("/v2/auth/keys/rotate")
    @Allow(Role.PLATFORM)
    Map<String, String> rotate() {
        return Map.of("kid", signingKeys.rotate());
    }

    @Operation(
            operationId = "createApiKey",
            summary = "Create an API key",
            description = "Creates an API key for a system of the tenant (role SYSTEM), optionally expiring at "
                    + "`expiresAt`. The secret is in this answer only: PERS stores its hash.")
    @PostMapping("/v2/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    CreatedApiKey createApiKey(@Valid @RequestBody CreateApiKey body) {
        ApiKeys.Created created = apiKeys.create(body.name(), body.expiresAt());
        return new CreatedApiKey(created.key(), created.secret());
    }

    @Operation(
            operationId = "listApiKeys",
            summary = "List API keys",
            description = "The tenant's API keys, without their secrets, with when each expires or was revoked.")
    @GetMapping("/v2/api-keys")
    @Allow(Role.ADMIN)
    List<ApiKeys.ApiKey> listApiKeys() {
        return apiKeys.list();
    }

    @Operation(
            operationId = "revokeApiKey",
            summary = "Revoke an API key",
            description = "Revokes the key at once: it and the access tokens exchanged for it are refused from now on.")
    @DeleteMapping("/v2/api-keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Allow(Role.ADMIN)
    void revokeApiKey(@PathVariable UUID id) {
        apiKeys.revoke(id);
    }
}
