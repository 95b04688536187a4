package io.pers.file;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.api.Principal;
import io.pers.api.Role;
import io.pers.tenant.TenantContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Images of a tenant's objects. Signing an upload records the file as PENDING with its declared
 * type and size; the bytes are stored, and the file marked STORED, only once they arrive through
 * the signed URL and prove to be that type within that size. Admins manage every image of the
 * tenant; a user only their own picture.
 */
@Component
class Files {

    /** What an image belongs to, and the table that holds the owner (none for the tenant itself). */
    enum OwnerType {
        TOKEN("tokens"),
        CAMPAIGN("campaigns"),
        REDEMPTION("redemptions"),
        BUSINESS("businesses"),
        TENANT("tenants"),
        USER("users");

        private final String table;

        OwnerType(String table) {
            this.table = table;
        }
    }

    enum Status {
        PENDING,
        STORED
    }

    record FileRecord(
            UUID id,
            OwnerType ownerType,
            UUID ownerId,
            String contentType,
            long declaredSize,
            Long size,
            Status status,
            OffsetDateTime createdAt,
            OffsetDateTime storedAt) {}

    private final JdbcClient db;
    private final FileStore store;
    private final long maxBytes;

    Files(JdbcClient db, FileStore store, @Value("${pers.files.max-bytes:5242880}") long maxBytes) {
        this.db = db;
        this.store = store;
        this.maxBytes = maxBytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    FileRecord create(Principal caller, OwnerType ownerType, UUID ownerId, String contentType, long size) {
        ImageType type = ImageType.of(contentType);
        if (size > maxBytes) {
            throw new PersException(ErrorCode.FILE_TOO_LARGE, "A file may have at most " + maxBytes + " bytes");
        }
        requireMayManage(caller, ownerType, ownerId);
        requireOwnerExists(ownerType, ownerId);
        UUID id = UUID.randomUUID();
        db.sql("""
                        insert into files (id, tenant_id, owner_type, owner_id, content_type, declared_size, status, created_by)
                        values (?, ?, ?, ?, ?, ?, 'PENDING', ?)""")
                .params(
                        id,
                        TenantContext.requireTenantId(),
                        ownerType.name(),
                        ownerId,
                        type.mediaType(),
                        size,
                        caller.callerKey())
                .update();
        return find(id);
    }

    FileRecord find(UUID id) {
        return db.sql("select * from files where id = ?")
                .param(id)
                .query(Files::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("File"));
    }

    /** A stored file the caller may see: a user's picture to that user and to operators only. */
    FileRecord findVisible(Principal caller, UUID id) {
        FileRecord file = find(id);
        boolean operator = caller.role() == Role.ADMIN || caller.role() == Role.SYSTEM;
        if (file.ownerType() == OwnerType.USER && !operator && !file.ownerId().equals(caller.subjectId())) {
            throw PersException.notFound("File");
        }
        return requireStored(file);
    }

    /** A file whose bytes have arrived; until then it is not found. */
    FileRecord findStored(UUID id) {
        return requireStored(find(id));
    }

    private static FileRecord requireStored(FileRecord file) {
        if (file.status() != Status.STORED) {
            throw new PersException(ErrorCode.NOT_FOUND, "File has not been uploaded yet");
        }
        return file;
    }

    /**
     * Checks the bytes against what was signed for, stores them, and marks the file stored. A
     * file is uploaded once: its URLs may be cached, so its bytes never change under them. The
     * row stays locked meanwhile, so of two uploads racing on one URL the second finds it stored.
     */
    @Transactional
    FileRecord store(UUID id, InputStream body) {
        FileRecord file = db.sql("select * from files where id = ? for update")
                .param(id)
                .query(Files::map)
                .optional()
                .orElseThrow(() -> PersException.notFound("File"));
        if (file.status() == Status.STORED) {
            throw new PersException(ErrorCode.ALREADY_EXISTS, "File has been uploaded already");
        }
        byte[] bytes = readAtMost(body, file.declaredSize());
        if (bytes.length == 0 || !ImageType.of(file.contentType()).matches(bytes)) {
            throw new PersException(ErrorCode.FILE_TYPE_NOT_ALLOWED, "The bytes are not " + file.contentType());
        }
        try {
            store.put(key(file), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        db.sql("update files set status = 'STORED', size = ?, stored_at = now() where id = ?")
                .params(bytes.length, id)
                .update();
        return find(id);
    }

    /** Reads one byte past the limit at most, so an oversized body is refused without holding it. */
    private static byte[] readAtMost(InputStream body, long limit) {
        try {
            byte[] bytes = body.readNBytes(Math.toIntExact(limit + 1));
            if (bytes.length > limit) {
                throw new PersException(
                        ErrorCode.FILE_TOO_LARGE, "Body exceeds the " + limit + " bytes the upload was signed for");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    InputStream open(FileRecord file) {
        try {
            return store.open(key(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key(FileRecord file) {
        return TenantContext.requireTenantId() + "/" + file.id();
    }

    private static void requireMayManage(Principal caller, OwnerType ownerType, UUID ownerId) {
        boolean own = caller.role() == Role.USER && ownerType == OwnerType.USER && ownerId.equals(caller.subjectId());
        if (caller.role() != Role.ADMIN && !own) {
            throw new PersException(ErrorCode.FORBIDDEN, "Admins upload the tenant's images; a user only their own");
        }
    }

    /** The owner must be of this tenant; row-level security hides every other tenant's rows. */
    private void requireOwnerExists(OwnerType ownerType, UUID ownerId) {
        boolean exists = db.sql("select exists (select 1 from " + ownerType.table + " where id = ?)")
                .param(ownerId)
                .query(Boolean.class)
                .single();
        if (!exists) {
            throw PersException.notFound(
                    ownerType.name().charAt(0) + ownerType.name().substring(1).toLowerCase());
        }
    }

    private static FileRecord map(ResultSet rs, int row) throws SQLException {
        return new FileRecord(
                rs.getObject("id", UUID.class),
                OwnerType.valueOf(rs.getString("owner_type")),
                rs.getObject("owner_id", UUID.class),
                rs.getString("content_type"),
                rs.getLong("declared_size"),
                rs.getObject("size", Long.class),
                Status.valueOf(rs.getString("status")),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("stored_at", OffsetDateTime.class));
    }
}
