package io.pers.auth;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.api.Unauthenticated;
import io.pers.auth.CredentialExchange.Grant;
import io.pers.auth.CredentialExchange.GrantType;
import io.pers.auth.CredentialExchange.Tokens;
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

    @PostMapping("/v2/auth/refresh")
    @Unauthenticated
    ResponseEntity<Tokens> refresh(@Valid @RequestBody RefreshRequest body) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(exchange.refresh(body.refreshToken()));
    }

    /** Makes a new signing key current; tokens signed by the previous one stay valid until they expire. */
    @PostMapping("/v2/auth/keys/rotate")
    @Allow(Role.PLATFORM)
    Map<String, String> rotate() {
        return Map.of("kid", signingKeys.rotate());
    }

    @PostMapping("/v2/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow(Role.ADMIN)
    CreatedApiKey createApiKey(@Valid @RequestBody CreateApiKey body) {
        ApiKeys.Created created = apiKeys.create(body.name(), body.expiresAt());
        return new CreatedApiKey(created.key(), created.secret());
    }

    @GetMapping("/v2/api-keys")
    @Allow(Role.ADMIN)
    List<ApiKeys.ApiKey> listApiKeys() {
        return apiKeys.list();
    }

    @DeleteMapping("/v2/api-keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Allow(Role.ADMIN)
    void revokeApiKey(@PathVariable UUID id) {
        apiKeys.revoke(id);
    }
}
