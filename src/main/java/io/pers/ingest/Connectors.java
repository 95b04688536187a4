package io.pers.ingest;

import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.Parser;
import io.pers.config.ConfigFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    private final Map<String, Connector> connectors = new TreeMap<>();

    Connectors(ConfigFiles files) {
        files.connectors().values().stream().map(Connectors::load).forEach(c -> connectors.put(c.name(), c));
    }

    Optional<Connector> find(String name) {
        return Optional.ofNullable(connectors.get(name));
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
