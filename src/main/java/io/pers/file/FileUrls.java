package io.pers.file;

import io.pers.api.ErrorCode;
import io.pers.api.PersException;
import io.pers.crypto.SecretBox;
import io.pers.crypto.Secrets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Short-lived URLs to a file's bytes, signed with HMAC-SHA256 under a key derived from the
 * master key. The signature covers the method, tenant, file and expiry, so none of them can be
 * changed and an upload URL is no download URL. Whoever holds one may use it until it expires.
 */
@Component
class FileUrls {

    private static final String PURPOSE = "pers.files.url-signing.v1";

    /** A signed URL and when it stops working. */
    record Signed(String url, Instant expiresAt) {}

    private final SecretBox box;
    private final Duration ttl;
    private final String publicBaseUrl;

    FileUrls(
            SecretBox box,
            @Value("${pers.files.url-ttl:10m}") Duration ttl,
            @Value("${pers.public-base-url:}") String publicBaseUrl) {
        this.box = box;
        this.ttl = ttl;
        this.publicBaseUrl = publicBaseUrl;
    }

    Signed sign(String method, UUID tenant, UUID file) {
        Instant expires = Instant.now().plus(ttl).truncatedTo(ChronoUnit.SECONDS);
        UriComponentsBuilder base = publicBaseUrl.isBlank()
                ? ServletUriComponentsBuilder.fromCurrentContextPath()
                : UriComponentsBuilder.fromUriString(publicBaseUrl.replaceAll("/+$", ""));
        String url = base.path("/v2/files/blobs/{id}")
                .queryParam("tenant", tenant)
                .queryParam("expires", expires.getEpochSecond())
                .queryParam("sig", signature(box.deriveKey(PURPOSE), method, tenant, file, expires.getEpochSecond()))
                .buildAndExpand(file)
                .toUriString();
        return new Signed(url, expires);
    }

    /** Refuses a signature that does not verify, and one that has expired, alike. */
    void verify(String method, UUID tenant, UUID file, long expires, String sig) {
        // Any configured master key: a URL signed just before a key rotation keeps working until it expires.
        boolean valid = sig != null
                && box.derivedKeys(PURPOSE).values().stream()
                        .anyMatch(key -> Secrets.equal(
                                signature(key, method, tenant, file, expires).getBytes(StandardCharsets.US_ASCII),
                                sig.getBytes(StandardCharsets.US_ASCII)));
        if (!valid || Instant.now().getEpochSecond() > expires) {
            throw new PersException(ErrorCode.INVALID_URL_SIGNATURE);
        }
    }

    private static String signature(byte[] key, String method, UUID tenant, UUID file, long expires) {
        String signed = method + "\n" + tenant + "\n" + file + "\n" + expires;
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Secrets.hmacSha256(key, signed.getBytes(StandardCharsets.UTF_8)));
    }
}
