package io.pers.crypto;

/**
 * A sealed value names a master key this instance was not given: it was sealed under a key since
 * removed from {@code pers.secrets.master-keys}, or the configuration lacks one. Names the key id,
 * never key material.
 */
public class UnknownMasterKeyException extends IllegalStateException {

    private final String keyId;

    UnknownMasterKeyException(String keyId) {
        super("A secret is sealed under master key '" + keyId + "', which is not configured: set "
                + "pers.secrets.master-keys." + keyId + " (or re-seal with the key still configured first)");
        this.keyId = keyId;
    }

    public String keyId() {
        return keyId;
    }
}
