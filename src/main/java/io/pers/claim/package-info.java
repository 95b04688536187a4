@Capability(
        name = "Claims",
        description =
                "Claiming a campaign's reward (by a user, a business, an admin or a system), claim history and workflows, and reversals of claims whose order was refunded.")
package io.pers.claim;

import io.pers.api.Capability;
