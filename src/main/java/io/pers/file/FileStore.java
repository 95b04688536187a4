package io.pers.file;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where file bytes live, by key ({@code tenant/id}). The local disk store is the default; an
 * S3-compatible store is the extension point: implement this interface as a bean under
 * {@code pers.files.store=s3} (bytes are checked before {@link #put}, so a store only keeps them).
 */
interface FileStore {

    /** Keeps the bytes under the key, all or nothing: a reader never sees a partial file. */
    void put(String key, byte[] bytes) throws IOException;

    InputStream open(String key) throws IOException;
}
