package io.pers.auth;

import io.swagger.v3.oas.annotations.Operation;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Publishes the public keys of PERS access tokens, so any party can verify them. */
@RestController
class JwksController {

    private final SigningKeys keys;

    JwksController(SigningKeys keys) {
        this.keys = keys;
    }

    @Operation(
            operationId = "getJwks",
            summary = "The keys that verify access tokens",
            description = "The JSON Web Key Set of PERS's current and previous signing keys, for services that verify "
                    + "PERS access tokens themselves.")
    @GetMapping(value = "/.well-known/jwks.json", produces = "application/jwk-set+json")
    ResponseEntity<Map<String, Object>> jwks() {
        keys.signingKey();
        return ResponseEntity.ok()
                .cacheControl(CacheControl.maxAge(5, TimeUnit.MINUTES).cachePublic())
                .body(keys.publicKeys().toJSONObject(true));
    }
}
