package io.pers.support;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * The served OpenAPI document as a contract: every answer of the API ({@code /v2}) must have a
 * status its operation documents (exactly, by its class {@code 4XX}, or {@code default}), a media
 * type documented for that status, and a JSON body valid against the documented schema. The
 * document is read once per server; compiled schemas are kept per operation, status and type.
 */
final class Contract {

    private static final String DOCUMENT = "https://pers.test/openapi.json";
    /** Benchmarks turn it off ({@code -Dpers.contract.check=false}): their client's CPU is measured. */
    private static final boolean CHECKED = !"false".equals(System.getProperty("pers.contract.check"));

    private static final Map<String, Optional<Contract>> BY_ORIGIN = new ConcurrentHashMap<>();
    private static final Set<String> BY_CLASS_ONLY = ConcurrentHashMap.newKeySet();
    private static final Path BY_CLASS_ONLY_FILE = Path.of("target/openapi/by-class-only.txt");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Operation(String template, Pattern pattern, int variables, JsonNode item) {}

    private final List<Operation> operations;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    Contract(JsonNode document) {
        this.operations = new ArrayList<>();
        document.path("paths").properties().forEach(path -> operations.add(operation(path.getKey(), path.getValue())));
        // A literal segment beats a variable one: /claims/me before /claims/{id}.
        operations.sort(Comparator.comparingInt(Operation::variables));
        this.registry = SchemaRegistry.withDefaultDialect(
                document.path("openapi").asString().startsWith("3.0")
                        ? Dialects.getOpenApi30()
                        : Dialects.getOpenApi31(),
                builder -> builder.schemas(Map.of(DOCUMENT, document.toString()))
                        .schemaRegistryConfig(SchemaRegistryConfig.builder()
                                .pathType(PathType.JSON_POINTER)
                                .build()));
    }

    /**
     * The contract of the server at this address when the address is in its API (under {@code /v2}):
     * empty when the server serves no document (a stand-in of a third party).
     */
    static Optional<Contract> of(String method, URI uri) {
        // A CORS preflight is answered by the CORS filter, per the CORS protocol: not an operation.
        if (!CHECKED || !uri.getRawPath().startsWith("/v2/") || method.equals("OPTIONS")) {
            return Optional.empty();
        }
        String origin = uri.getScheme() + "://" + uri.getAuthority();
        return BY_ORIGIN.computeIfAbsent(origin, Contract::fetch);
    }

