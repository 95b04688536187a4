package io.pers.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets kept at rest (signing keys, webhook and connector secrets, HD seeds, replayed
 * responses) with AES-256-GCM under a ring of master keys, each with an id.
 *
 * <p>Every sealed value names the key it was sealed under: {@code 0x01, len, key id (ASCII), nonce
 * (12), ciphertext + tag}. New values are sealed under {@code pers.secrets.current-key-id}; any
 * configured key opens what it sealed, so a key is rotated by adding the new one, making it current,
 * re-sealing ({@code --pers.secrets.reseal=true}, README "Rotating the master key"), and only then
 * removing the old one. Keys: {@code pers.secrets.master-keys.<id>} (base64, 32 bytes each); the
 * older single {@code pers.secrets.master-key} is the key {@value #DEFAULT_ID}, and so is the local
 * file under the state folder a local run creates with owner-only permissions when no key is
 * configured at all. Values sealed before key ids existed were migrated to name {@value #DEFAULT_ID}
 * (V26). Key material is never logged: only ids.
 */
@Component
public class SecretBox {

    /** The id of the key that sealed everything before key ids existed. */
    public static final String DEFAULT_ID = "default";

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final int NONCE_BYTES = 12;
    private static final byte VERSION = 1;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Map<String, SecretKeySpec> keys;
    private final String currentId;
    private final byte[] currentHeader;

    @Autowired
    SecretBox(
            Environment env,
            @Value("${pers.secrets.master-key:}") String single,
            @Value("${pers.secrets.current-key-id:" + DEFAULT_ID + "}") String currentId,
            @Value("${pers.home:.pers}") Path home) {
        this(
                Binder.get(env)
                        .bind("pers.secrets.master-keys", Bindable.mapOf(String.class, String.class))
                        .orElse(Map.of()),
                single,
                currentId,
                home);
    }

    /** The ring as configured: {@code ring} by id, {@code single} (if set) as {@value #DEFAULT_ID}. */
    public SecretBox(Map<String, String> ring, String single, String currentId, Path home) {
        Map<String, SecretKeySpec> byId = new LinkedHashMap<>();
        ring.forEach((id, base64) -> byId.put(checkId(id), aes(decode(base64, "pers.secrets.master-keys." + id))));
        if (single != null && !single.isBlank()) {
            if (byId.containsKey(DEFAULT_ID)) {
                throw new IllegalStateException(
                        "Both pers.secrets.master-key and pers.secrets.master-keys.default are set: keep one");
            }
            byId.put(DEFAULT_ID, aes(decode(single, "pers.secrets.master-key")));
        }
        Path file = home.resolve("master.key");
        if (!byId.containsKey(DEFAULT_ID) && (byId.isEmpty() || Files.exists(file))) {
            byId.put(DEFAULT_ID, aes(localKey(file)));
        }
        if (!byId.containsKey(checkId(currentId))) {
            throw new IllegalStateException("pers.secrets.current-key-id names '" + currentId
                    + "', which is not configured: set pers.secrets.master-keys." + currentId);
        }
        this.keys = Collections.unmodifiableMap(byId);
        this.currentId = currentId;
        this.currentHeader = header(currentId);
        log.info("Master keys configured: {}; new secrets are sealed under '{}'", byId.keySet(), currentId);
    }

    public byte[] seal(byte[] plaintext) {
        byte[] nonce = Secrets.randomBytes(NONCE_BYTES);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, keys.get(currentId), nonce, plaintext);
        return ByteBuffer.allocate(currentHeader.length + NONCE_BYTES + sealed.length)
                .put(currentHeader)
                .put(nonce)
                .put(sealed)
                .array();
    }

    public byte[] open(byte[] box) {
        ByteBuffer in = ByteBuffer.wrap(box);
        String id = keyIdOf(box);
        SecretKeySpec key = keys.get(id);
        if (key == null) {
            throw new UnknownMasterKeyException(id);
        }
        in.position(2 + id.length());
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(nonce);
        byte[] sealed = new byte[in.remaining()];
        in.get(sealed);
        return crypt(Cipher.DECRYPT_MODE, key, nonce, sealed);
    }

    /** The id of the key {@code box} was sealed under, read from its envelope. */
    public static String keyIdOf(byte[] box) {
        if (box.length < 2 + NONCE_BYTES || box[0] != VERSION || box[1] < 1 || box.length < 2 + box[1] + NONCE_BYTES) {
            throw new IllegalStateException("Not a sealed secret (no key id envelope)");
        }
        return new String(box, 2, box[1], StandardCharsets.US_ASCII);
    }

    /** The key id new secrets are sealed under. */
    public String currentKeyId() {
        return currentId;
    }

    /**
     * The envelope prefix of values sealed under the current key: a row whose sealed bytes do not
     * start with it still needs re-sealing (SQL compares the prefix, nothing is decrypted).
     */
    public byte[] currentHeader() {
        return currentHeader.clone();
    }

    /** The same plaintext sealed under the current key; a value already under it is returned as is. */
    public byte[] reseal(byte[] box) {
        return currentId.equals(keyIdOf(box)) ? box : seal(open(box));
    }

    /**
     * A key for one purpose (e.g. signing file URLs), derived from the current master key with
     * HMAC-SHA256, so no further secret has to be configured, kept or rotated apart from it.
     */
    public byte[] deriveKey(String purpose) {
        return derive(keys.get(currentId), purpose);
    }

    /**
     * The purpose's key under every configured master key, current first: what was signed under a
     * key being rotated out still verifies until that key is removed.
     */
    public Map<String, byte[]> derivedKeys(String purpose) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put(currentId, deriveKey(purpose));
        keys.forEach((id, key) -> out.putIfAbsent(id, derive(key, purpose)));
        return out;
    }

    private static byte[] derive(SecretKeySpec key, String purpose) {
        return Secrets.hmacSha256(key.getEncoded(), purpose.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] header(String id) {
        byte[] ascii = id.getBytes(StandardCharsets.US_ASCII);
        byte[] header = Arrays.copyOf(new byte[] {VERSION, (byte) ascii.length}, 2 + ascii.length);
        System.arraycopy(ascii, 0, header, 2, ascii.length);
        return header;
    }

    private static String checkId(String id) {
        if (id == null || !KEY_ID.matcher(id).matches()) {
            throw new IllegalStateException(
                    "A master key id is 1-64 characters of A-Z, a-z, 0-9, '_' and '-': '" + id + "' is not");
        }
        return id;
    }

    private static byte[] crypt(int mode, SecretKeySpec key, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, nonce));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "Secret could not be " + (mode == Cipher.ENCRYPT_MODE ? "sealed" : "opened"), e);
        }
    }

    private static SecretKeySpec aes(byte[] key) {
        return new SecretKeySpec(key, "AES");
    }

    private static byte[] decode(String base64, String property) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " must be 32 bytes, base64-encoded");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(property + " must be 32 bytes, base64-encoded");
        }
        return bytes;
    }

    private static byte[] localKey(Path file) {
        try {
            if (Files.exists(file)) {
                return decode(Files.readString(file), file.toString());
            }
            Files.createDirectories(file.getParent());
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(
                            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            byte[] key = Secrets.randomBytes(32);
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
            log.info("Created a local master key at {} (set pers.secrets.master-keys in production)", file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
