package io.pers.file;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.pers.crypto.Secrets;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The S3 store against WireMock standing in for an S3-compatible endpoint. */
class S3FileStoreTest {

    private static final String ACCESS = "AKIDPERSTEST";
    private static final String SECRET = "pers/test+secret/key";
    private static final Instant AT = Instant.parse("2026-12-05T10:15:30Z");

    private WireMockServer s3;
    private S3FileStore store;

    @BeforeEach
    void start() {
        s3 = new WireMockServer(options().dynamicPort());
        s3.start();
        store = new S3FileStore(
                URI.create(s3.baseUrl() + "/"),
                "eu-west-1",
                "pers-files",
                ACCESS,
                SECRET,
                Clock.fixed(AT, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        s3.stop();
    }

    @Test
    void putAndGetAreSignedRequestsOnBucketSlashKey() throws IOException {
        byte[] png = "\u0089PNG bytes".getBytes(StandardCharsets.ISO_8859_1);
        s3.stubFor(
                put(urlPathEqualTo("/pers-files/t1/f1")).willReturn(aResponse().withStatus(200)));
        s3.stubFor(get(urlPathEqualTo("/pers-files/t1/f1"))
                .willReturn(aResponse().withStatus(200).withBody(png)));

        store.put("t1/f1", png);
        try (InputStream in = store.open("t1/f1")) {
            assertThat(in.readAllBytes()).isEqualTo(png);
        }

        List<LoggedRequest> requests = s3.findAll(anyRequestedFor(anyUrl()));
        assertThat(requests).hasSize(2);
        for (LoggedRequest request : requests) {
            byte[] body = request.getMethod().getName().equals("PUT") ? request.getBody() : new byte[0];
            assertThat(request.getHeader("x-amz-content-sha256"))
                    .as("the payload hash is the body's")
                    .isEqualTo(SigV4.hex(Secrets.sha256(body)));
            assertThat(request.getHeader("x-amz-date")).isEqualTo("20261205T101530Z");
            assertThat(request.getHeader("Authorization")).isEqualTo(expectedAuthorization(request));
        }
        assertThat(requests.get(0).getHeader("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDPERSTEST/20261205/eu-west-1/s3/aws4_request,"
                        + "SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=");
    }

    @Test
    void aMissingObjectIsNotFoundAndAnErrorIsAnIoFailure() {
        s3.stubFor(get(urlPathEqualTo("/pers-files/t1/none"))
                .willReturn(aResponse().withStatus(404)));
        s3.stubFor(put(urlPathEqualTo("/pers-files/t1/denied"))
                .willReturn(aResponse().withStatus(403).withBody("<Error><Code>SignatureDoesNotMatch</Code></Error>")));
        assertThatThrownBy(() -> store.open("t1/none")).isInstanceOf(FileNotFoundException.class);
        assertThatThrownBy(() -> store.put("t1/denied", new byte[] {1}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("403")
                .hasMessageContaining("SignatureDoesNotMatch");
    }

    @Test
    void configurationSelectsTheStore() {
        ApplicationContextRunner runner =
                new ApplicationContextRunner().withUserConfiguration(S3FileStore.class, LocalFileStore.class);
        runner.withPropertyValues(
                        "pers.files.store=s3",
                        "pers.files.s3.endpoint=" + s3.baseUrl(),
                        "pers.files.s3.region=eu-west-1",
                        "pers.files.s3.bucket=pers-files",
                        "pers.files.s3.access-key=" + ACCESS,
                        "pers.files.s3.secret-key=" + SECRET)
                .run(context ->
                        assertThat(context).hasSingleBean(FileStore.class).hasSingleBean(S3FileStore.class));
        runner.withPropertyValues("pers.files.local-dir=target/files-test")
                .run(context ->
                        assertThat(context).hasSingleBean(LocalFileStore.class).doesNotHaveBean(S3FileStore.class));
    }

    /** The signature recomputed from what WireMock received: host, date and payload hash as sent. */
    private static String expectedAuthorization(LoggedRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", request.getHeader("Host"));
        headers.put("x-amz-content-sha256", request.getHeader("x-amz-content-sha256"));
        headers.put("x-amz-date", request.getHeader("x-amz-date"));
        return new SigV4(ACCESS, SECRET, "eu-west-1", "s3")
                .authorization(
                        new SigV4.Request(
                                request.getMethod().getName(),
                                URI.create(request.getAbsoluteUrl()).getRawPath(),
                                Map.of(),
                                headers,
                                request.getHeader("x-amz-content-sha256")),
                        AT);
    }
}
