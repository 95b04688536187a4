@Capability(
        name = "Campaigns",
        description =
                "Campaigns and what they award (token units), their tags, the businesses that may award them, the triggers that decide who may claim, and trigger sources.")
package io.pers.campaign;

import io.pers.api.Capability;
