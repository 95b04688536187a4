@Capability(
        name = "Redemptions",
        description = "The redemption catalogue (what tokens buy), its types, and redeems by users.")
package io.pers.redemption;

import io.pers.api.Capability;
