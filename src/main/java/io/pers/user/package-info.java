@Capability(name = "Users", description = "End users of a tenant: their profiles, and the signed-in user's own.")
package io.pers.user;

import io.pers.api.Capability;
