@Capability(name = "Files", description = "Uploading and downloading assets (images, documents) through signed URLs.")
package io.pers.file;

import io.pers.api.Capability;
