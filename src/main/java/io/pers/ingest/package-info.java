@Capability(
        name = "Ingest",
        description =
                "Where connected systems (shops, CRMs, booking and EPOS systems) deliver their events: connections with their secrets, trigger mappings that turn events into claims (CEL), and the ingest endpoint itself.")
package io.pers.ingest;

import io.pers.api.Capability;
