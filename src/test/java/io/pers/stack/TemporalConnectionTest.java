package io.pers.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Metadata;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Temporal stubs' options as an operator's properties make them: TLS, mTLS, an API key. */
class TemporalConnectionTest {

    @TempDir
    static Path dir;

    static Path cert;
    static Path key;

    /** A self-signed certificate and its PKCS#8 key, as PEM files, made by the JDK's keytool. */
    @BeforeAll
    static void certificateFiles() throws Exception {
        Path store = dir.resolve("client.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "client",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=pers-worker",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .inheritIO()
                .start();
        assertThat(keytool.waitFor()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = new FileInputStream(store.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        cert = Files.writeString(
                dir.resolve("client.pem"),
                pem("CERTIFICATE", ks.getCertificate("client").getEncoded()));
        key = Files.writeString(
                dir.resolve("client.key"),
                pem("PRIVATE KEY", ks.getKey("client", "changeit".toCharArray()).getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static TemporalConnection connection(TemporalConnection.Tls tls, String apiKey) {
        return new TemporalConnection("temporal.example:7233", "pers-prod", tls, apiKey);
    }

    @Test
    void withoutTlsSettingsTheConnectionIsPlain() {
        WorkflowServiceStubsOptions options = connection(null, null).options("temporal.example:7233");

        assertThat(options.getTarget()).isEqualTo("temporal.example:7233");
        assertThat(options.getSslContext()).isNull();
        assertThat(options.getEnableHttps()).isFalse();
        assertThat(new TemporalConnection("", null, null, null).namespace()).isEqualTo("default");
    }

    @Test
    void aCaFileAndAServerNameGiveTlsTrustingThatCa() {
        WorkflowServiceStubsOptions options = connection(
                        new TemporalConnection.Tls(false, cert.toString(), "frontend.internal", null, null), null)
                .options("10.0.0.7:7233");

        assertThat(options.getSslContext()).isNotNull();
        assertThat(options.getSslContext().isClient()).isTrue();
        assertThat(options.getChannelInitializer())
                .as("the server name override")
                .isNotNull();
    }

    @Test
    void aClientCertificateAndKeyGiveMutualTls() {
        WorkflowServiceStubsOptions options = connection(
                        new TemporalConnection.Tls(false, cert.toString(), null, cert.toString(), key.toString()), null)
                .options("temporal.example:7233");

        assertThat(options.getSslContext()).isNotNull();
        assertThat(options.getSslContext().isClient()).isTrue();
    }

    @Test
    void aMissingFileNamesItsProperty() {
        assertThatThrownBy(() -> connection(
                                new TemporalConnection.Tls(
                                        false, dir.resolve("absent-ca.pem").toString(), null, null, null),
                                null)
                        .options("temporal.example:7233"))
                .hasMessageContaining("pers.temporal.tls.ca-file")
                .hasMessageContaining("absent-ca.pem");
        assertThatThrownBy(() -> connection(
                                new TemporalConnection.Tls(
                                        false,
                                        null,
                                        null,
                                        cert.toString(),
                                        dir.resolve("absent.key").toString()),
                                null)
                        .options("temporal.example:7233"))
                .hasMessageContaining("pers.temporal.tls.client-key-file");
        assertThatThrownBy(() -> connection(new TemporalConnection.Tls(false, null, null, cert.toString(), null), null)
                        .options("temporal.example:7233"))
                .hasMessageContaining("pers.temporal.tls.client-key-file");
    }

    @Test
    void anApiKeyIsSentAsABearerTokenOverTls() {
        WorkflowServiceStubsOptions options =
                connection(null, "tmprl-api-key-123").options("pers-prod.a1b2c.tmprl.cloud:7233");

        assertThat(options.getSslContext())
                .as("an API key is only ever sent over TLS")
                .isNotNull();
        Metadata sent = new Metadata();
        options.getGrpcMetadataProviders().forEach(p -> sent.merge(p.getMetadata()));
        assertThat(sent.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo("Bearer tmprl-api-key-123");
        assertThat(options.getHeaders().get(TemporalConnection.NAMESPACE_HEADER))
                .isEqualTo("pers-prod");
    }
}
