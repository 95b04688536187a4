package io.pers.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.crypto.SecretBox;
import io.pers.crypto.Secrets;
import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import io.pers.tenant.TenantContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Images through signed URLs: the round trip, forged and expired URLs, type and size limits, roles. */
class FileIT extends ApiTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F'};
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    JdbcClient db;

    @Autowired
    SecretBox box;

    @Value("${pers.home}")
    Path home;

    @Test
    void anAdminUploadsATokenImageAndAnyCallerOfTheTenantDownloadsIt() throws Exception {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("IMG" + suffix());
        byte[] image = png(2 * 1024 * 1024); // over the 1 MB limit of API bodies
        Api.Response upload = sign(tenant.admin(), "TOKEN", token, "image/png", image.length);
        assertThat(upload.status()).as(upload.toString()).isEqualTo(201);
        assertThat(upload.text("method")).isEqualTo("PUT");

        HttpResponse<String> put = put(upload.text("uploadUrl"), "image/png", image);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

        Api.Response meta = tenant.anonymous().get("/v2/files/" + upload.text("id"));
        assertThat(meta.status()).as(meta.toString()).isEqualTo(200);
        assertThat(meta.json().path("file").path("size").asLong()).isEqualTo(image.length);
        assertThat(meta.json().path("file").path("ownerId").asString()).isEqualTo(token.toString());
        HttpResponse<byte[]> got = get(meta.text("downloadUrl"));
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(got.body()).isEqualTo(image);

        HttpResponse<String> again = put(upload.text("uploadUrl"), "image/png", image);
        assertThat(again.statusCode()).as("a stored file is never replaced").isEqualTo(409);
    }

    @Test
    void tamperedExpiredOrMisusedUrlsAre403() throws Exception {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("IMG" + suffix());
        Api.Response upload = sign(tenant.admin(), "TOKEN", token, "image/png", PNG.length);
        String url = upload.text("uploadUrl");
        String id = upload.text("id");

        String forgedSig = url.replaceFirst("sig=.", "sig=" + (url.contains("sig=A") ? "B" : "A"));
        String otherTenant =
                url.replace(tenant.id().toString(), UUID.randomUUID().toString());
        String later =
                url.replaceFirst("expires=\\d+", "expires=" + (Instant.now().getEpochSecond() + 86_400));
        for (String forged : new String[] {forgedSig, otherTenant, later, url.replaceFirst("&sig=[^&]*", "")}) {
            HttpResponse<String> refused = put(forged, "image/png", PNG);
            assertThat(refused.statusCode()).as(forged).isEqualTo(403);
            assertThat(refused.headers().firstValue("content-type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(Api.JSON.readTree(refused.body()).path("code").asString())
                    .isEqualTo("INVALID_URL_SIGNATURE");
        }
        assertThat(get(url).statusCode()).as("an upload URL does not download").isEqualTo(403);

        // Signed correctly, by the scheme and key the app uses, but a second past its expiry.
        long expired = Instant.now().getEpochSecond() - 1;
        String signed = "PUT\n" + tenant.id() + "\n" + id + "\n" + expired;
        String sig = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Secrets.hmacSha256(
                        box.deriveKey("pers.files.url-signing.v1"), signed.getBytes(StandardCharsets.UTF_8)));
        String expiredUrl = "http://localhost:" + port + "/v2/files/blobs/" + id + "?tenant=" + tenant.id()
                + "&expires=" + expired + "&sig=" + sig;
        assertThat(put(expiredUrl, "image/png", PNG).statusCode()).isEqualTo(403);
        assertThat(put(expiredUrl.replace("&expires=" + expired, "&expires=" + (expired + 3600)), "image/png", PNG)
                        .statusCode())
                .as("the same signature does not stretch to a later expiry")
                .isEqualTo(403);
        assertThat(storedFiles(tenant)).isZero();
        assertThat(put(url, "image/png", PNG).statusCode())
                .as("the genuine URL still works")
                .isEqualTo(200);
    }

    @Test
    void wrongTypesAndOversizedFilesAreRefusedAndNothingIsStored() throws Exception {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("IMG" + suffix());
        Api admin = tenant.admin();

        Api.Response svg = sign(admin, "TOKEN", token, "image/svg+xml", 100);
        assertThat(svg.status()).isEqualTo(400);
        assertThat(svg.code()).isEqualTo("FILE_TYPE_NOT_ALLOWED");
        Api.Response huge = sign(admin, "TOKEN", token, "image/png", 5 * 1024 * 1024 + 1);
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.code()).isEqualTo("FILE_TOO_LARGE");
        assertThat(sign(admin, "TOKEN", token, "image/png", 0).code()).isEqualTo("VALIDATION_FAILED");
        assertThat(sign(admin, "TOKEN", UUID.randomUUID(), "image/png", 10).status())
                .isEqualTo(404);
        assertThat(TenantContext.callAs(tenant.id(), () -> db.sql("select count(*) from files")
                        .query(Long.class)
                        .single()))
                .as("refused signings record nothing")
                .isZero();

        Api.Response upload = sign(admin, "TOKEN", token, "image/png", PNG.length);
        String url = upload.text("uploadUrl");
        HttpResponse<String> jpegBytes = put(url, "image/png", Arrays.copyOf(JPEG, PNG.length));
        assertThat(jpegBytes.statusCode()).isEqualTo(400);
        assertThat(Api.JSON.readTree(jpegBytes.body()).path("code").asString()).isEqualTo("FILE_TYPE_NOT_ALLOWED");
        HttpResponse<String> longer = put(url, "image/png", png(PNG.length + 1));
        assertThat(longer.statusCode()).as("more bytes than signed for").isEqualTo(413);
        assertThat(Api.JSON.readTree(longer.body()).path("code").asString()).isEqualTo("FILE_TOO_LARGE");
        assertThat(admin.get("/v2/files/" + upload.text("id")).status()).isEqualTo(404);
        assertThat(storedFiles(tenant)).isZero();
        try (Stream<Path> kept = java.nio.file.Files.exists(home.resolve("files/" + tenant.id()))
                ? java.nio.file.Files.list(home.resolve("files/" + tenant.id()))
                : Stream.empty()) {
            assertThat(kept).as("no bytes on disk").isEmpty();
        }
    }

    @Test
    void aUserManagesOnlyTheirOwnPictureAndOnlyTheyAndOperatorsSeeIt() throws Exception {
        TenantFixture tenant = newTenant();
        UUID token = tenant.createToken("IMG" + suffix());
        Api ana = tenant.signIn("files-ana", "ana@files.test");
        Api ben = tenant.signIn("files-ben", "ben@files.test");
        UUID anaId = UUID.fromString(ana.get("/v2/users/me").text("id"));
        UUID benId = UUID.fromString(ben.get("/v2/users/me").text("id"));

        Api.Response own = sign(ana, "USER", anaId, "image/jpeg", JPEG.length);
        assertThat(own.status()).as(own.toString()).isEqualTo(201);
        assertThat(put(own.text("uploadUrl"), "image/jpeg", JPEG).statusCode()).isEqualTo(200);
        assertThat(sign(ana, "USER", benId, "image/jpeg", JPEG.length).status()).isEqualTo(403);
        assertThat(sign(ana, "TOKEN", token, "image/png", PNG.length).status()).isEqualTo(403);
        assertThat(sign(tenant.anonymous(), "TOKEN", token, "image/png", PNG.length)
                        .status())
                .isEqualTo(401);

        String picture = "/v2/files/" + own.text("id");
        assertThat(ana.get(picture).status()).isEqualTo(200);
        assertThat(tenant.admin().get(picture).status()).isEqualTo(200);
        assertThat(ben.get(picture).status()).isEqualTo(404);
        assertThat(tenant.anonymous().get(picture).status()).isEqualTo(404);

        TenantFixture other = newTenant();
        assertThat(other.admin().get(picture).status()).as("another tenant").isEqualTo(404);
        assertThat(sign(other.admin(), "TOKEN", token, "image/png", PNG.length).status())
                .isEqualTo(404);
        assertThat(sign(other.admin(), "TENANT", tenant.id(), "image/png", PNG.length)
                        .status())
                .isEqualTo(404);
        assertThat(sign(tenant.admin(), "TENANT", tenant.id(), "image/png", PNG.length)
                        .status())
                .isEqualTo(201);
    }

    private static Api.Response sign(Api caller, String ownerType, UUID ownerId, String contentType, long size) {
        return caller.post(
                "/v2/files/uploads",
                Map.of(
                        "ownerType",
                        ownerType,
                        "ownerId",
                        ownerId.toString(),
                        "contentType",
                        contentType,
                        "size",
                        size));
    }

    private long storedFiles(TenantFixture tenant) {
        return TenantContext.callAs(tenant.id(), () -> db.sql("select count(*) from files where status = 'STORED'")
                .query(Long.class)
                .single());
    }

    private static byte[] png(int size) {
        return Arrays.copyOf(PNG, size);
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 6).toUpperCase();
    }

    private static HttpResponse<String> put(String url, String contentType, byte[] body)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("content-type", contentType)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
