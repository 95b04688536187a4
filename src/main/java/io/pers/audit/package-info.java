@Capability(
        name = "Audit log",
        description = "Who changed what: every write of the API, with its caller, correlation id and redacted bodies.")
package io.pers.audit;

import io.pers.api.Capability;
