package io.pers.file;

import io.pers.api.Unauthenticated;
import io.pers.file.Files.FileRecord;
import io.pers.tenant.TenantContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bytes behind signed URLs. No PERS credential: the URL's signature is the authorization
 * (browsers and image tags cannot send bearer tokens), and it names the tenant to act for.
 */
@RestController
class BlobController {

    private final Files files;
    private final FileUrls urls;

    BlobController(Files files, FileUrls urls) {
        this.files = files;
        this.urls = urls;
    }

    @PutMapping("/v2/files/blobs/{id}")
    @Unauthenticated
    FileRecord put(
            @PathVariable UUID id,
            @RequestParam UUID tenant,
            @RequestParam long expires,
            @RequestParam(required = false) String sig,
            HttpServletRequest request) {
        urls.verify("PUT", tenant, id, expires, sig);
        return TenantContext.callAs(tenant, () -> {
            try {
                return files.store(id, request.getInputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @GetMapping("/v2/files/blobs/{id}")
    @Unauthenticated
    ResponseEntity<InputStreamResource> get(
            @PathVariable UUID id,
            @RequestParam UUID tenant,
            @RequestParam long expires,
            @RequestParam(required = false) String sig) {
        urls.verify("GET", tenant, id, expires, sig);
        return TenantContext.callAs(tenant, () -> {
            FileRecord file = files.findStored(id);
            return ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType(file.contentType()))
                    .contentLength(file.size())
                    // The bytes never change once stored, so they may be cached as long as the URL lives.
                    .cacheControl(CacheControl.maxAge(Duration.ofSeconds(
                                    Math.max(0, expires - Instant.now().getEpochSecond())))
                            .cachePrivate())
                    .header("X-Content-Type-Options", "nosniff")
                    .body(new InputStreamResource(files.open(file)));
        });
    }
}
