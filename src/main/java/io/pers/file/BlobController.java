package io.pers.file;

import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Unauthenticated;
import io.pers.file.Files.FileRecord;
import io.pers.tenant.TenantContext;
import io.swagger.v3.oas.annotations.Operation;
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

    @Operation(
            operationId = "putFileBytes",
            summary = "Upload a file's bytes (signed URL)",
            description = "The target of an upload URL from `POST /v2/files/uploads`: no PERS credential, the URL's "
                    + "signature (`tenant`, `expires`, `sig`) authorizes it. The bytes must be of the declared type"
                    + " and size; they are checked before the file is stored.")
    @Fails({ErrorCode.INVALID_URL_SIGNATURE, ErrorCode.FILE_TYPE_NOT_ALLOWED, ErrorCode.FILE_TOO_LARGE})
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

    @Operation(
            operationId = "getFileBytes",
            summary = "Download a file's bytes (signed URL)",
            description = "The target of a download URL from `GET /v2/files/{id}`: no PERS credential, the URL's "
                    + "signature authorizes it. Answers the bytes with their content type, cacheable privately "
                    + "until the URL expires.")
    @Fails({ErrorCode.INVALID_URL_SIGNATURE})
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
