@Capability(
        name = "Status tiers",
        description = "Status tiers reached by holding a status token, and a user's current tier.")
package io.pers.tier;

import io.pers.api.Capability;
