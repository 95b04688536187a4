package io.pers.ingest;

import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.JsltException;
import com.schibsted.spt.data.jslt.Parser;
import io.pers.config.ConfigFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
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

    /**
     * A connector.yaml, read and checked. {@code title} and {@code description}: what the system is
     * and what of it becomes events, for people choosing a connector; {@code signature}: how its system signs deliveries (null
     * for a polled connector, which has {@code polling} instead); {@code batch}: the body is a JSON
     * array of events, each mapped, deduplicated and published on its own; {@code events}: the
     * system's event names and the canonical types they become (what its samples may yield);
     * {@code withoutSubject}: the canonical types that name no user (a refund names the order it
     * reverses), every other event must say who earns.
     */
    record Connector(
            String name,
            String title,
            String description,
            SignatureSpec signature,
            boolean batch,
            Expression mapping,
            Map<String, String> events,
            List<String> withoutSubject,
            PollingSpec polling,
            String location) {

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
        for (Map.Entry<String, Resource> descriptor : files.connectors().entrySet()) {
            Connector connector = load(descriptor.getKey(), descriptor.getValue());
            connectors.put(connector.name(), connector);
            descriptors.put(connector.name(), descriptor.getValue());
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
    Optional<Sample> sample(String connector, String name) {
        return find(connector).filter(c -> !c.polled()).flatMap(c -> shipped(connector, name));
    }

    /**
     * The names of a connector's shipped samples: {@code samples/<name>.json}, less the headers
     * ({@code <name>.headers.json}) and expected canonical triggers ({@code <name>.expected.json})
     * beside them.
     */
    List<String> sampleNames(String connector) {
        Resource descriptor = descriptors.get(connector);
        String folder = ConfigFiles.location(descriptor).replaceFirst("connector\\.yaml$", "samples/");
        try {
            List<String> names = new ArrayList<>();
            for (Resource file : new PathMatchingResourcePatternResolver()
                    .getResources(folder.replaceFirst("^classpath:", "classpath*:") + "*.json")) {
                String name = file.getFilename();
                if (name != null && !name.endsWith(".headers.json") && !name.endsWith(".expected.json")) {
                    names.add(name.substring(0, name.length() - ".json".length()));
                }
            }
            return names.stream().sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every connector, by name. */
    Collection<Connector> all() {
        return connectors.values();
    }

    /** A sample's body and headers, whatever kind of connector ships it. */
    @SuppressWarnings("unchecked")
    Optional<Sample> shipped(String connector, String name) {
        Resource descriptor = descriptors.get(connector);
        if (descriptor == null || !SAMPLE_NAME.matcher(name).matches()) {
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

    /** Every field is checked here, so a connector PERS cannot run stops the start naming file and field. */
    private static Connector load(String folder, Resource descriptor) {
        String file = ConfigFiles.location(descriptor);
        Map<?, ?> yaml;
        try (InputStream in = descriptor.getInputStream()) {
            yaml = new Yaml().load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new DescriptorFields.Invalid(file + ": is not YAML: " + e.getMessage());
        }
        DescriptorFields fields = new DescriptorFields(file, "", yaml == null ? Map.of() : yaml)
                .only(
                        "name",
                        "title",
                        "description",
                        "signature",
                        "polling",
                        "batch",
                        "mapping",
                        "events",
                        "withoutSubject");
        String name = fields.text("name");
        if (!name.equals(folder)) {
            throw fields.invalid("name", name + " must be the folder's name, " + folder);
        }
        DescriptorFields signature = fields.block("signature");
        DescriptorFields polling = fields.block("polling");
        if ((signature == null) == (polling == null)) {
            throw fields.invalid(
                    "signature",
                    "a connector has a signature block (its system delivers signed webhooks) or a polling block"
                            + " (PERS reads its API), not both and not neither");
        }
        return new Connector(
                name,
                fields.text("title"),
                fields.text("description"),
                signature == null ? null : SignatureSpec.from(signature),
                fields.flag("batch"),
                mapping(fields, descriptor),
                Map.copyOf(fields.texts("events")),
                fields.list("withoutSubject"),
                polling == null ? null : PollingSpec.from(polling),
                ConfigFiles.location(descriptor));
    }

    /** The mapping file beside the descriptor, compiled; a JSLT error names the file and its line. */
    private static Expression mapping(DescriptorFields fields, Resource descriptor) {
        String file = fields.text("mapping");
        try {
            Resource mapping = descriptor.createRelative(file);
            if (!mapping.exists()) {
                throw fields.invalid("mapping", file + " is not in the connector's folder");
            }
            return Parser.compileString(mapping.getContentAsString(StandardCharsets.UTF_8));
        } catch (JsltException e) {
            throw fields.invalid("mapping", file + " does not compile: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
