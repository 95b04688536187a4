package io.pers.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** Files on local disk, under the state folder unless {@code pers.files.local-dir} says otherwise. */
@Component
@ConditionalOnProperty(name = "pers.files.store", havingValue = "local", matchIfMissing = true)
class LocalFileStore implements FileStore {

    private final Path root;

    LocalFileStore(@Value("${pers.files.local-dir:${pers.home:.pers}/files}") Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        // Written aside and moved in, so a crash mid-write leaves no half file under the key.
        Path partial = Files.createTempFile(target.getParent(), ".upload-", ".part");
        try {
            Files.write(partial, bytes);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(resolve(key));
    }

    /** Keys are made of UUIDs; the check keeps any other key from leaving the root. */
    private Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("File key outside the store: " + key);
        }
        return path;
    }
}
