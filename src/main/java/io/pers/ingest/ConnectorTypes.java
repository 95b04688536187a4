package io.pers.ingest;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The connectors this instance runs, as people and the console choose among them: each one's
 * connector.yaml as {@link Connectors} loaded it (no second reading of the files), with the fields
 * a connection of it takes ({@code POST /v2/connectors}), which follow from its declaration: a
 * signing secret for a system that signs with an HMAC, or for a polled one the API's base URL, the
 * account (when its request names one) and the credential.
 */
@Component
class ConnectorTypes {

    @Schema(name = "ConnectorKind")
    enum Kind {
        /** The system delivers signed webhooks to the connection's ingest URL. */
        WEBHOOK,
        /** PERS reads the system's API. */
        POLLED
    }

    @Schema(name = "ConnectorFieldType")
    enum FieldType {
        TEXT,
        /** Never shown back once sent. */
        SECRET,
        URL
    }

    /**
     * A field of {@code POST /v2/connectors} for this connector: {@code name} is the body's member,
     * {@code required} whether the connection can be made without it.
     */
    @Schema(name = "ConnectorField")
    record ConnectionField(String name, String label, FieldType type, boolean required, String hint) {}

    /**
     * How the system signs: the header that carries the signature (lower-cased), the algorithm and
     * encoding, how the secret is written ({@code TEXT}, {@code BASE64}, or {@code WHSEC}: a Standard
     * Webhooks {@code whsec_} secret), and how old a signed time may be (null: no time is signed).
     */
    @Schema(name = "ConnectorSignature")
    record Signature(String header, String algorithm, String encoding, String secretFormat, Long toleranceSeconds) {}

    /** How a polled connector reads: how often (ISO-8601), the path read, and the account's query parameter. */
    @Schema(name = "ConnectorPolling")
    record Polling(String interval, String path, String accountParam, int pageSize) {}

    /**
     * A connector: its {@code name} (the folder of connectors/, and what a connection, a trigger
     * mapping's {@code source} and an ingest URL name), what it is, its {@code kind}, the fields a
     * connection of it takes, its {@code events} (the system's events and the canonical types they
     * become), and its {@code samples}: the deliveries it ships, which simulate takes as
     * {@code <name>/<sample>} (none for a polled connector: its samples are API pages).
     */
    record ConnectorType(
            String name,
            String title,
            String description,
            Kind kind,
            boolean batch,
            Signature signature,
            Polling polling,
            List<ConnectionField> fields,
            Map<String, String> events,
            List<String> samples) {}

    private final Ingest ingest;
    private final Connectors connectors;

    ConnectorTypes(Ingest ingest, Connectors connectors) {
        this.ingest = ingest;
        this.connectors = connectors;
    }

    List<ConnectorType> list() {
        return ingest.running().stream().map(this::view).toList();
    }

    ConnectorType find(String name) {
        return view(ingest.connector(name));
    }

    private ConnectorType view(Connectors.Connector c) {
        return new ConnectorType(
                c.name(),
                c.title(),
                c.description(),
                c.polled() ? Kind.POLLED : Kind.WEBHOOK,
                c.batch(),
                c.polled() ? null : signature(c.signature()),
                c.polled() ? polling(c.polling()) : null,
                fields(c),
                new TreeMap<>(c.events()),
                c.polled() ? List.of() : connectors.sampleNames(c.name()));
    }

    private static Signature signature(SignatureSpec s) {
        return new Signature(
                s.header(),
                s.algorithm(),
                s.encoding().name(),
                s.hmac() ? s.secret().name() : null,
                s.timestamp() == null ? null : s.timestamp().toleranceSeconds());
    }

    private static Polling polling(PollingSpec p) {
        return new Polling(p.interval().toString(), p.path(), p.accountParam(), p.pageSize());
    }

    static List<ConnectionField> fields(Connectors.Connector c) {
        List<ConnectionField> fields = new ArrayList<>();
        fields.add(new ConnectionField(
                "description", "Description", FieldType.TEXT, false, "what this connection is, for you"));
        if (c.polled()) {
            PollingSpec p = c.polling();
            fields.add(new ConnectionField(
                    "baseUrl",
                    "Base URL",
                    FieldType.URL,
                    true,
                    c.title() + "'s API, http(s): PERS reads GET " + p.path() + " under it"));
            if (p.accountParam() != null) {
                fields.add(new ConnectionField(
                        "accountId",
                        "Account",
                        FieldType.TEXT,
                        true,
                        "the account within it, sent as " + p.accountParam()));
            }
            fields.add(new ConnectionField(
                    "credential",
                    "Credential",
                    FieldType.SECRET,
                    true,
                    "the API key PERS reads with (a Bearer token): stored encrypted, never shown again"));
        } else if (c.signature().hmac()) {
            SignatureSpec s = c.signature();
            fields.add(new ConnectionField(
                    "signingSecret",
                    "Signing secret",
                    FieldType.SECRET,
                    false,
                    (s.secret() == SignatureSpec.SecretFormat.WHSEC
                                    ? "a Standard Webhooks secret (whsec_ and base64)"
                                    : "the secret " + c.title() + " signs " + s.header() + " with")
                            + "; empty: PERS makes one, shown once"));
        }
        return fields;
    }
}
