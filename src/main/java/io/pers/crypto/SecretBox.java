package io.pers.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets kept at rest (signing keys now; webhook secrets and HD seeds later) with
 * AES-256-GCM under one master key. The key comes from {@code pers.secrets.master-key} (base64,
 * 32 bytes; in production from the secret store) or, for a local run, from a file under the
 * state folder created with owner-only permissions on first start.
 */
@Component
public class SecretBox {

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final int NONCE_BYTES = 12;

    private final SecretKeySpec key;

    SecretBox(@Value("${pers.secrets.master-key:}") String configured, @Value("${pers.home:.pers}") Path home) {
        this.key = new SecretKeySpec(
                configured.isBlank() ? localKey(home.resolve("master.key")) : decode(configured), "AES");
    }

    public byte[] seal(byte[] plaintext) {
        byte[] nonce = Secrets.randomBytes(NONCE_BYTES);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, nonce, plaintext);
        return ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                .put(nonce)
                .put(sealed)
                .array();
    }

    public byte[] open(byte[] box) {
        ByteBuffer in = ByteBuffer.wrap(box);
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(nonce);
        byte[] sealed = new byte[in.remaining()];
        in.get(sealed);
        return crypt(Cipher.DECRYPT_MODE, nonce, sealed);
    }

    /**
     * A key for one purpose (e.g. signing file URLs), derived from the master key with
     * HMAC-SHA256, so no further secret has to be configured, kept or rotated apart from it.
     */
    public byte[] deriveKey(String purpose) {
        return Secrets.hmacSha256(key.getEncoded(), purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private byte[] crypt(int mode, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, nonce));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "Secret could not be " + (mode == Cipher.ENCRYPT_MODE ? "sealed" : "opened"), e);
        }
    }

    private static byte[] decode(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64.trim());
        if (bytes.length != 32) {
            throw new IllegalStateException("pers.secrets.master-key must be 32 bytes, base64-encoded");
        }
        return bytes;
    }

    private static byte[] localKey(Path file) {
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file));
            }
            Files.createDirectories(file.getParent());
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(Set.of(
                            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
            byte[] key = Secrets.randomBytes(32);
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
            log.info("Created a local master key at {} (set pers.secrets.master-key in production)", file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
