@Capability(name = "Segments", description = "Segments of users (by attributes and behaviour) that campaigns target.")
package io.pers.segment;

import io.pers.api.Capability;
