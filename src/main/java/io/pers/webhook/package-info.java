@Capability(
        name = "Webhooks",
        description =
                "Subscriptions to PERS events delivered as Standard Webhooks, their delivery log, test sends, secret rotation and replays.")
package io.pers.webhook;

import io.pers.api.Capability;
