@Capability(name = "Conversions", description = "Exchanging one token for another at a published, versioned rate.")
package io.pers.conversion;

import io.pers.api.Capability;
