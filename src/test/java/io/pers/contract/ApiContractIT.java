package io.pers.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The served OpenAPI document as a product: the committed contract ({@code docs/openapi.json}, what
 * the client of GeneratedClientIT is generated from) is exactly what PERS serves; Redocly's
 * recommended rules (src/test/contract/redocly.yaml) find no error in it; and what no linter rule
 * checks holds too: each operation's description says more than its derived lines, each JSON
 * request body has an example.
 */
class ApiContractIT extends ApiTest {

    static final Path COMMITTED = Path.of("docs/openapi.json");
    private static final Path OUT = Path.of("target/openapi");
    private static final Path EXAMPLES = Path.of("src/main/resources/openapi/examples.json");
    private static final Path LINTER = Path.of("src/test/contract/node_modules/@redocly/cli/bin/cli.js");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete");

    @Test
    void theCommittedContractIsTheServedDocument() throws IOException {
        JsonNode served = served();
        if (Boolean.getBoolean("pers.contract.update")) {
            Files.writeString(COMMITTED, pretty(served));
        }
        assertThat(Api.JSON.readTree(Files.readString(COMMITTED)))
                .as("docs/openapi.json differs from the served document (written to target/openapi/served.json):"
                        + " review the change and run this test with -Dpers.contract.update=true to commit it")
                .isEqualTo(served);
    }

    @Test
    void theServedDocumentLintsWithoutErrors() throws IOException, InterruptedException {
        served();
        assertThat(LINTER)
                .as("the linter is installed by the build (npm ci in src/test/contract); is npm on the PATH?")
                .exists();
        File report = OUT.resolve("lint.json").toFile();
        Process lint = new ProcessBuilder(List.of(
                        "node",
                        LINTER.toString(),
                        "lint",
                        OUT.resolve("served.json").toString(),
                        "--config",
                        "src/test/contract/redocly.yaml",
                        "--format",
                        "json",
                        "--max-problems",
                        "10000"))
                .redirectOutput(report)
                .redirectError(OUT.resolve("lint.log").toFile())
                .start();
        assertThat(lint.waitFor(3, TimeUnit.MINUTES)).as("the linter finished").isTrue();
        JsonNode problems = Api.JSON.readTree(report);
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        problems.path("problems").forEach(p -> {
            String line = p.path("ruleId").asString() + ": " + p.path("message").asString() + " at "
                    + p.path("location").path(0).path("pointer").asString();
            (p.path("severity").asString().equals("error") ? errors : warnings).add(line);
        });
        System.out.printf("OpenAPI lint: %d errors, %d warnings%n  %s%n", errors.size(), warnings.size(), warnings);
        assertThat(errors)
                .as("Redocly lint errors (report in target/openapi/lint.json)")
                .isEmpty();
    }

    @Test
    void everyOperationIsDescribedAndEveryRequestBodyHasAnExample() throws IOException {
        List<String> missing = new ArrayList<>();
        served().path("paths").properties().forEach(path -> path.getValue().properties().stream()
                .filter(op -> METHODS.contains(op.getKey()))
                .forEach(op -> {
                    String name = op.getKey().toUpperCase() + " " + path.getKey();
                    String description = op.getValue().path("description").asString("");
                    if (description.isBlank() || description.startsWith("\n\nCallers:")) {
                        missing.add(name + ": a description written on its handler");
                    }
                    JsonNode json =
                            op.getValue().path("requestBody").path("content").path("application/json");
                    boolean rawPayload = !json.path("schema").has("$ref")
                            && !json.path("schema").has("type");
                    if (!json.isMissingNode() && !rawPayload && !json.has("example") && !json.has("examples")) {
                        missing.add(name + ": an example request body in src/main/resources/openapi/examples.json");
                    }
                    if (StreamSupport.stream(op.getValue().path("tags").spliterator(), false)
                            .findAny()
                            .isEmpty()) {
                        missing.add(name + ": a tag (@Capability in its package-info.java)");
                    }
                }));
        assertThat(missing).isEmpty();
        JsonNode paths = served().path("paths");
        assertThat(Api.JSON.readTree(Files.readString(EXAMPLES)).propertyNames())
                .as("examples.json names only operations that exist")
                .allSatisfy(operation -> assertThat(paths.path(operation.substring(operation.indexOf(' ') + 1))
                                .has(operation
                                        .substring(0, operation.indexOf(' '))
                                        .toLowerCase()))
                        .as(operation)
                        .isTrue());
    }

    private JsonNode served() throws IOException {
        Api.Response response = api().get("/v3/api-docs");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("served.json"), pretty(response.json()));
        return response.json();
    }

    private static String pretty(JsonNode document) {
        return Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n";
    }
}
