package io.pers.file;

import io.pers.api.Allow;
import io.pers.api.CurrentCaller;
import io.pers.api.ErrorCode;
import io.pers.api.Fails;
import io.pers.api.Role;
import io.pers.file.FileUrls.Signed;
import io.pers.file.Files.FileRecord;
import io.pers.file.Files.OwnerType;
import io.pers.tenant.TenantContext;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Signed URLs to upload an image of a tenant's object, and to download it. */
@RestController
class FileController {

    record UploadBody(
            @NotNull OwnerType ownerType,
            @NotNull UUID ownerId,
            @NotNull String contentType,
            @NotNull @Min(1) Long size) {}

    /** PUT the bytes to uploadUrl with the given headers before expiresAt. */
    record Upload(UUID id, String uploadUrl, String method, Map<String, String> headers, Instant expiresAt) {}

    record Download(FileRecord file, String downloadUrl, Instant expiresAt) {}

    private final Files files;
    private final FileUrls urls;

    FileController(Files files, FileUrls urls) {
        this.files = files;
        this.urls = urls;
    }

    @Operation(
            operationId = "createUpload",
            summary = "Start a file upload",
            description = "Records a file of an object of the tenant (a campaign's or redemption's image, a user's "
                    + "picture) and answers a signed URL: PUT the bytes there, with the headers given, before "
                    + "`expiresAt`. The content type must be an allowed image or document type and the size within "
                    + "the limit.")
    @Fails({ErrorCode.FILE_TYPE_NOT_ALLOWED, ErrorCode.FILE_TOO_LARGE})
    @PostMapping("/v2/files/uploads")
    @ResponseStatus(HttpStatus.CREATED)
    @Allow({Role.ADMIN, Role.USER})
    Upload upload(@Valid @RequestBody UploadBody body) {
        FileRecord file =
                files.create(CurrentCaller.get(), body.ownerType(), body.ownerId(), body.contentType(), body.size());
        Signed signed = urls.sign("PUT", TenantContext.requireTenantId(), file.id());
        return new Upload(
                file.id(), signed.url(), "PUT", Map.of("content-type", file.contentType()), signed.expiresAt());
    }

    /** Catalogue images are for every caller of the tenant; a user's picture for them and operators. */
    @Operation(
            operationId = "getFileDownload",
            summary = "Get a file's download URL",
            description = "The file's record and a signed URL to download its bytes until `expiresAt`. Catalogue images"
                    + " are visible to every caller of the tenant; a user's picture to that user and staff.")
    @GetMapping("/v2/files/{id}")
    @Allow({Role.PUBLIC, Role.USER, Role.BUSINESS, Role.ADMIN, Role.SYSTEM})
    Download download(@PathVariable UUID id) {
        FileRecord file = files.findVisible(CurrentCaller.get(), id);
        Signed signed = urls.sign("GET", TenantContext.requireTenantId(), file.id());
        return new Download(file, signed.url(), signed.expiresAt());
    }
}
