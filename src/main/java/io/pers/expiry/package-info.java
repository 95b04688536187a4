@Capability(name = "Expiry", description = "Points that will expire, per user or business, by date.")
package io.pers.expiry;

import io.pers.api.Capability;
