@Capability(
        name = "Purchases",
        description =
                "Buying tokens through the payment provider (Stripe): the purchasable catalogue, purchases and the provider's webhook.")
package io.pers.purchase;

import io.pers.api.Capability;
