@Capability(
        name = "Secrets",
        description = "Re-sealing stored secrets under the current encryption key after a key rotation.")
package io.pers.rekey;

import io.pers.api.Capability;