    private static Optional<Contract> fetch(String origin) {
        try {
            HttpResponse<String> served = HTTP.send(
                    HttpRequest.newBuilder(URI.create(origin + "/v3/api-docs"))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (served.statusCode() == 404) {
                return Optional.empty();
            }
            if (served.statusCode() != 200) {
                throw new AssertionError(
                        "Contract: " + origin + "/v3/api-docs answered " + served.statusCode() + ": " + served.body());
            }
            return Optional.of(new Contract(Api.JSON.readTree(served.body())));
        } catch (IOException e) {
            return Optional.empty(); // nothing answers there: the request itself fails and says so
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Throws, naming the operation, status and JSON pointer, when the response breaks the contract. */
    void check(String method, URI uri, HttpResponse<String> response) {
        String path = uri.getRawPath();
        int status = response.statusCode();
        Optional<Operation> found = operations.stream()
                .filter(o -> o.pattern().matcher(path).matches())
                .findFirst();
        JsonNode operation = found.map(o -> o.item().path(method.toLowerCase())).orElse(null);
        if (operation == null || operation.isMissingNode()) {
            if (status == 404 || status == 405) {
                return; // no such route, rightly refused: there is nothing to document
            }
            throw new AssertionError("Contract: %s %s answered %d but the document has no such operation"
                    .formatted(method, path, status));
        }
        String name = method + " " + found.get().template();
        JsonNode responses = operation.path("responses");
        String key = documentedStatus(responses, status)
                .orElseThrow(() -> new AssertionError("Contract: %s answered %d, which it does not document (%s): %s"
                        .formatted(name, status, String.join(", ", responses.propertyNames()), brief(response))));
        if (key.endsWith("XX")) {
            noteDocumentedByClassOnly(name + " " + status + " " + problemCode(response));
        }
        JsonNode content = responses.path(key).path("content");
        String body = response.body();
        if (content.isMissingNode() || content.isEmpty()) {
            if (!body.isEmpty()) {
                throw new AssertionError("Contract: %s %d documents no body but answered one: %s"
                        .formatted(name, status, brief(response)));
            }
            return;
        }
        String mediaType = response.headers()
                .firstValue("Content-Type")
                .map(t -> t.split(";")[0].trim())
                .orElse("");
        String media = documentedMedia(content, mediaType)
                .orElseThrow(() -> new AssertionError("Contract: %s %d answered %s, documented as %s: %s"
                        .formatted(
                                name, status, mediaType, String.join(", ", content.propertyNames()), brief(response))));
        if (!mediaType.contains("json") || !content.path(media).has("schema")) {
            return;
        }
        String pointer = "/paths/" + escape(found.get().template()) + "/" + method.toLowerCase() + "/responses/"
                + escape(key) + "/content/" + escape(media) + "/schema";
        Schema schema = schemas.computeIfAbsent(
                pointer,
                p -> registry.getSchema(
                        SchemaLocation.of(DOCUMENT + "#" + p.replace("{", "%7B").replace("}", "%7D"))));
        List<Error> errors = schema.validate(Api.JSON.readTree(body.isEmpty() ? "null" : body));
        if (!errors.isEmpty()) {
            throw new AssertionError("Contract: %s %d body does not match %s:%n  %s%n  body: %s"
                    .formatted(
                            name,
                            status,
                            schemaName(content.path(media).path("schema")),
                            errors.stream()
                                    .limit(10)
                                    .map(e -> e.getInstanceLocation() + " " + e.getMessage())
                                    .collect(Collectors.joining("\n  ")),
                            brief(response)));
        }
    }

    /**
     * An answer its operation documents only by its class ({@code 4XX}, {@code 5XX}), not by status and
     * code: listed in target/openapi/by-class-only.txt, where an operation's {@code @Fails} could grow.
     */
    private static void noteDocumentedByClassOnly(String answer) {
        if (BY_CLASS_ONLY.add(answer)) {
            synchronized (BY_CLASS_ONLY) {
                try {
                    Files.createDirectories(BY_CLASS_ONLY_FILE.getParent());
                    Files.writeString(
                            BY_CLASS_ONLY_FILE, answer + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static String problemCode(HttpResponse<String> response) {
        boolean problem =
                response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
        return problem ? Api.JSON.readTree(response.body()).path("code").asString("") : "";
    }

    private static Optional<String> documentedStatus(JsonNode responses, int status) {
        return List.of(String.valueOf(status), (status / 100) + "XX", "default").stream()
                .filter(responses::has)
                .findFirst();
    }

    private static Optional<String> documentedMedia(JsonNode content, String mediaType) {
        return List.of(mediaType, mediaType.split("/")[0] + "/*", "*/*").stream()
                .filter(content::has)
                .findFirst();
    }

    private static String schemaName(JsonNode schema) {
        return schema.has("$ref") ? schema.path("$ref").asString() : schema.toString();
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String brief(HttpResponse<String> response) {
        String body = response.body();
        return body.length() > 600 ? body.substring(0, 600) + "…" : body;
    }

    private static Operation operation(String template, JsonNode item) {
        String regex = Pattern.compile("\\{[^}]+}")
                .splitAsStream(template)
                .map(Pattern::quote)
                .collect(Collectors.joining("[^/]+"));
        if (template.endsWith("}")) {
            regex += "[^/]+";
        }
        int variables = (int) template.chars().filter(c -> c == '{').count();
        return new Operation(template, Pattern.compile(regex), variables, item);
    }
}
