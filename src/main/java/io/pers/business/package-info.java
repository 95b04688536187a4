@Capability(
        name = "Businesses",
        description = "Businesses of a tenant (shops, venues, partners), their types and their members.")
package io.pers.business;

import io.pers.api.Capability;
