package io.pers.stack;

import io.grpc.Metadata;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How PERS connects to a Temporal cluster, set as its operators set it: the frontend's address, the
 * namespace, TLS (the server's CA, a server name override), mutual TLS (a client certificate and its
 * PKCS#8 key, as a self-hosted cluster with mTLS or Temporal Cloud's certificate auth wants), and an
 * API key (Temporal Cloud's other auth: {@code Authorization: Bearer <key>} over TLS). Everything
 * is the Temporal SDK's own options; nothing here talks to the server.
 *
 * @param target the frontend's host:port; empty: the embedded test server
 * @param namespace the namespace every client and worker uses
 * @param tls TLS to the frontend
 * @param apiKey an API key (Temporal Cloud); turns TLS on. A secret: set it from the environment
 */
@ConfigurationProperties("pers.temporal")
public record TemporalConnection(String target, String namespace, Tls tls, String apiKey) {

    /**
     * @param enabled TLS with the JVM's trusted CAs; implied by any file below or an API key
     * @param caFile PEM file of the CA(s) the server's certificate chains to (private CAs)
     * @param serverName the name to check the server's certificate against (and to send as SNI)
     *     when it is not the target's host, e.g. connecting through an IP or a tunnel
     * @param clientCertFile PEM client certificate (chain) for mutual TLS
     * @param clientKeyFile its PKCS#8 PEM private key ({@code openssl pkcs8 -topk8 -nocrypt} converts
     *     a PKCS#1 one)
     */
    public record Tls(boolean enabled, String caFile, String serverName, String clientCertFile, String clientKeyFile) {}

    static final Metadata.Key<String> NAMESPACE_HEADER =
            Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER);

    public TemporalConnection {
        namespace = blank(namespace) ? "default" : namespace;
        tls = tls == null ? new Tls(false, null, null, null, null) : tls;
    }

    boolean external() {
        return !blank(target);
    }

    boolean tlsOn() {
        return tls.enabled()
                || !blank(tls.caFile())
                || !blank(tls.clientCertFile())
                || !blank(tls.clientKeyFile())
                || !blank(apiKey);
    }

    /** The stubs' options for {@code address}: TLS, mTLS and the API key as configured. */
    WorkflowServiceStubsOptions options(String address) {
        WorkflowServiceStubsOptions.Builder options =
                WorkflowServiceStubsOptions.newBuilder().setTarget(address);
        if (tlsOn()) {
            options.setSslContext(sslContext());
            if (!blank(tls.serverName())) {
                String serverName = tls.serverName();
                options.setChannelInitializer(channel -> channel.overrideAuthority(serverName));
            }
        }
        if (!blank(apiKey)) {
            String key = apiKey.strip();
            options.addApiKey(() -> key);
            // Temporal Cloud routes an API-key call by its namespace header.
            Metadata headers = new Metadata();
            headers.put(NAMESPACE_HEADER, namespace);
            options.setHeaders(headers);
        }
        return options.build();
    }

    /** A client TLS context: the CA file's certificates as trust (else the JVM's), the client pair for mTLS. */
    SslContext sslContext() {
        boolean hasCert = !blank(tls.clientCertFile());
        boolean hasKey = !blank(tls.clientKeyFile());
        if (hasCert != hasKey) {
            throw new IllegalStateException("Mutual TLS to Temporal needs both pers.temporal.tls.client-cert-file and"
                    + " pers.temporal.tls.client-key-file; only "
                    + (hasCert ? "client-cert-file" : "client-key-file") + " is set");
        }
        try {
            SimpleSslContextBuilder builder;
            if (hasCert) {
                try (InputStream cert = open("pers.temporal.tls.client-cert-file", tls.clientCertFile());
                        InputStream key = open("pers.temporal.tls.client-key-file", tls.clientKeyFile())) {
                    builder = SimpleSslContextBuilder.forPKCS8(cert, key);
                    return withTrust(builder).build();
                }
            }
            return withTrust(SimpleSslContextBuilder.noKeyOrCertChain()).build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("TLS to Temporal could not be set up from pers.temporal.tls.*: " + e, e);
        }
    }

    private SimpleSslContextBuilder withTrust(SimpleSslContextBuilder builder)
            throws IOException, GeneralSecurityException {
        if (blank(tls.caFile())) {
            return builder;
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream pem = open("pers.temporal.tls.ca-file", tls.caFile())) {
            int i = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                trusted.setCertificateEntry("ca-" + i++, ca);
            }
            if (i == 0) {
                throw new IllegalStateException(
                        "pers.temporal.tls.ca-file " + tls.caFile() + " holds no PEM certificate");
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        return builder.setTrustManager(trust.getTrustManagers()[0]);
    }

    /** The file a property names; a missing one fails naming the property. */
    private static InputStream open(String property, String file) throws IOException {
        try {
            return Files.newInputStream(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(property + ": no such file " + file);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
