package io.pers.file;

import io.pers.crypto.Secrets;
import io.pers.outbound.Excerpts;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Files in an S3-compatible object store (AWS S3, MinIO, Ceph RGW, R2, Scaleway, …), selected by
 * {@code pers.files.store=s3}: PUT and GET Object on {@code endpoint/bucket/key} (path-style, which
 * every S3-compatible store serves), signed with AWS Signature Version 4 ({@link SigV4}) over the
 * payload's SHA-256. A PUT is atomic on S3's side: a reader sees the whole object or none.
 */
@Component
@ConditionalOnProperty(name = "pers.files.store", havingValue = "s3")
class S3FileStore implements FileStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final String bucket;
    private final SigV4 signer;
    private final Clock clock;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Autowired
    S3FileStore(
            @Value("${pers.files.s3.endpoint}") URI endpoint,
            @Value("${pers.files.s3.region}") String region,
            @Value("${pers.files.s3.bucket}") String bucket,
            @Value("${pers.files.s3.access-key}") String accessKey,
            @Value("${pers.files.s3.secret-key}") String secretKey) {
        this(endpoint, region, bucket, accessKey, secretKey, Clock.systemUTC());
    }

    S3FileStore(URI endpoint, String region, String bucket, String accessKey, String secretKey, Clock clock) {
        this.endpoint = URI.create(endpoint.toString().replaceAll("/+$", ""));
        this.bucket = bucket;
        this.signer = new SigV4(accessKey, secretKey, region, "s3");
        this.clock = clock;
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        HttpResponse<byte[]> response = send("PUT", key, bytes);
        if (response.statusCode() / 100 != 2) {
            throw new IOException("S3 PUT " + key + " answered " + response.statusCode() + ": " + excerpt(response));
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        HttpResponse<byte[]> response = send("GET", key, new byte[0]);
        if (response.statusCode() == 404) {
            throw new FileNotFoundException("S3 has no object " + key);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("S3 GET " + key + " answered " + response.statusCode() + ": " + excerpt(response));
        }
        return new ByteArrayInputStream(response.body());
    }

    private HttpResponse<byte[]> send(String method, String key, byte[] body) throws IOException {
        String path = endpoint.getRawPath() + "/" + bucket + "/" + key;
        Instant now = clock.instant();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(
                "host", endpoint.getPort() == -1 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort());
        headers.put("x-amz-content-sha256", SigV4.hex(Secrets.sha256(body)));
        headers.put("x-amz-date", SigV4.AMZ_DATE.format(now));
        String authorization = signer.authorization(
                new SigV4.Request(method, path, Map.of(), headers, headers.get("x-amz-content-sha256")), now);
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(endpoint.getScheme() + "://" + headers.get("host") + SigV4.encodePath(path)))
                .timeout(TIMEOUT)
                .header("x-amz-content-sha256", headers.get("x-amz-content-sha256"))
                .header("x-amz-date", headers.get("x-amz-date"))
                .header("Authorization", authorization)
                .method(
                        method,
                        method.equals("PUT")
                                ? HttpRequest.BodyPublishers.ofByteArray(body)
                                : HttpRequest.BodyPublishers.noBody());
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted talking to S3", e);
        }
    }

    /** For the log: bounded and sanitised, so the store's answer cannot forge log lines. */
    private static String excerpt(HttpResponse<byte[]> response) {
        return Excerpts.of(new String(response.body(), StandardCharsets.UTF_8), 300);
    }
}
