package io.pers.file;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The image types PERS keeps, each known by its magic number as well as its name. */
enum ImageType {
    PNG("image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}),
    JPEG("image/jpeg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}),
    GIF("image/gif", "GIF8".getBytes(StandardCharsets.US_ASCII)),
    WEBP("image/webp", "RIFF".getBytes(StandardCharsets.US_ASCII));

    private final String mediaType;
    private final byte[] magic;

    ImageType(String mediaType, byte[] magic) {
        this.mediaType = mediaType;
        this.magic = magic;
    }

    String mediaType() {
        return mediaType;
    }

    static ImageType of(String mediaType) {
        for (ImageType type : values()) {
            if (type.mediaType.equalsIgnoreCase(mediaType == null ? "" : mediaType.trim())) {
                return type;
            }
        }
        throw new PersException(
                ErrorCode.FILE_TYPE_NOT_ALLOWED,
                "contentType must be one of image/png, image/jpeg, image/webp, image/gif");
    }

    /** Whether the bytes start as this type does (WebP: a RIFF container whose form type is WEBP). */
    boolean matches(byte[] bytes) {
        if (bytes.length < magic.length || !Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length)) {
            return false;
        }
        return this != WEBP
                || (bytes.length >= 12 && new String(bytes, 8, 4, StandardCharsets.US_ASCII).equals("WEBP"));
    }
}
