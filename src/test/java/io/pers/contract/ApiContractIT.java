package io.pers.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ApiContractIT extends ApiTest {

    private static final Path SERVED = Path.of("target/openapi/served.json");
    private static final Path LINTER = Path.of("src/test/contract/node_modules/@redocly/cli/bin/cli.js");

    @Test
    void theServedDocumentLintsWithoutErrors() throws IOException, InterruptedException {
        Api.Response served = api().get("/v3/api-docs");
        assertThat(served.status()).isEqualTo(200);
        Files.createDirectories(SERVED.getParent());
        Files.writeString(SERVED, Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(served.json()));
        Process lint = new ProcessBuilder(List.of(
                        "node",
                        LINTER.toString(),
                        "lint",
                        SERVED.toString(),
                        "--config",
                        "src/test/contract/redocly.yaml",
                        "--format",
                        "json"))
                .redirectErrorStream(false)
                .redirectOutput(Path.of("target/openapi/lint.json").toFile())
                .redirectError(Path.of("target/openapi/lint.log").toFile())
                .start();
        assertThat(lint.waitFor(120, TimeUnit.SECONDS)).isTrue();
        JsonNode report = Api.JSON.readTree(Files.readString(Path.of("target/openapi/lint.json")));
        System.out.println(report.path("totals"));
    }
}
