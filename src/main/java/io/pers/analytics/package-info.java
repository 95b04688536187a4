@Capability(
        name = "Analytics",
        description =
                "Aggregates over claims, tokens, users, businesses, segments, redemptions and trigger sources, per day within a date range.")
package io.pers.analytics;

import io.pers.api.Capability;
