package io.pers.file;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where file bytes live, by key ({@code tenant/id}), chosen by {@code pers.files.store}: the local
 * disk ({@code local}, the default) or an S3-compatible object store ({@code s3}). Bytes are
 * checked before {@link #put}, so a store only keeps them.
 */
interface FileStore {

    /** Keeps the bytes under the key, all or nothing: a reader never sees a partial file. */
    void put(String key, byte[] bytes) throws IOException;

    InputStream open(String key) throws IOException;
}
