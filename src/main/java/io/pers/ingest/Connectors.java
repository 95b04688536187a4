package io.pers.ingest;

import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.Parser;
import io.pers.config.ConfigFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.Yaml;

/**
 * The connector catalogue: every folder of {@code connectors/} with a {@code connector.yaml}
 * (its signature scheme, or for a polled connector its {@link PollingSpec}, and its mapping
 * file), read once at start: the ones packaged in the jar and those of {@code pers.config-dir}
 * ({@link ConfigFiles}). Adding a system adds a folder and a route, never a class.
 */
@Component
public class Connectors {

    /** The signature schemes the generic verifier knows (see connectors/README.md). */
    enum Scheme {
        /** base64 HMAC-SHA256 of the raw body, keyed by the secret's UTF-8 bytes (Shopify, WooCommerce). */
        HMAC_SHA256_BODY_BASE64,
        /** base64 HMAC-SHA256 of the URL the system delivers to followed by the raw body (Square). */
        HMAC_SHA256_URL_BODY_BASE64,
        /**
         * base64 HMAC-SHA256 of method + URL + raw body + the timestamp header (epoch milliseconds,
         * within the tolerance) (HubSpot signature v3).
         */
        HMAC_SHA256_METHOD_URL_BODY_TIMESTAMP_BASE64,
        /** Standard Webhooks: v1,base64 HMAC-SHA256 of id.timestamp.body, keyed by a whsec_ secret. */
        STANDARD_WEBHOOKS
    }

    /**
     * A connector.yaml, read. {@code unsignedPing}: a body the system sends unsigned to test a new
     * endpoint (WooCommerce's {@code webhook_id=N}), answered 200 without being stored; {@code
     * batch}: the body is a JSON array of events, each mapped, deduplicated and published on its own.
     */
    record Connector(
            String name,
            String title,
            Scheme scheme,
            String signatureHeader,
            String timestampHeader,
            long toleranceSeconds,
            Pattern unsignedPing,
            boolean batch,
            Expression mapping,
            PollingSpec polling) {

        /** PERS reads this system's API; nothing is delivered to PERS or signed. */
        boolean polled() {
            return polling != null;
        }
    }

    /** A delivery shipped in {@code connectors/<name>/samples/}: its body and its request headers. */
    record Sample(byte[] body, Map<String, String> headers) {}

    /** A sample's name: a file name without its folder or its {@code .json}. */
    private static final Pattern SAMPLE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,100}");

    private final Map<String, Connector> connectors = new TreeMap<>();
    private final Map<String, Resource> descriptors = new TreeMap<>();

    Connectors(ConfigFiles files) {
        for (Resource descriptor : files.connectors().values()) {
            Connector connector = load(descriptor);
            connectors.put(connector.name(), connector);
            descriptors.put(connector.name(), descriptor);
        }
    }

    Optional<Connector> find(String name) {
        return Optional.ofNullable(connectors.get(name));
    }

    /**
     * A sample delivery of a connector that is delivered to (a polled one's samples are API pages,
     * not deliveries), with the headers its system sends ({@code <name>.headers.json}), names
     * lower-cased as the routes see them.
     */
    @SuppressWarnings("unchecked")
    Optional<Sample> sample(String connector, String name) {
        Resource descriptor = descriptors.get(connector);
        if (descriptor == null
                || connectors.get(connector).polled()
                || !SAMPLE_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        try {
            Resource body = descriptor.createRelative("samples/" + name + ".json");
            if (!body.exists()) {
                return Optional.empty();
            }
            Resource headerFile = descriptor.createRelative("samples/" + name + ".headers.json");
            Map<String, String> headers = new TreeMap<>();
            if (headerFile.exists()) {
                try (InputStream in = headerFile.getInputStream()) {
                    // JSON is YAML: the YAML reader the descriptors use reads it.
                    Map<String, Object> read = new Yaml().load(in);
                    read.forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.valueOf(v)));
                }
            }
            return Optional.of(new Sample(body.getContentAsByteArray(), headers));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Connector load(Resource descriptor) {
        try (InputStream in = descriptor.getInputStream()) {
            Map<String, Object> yaml = new Yaml().load(in);
            Map<String, Object> signature = (Map<String, Object>) yaml.getOrDefault("signature", Map.of());
            Scheme scheme = signature.containsKey("scheme")
                    ? Scheme.valueOf(String.valueOf(signature.get("scheme"))
                            .toUpperCase()
                            .replace('-', '_'))
                    : null;
            if (scheme == null && !yaml.containsKey("polling")) {
                throw new IllegalStateException("a connector needs a signature scheme or a polling block");
            }
            Resource mappingFile = descriptor.createRelative(String.valueOf(yaml.get("mapping")));
            Expression mapping = Parser.compileString(mappingFile.getContentAsString(StandardCharsets.UTF_8));
            return new Connector(
                    String.valueOf(yaml.get("name")),
                    String.valueOf(yaml.get("title")),
                    scheme,
                    (String) signature.get("header"),
                    (String) signature.get("timestampHeader"),
                    ((Number) signature.getOrDefault("toleranceSeconds", 300)).longValue(),
                    signature.get("unsignedPing") instanceof String ping ? Pattern.compile(ping) : null,
                    Boolean.TRUE.equals(yaml.get("batch")),
                    mapping,
                    yaml.containsKey("polling") ? PollingSpec.from((Map<String, Object>) yaml.get("polling")) : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "Connector descriptor " + ConfigFiles.location(descriptor) + " is invalid: " + e.getMessage(), e);
        }
    }
}
