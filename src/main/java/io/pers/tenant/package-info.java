@Capability(
        name = "Tenants",
        description = "Tenants (managed by the platform admin), the caller's own tenant and its admins.")
package io.pers.tenant;

import io.pers.api.Capability;
