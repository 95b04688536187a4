@Capability(
        name = "Authentication",
        description =
                "Exchanging credentials (password, API key, an identity provider's ID token, a refresh token) for access tokens; API keys; signing keys and the JWKS that verifies tokens.")
package io.pers.auth;

import io.pers.api.Capability;
