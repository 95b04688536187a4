package io.pers.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PackageScanResourceResolver;
import org.apache.camel.spi.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockPropertySource;

/**
 * The jar's packaged routes, workflows and connectors, and the one folder ({@code pers.config-dir})
 * that overrides them by file name and adds new ones. The packaged defaults are the repository's
 * folders, copied under {@code pers/} on the classpath by the build.
 */
class ConfigFilesTest {

    @TempDir
    Path folder;

    @Test
    void withoutAFolderThePackagedDefaultsAreAllThereIs() {
        ConfigFiles files = new ConfigFiles("");
        assertThat(files.yamlFiles(ConfigFiles.ROUTES)).containsKeys("ingest-webhook.yaml", "trigger-matcher.yaml");
        assertThat(files.yamlFiles(ConfigFiles.WORKFLOWS))
                .containsOnlyKeys("claim.yaml", "webhook.yaml", "settlement.yaml", "redemption.yaml");
        assertThat(files.connectors()).containsKeys("shopify", "cloudbeds", "pers-webhook");
        assertThat(ConfigFiles.location(files.yamlFiles(ConfigFiles.ROUTES).get("ingest-webhook.yaml")))
                .as("packaged under pers/, not read from the working folder's routes/")
                .contains("pers/routes/ingest-webhook.yaml");
    }

    @Test
    void aFileOfTheFolderOverridesThePackagedOneOfItsNameAndANewNameAdds() throws IOException {
        write("routes/ingest-webhook.yaml", "# an operator's own webhook route template\n");
        write("routes/acme.yaml", "# a route of its own\n");
        write("workflows/claim.yaml", "pers.workflows.claim.overridden: yes\n");
        write("connectors/shopify/connector.yaml", "name: shopify\n");
        write("connectors/acme/connector.yaml", "name: acme\n");
        write("connectors/canonical-trigger.schema.json", "{}\n");

        ConfigFiles files = new ConfigFiles(folder.toString());

        Map<String, org.springframework.core.io.Resource> routes = files.yamlFiles(ConfigFiles.ROUTES);
        assertThat(content(routes.get("ingest-webhook.yaml")))
                .isEqualTo("# an operator's own webhook route template\n");
        assertThat(content(routes.get("acme.yaml"))).isEqualTo("# a route of its own\n");
        assertThat(content(routes.get("ingest-polled.yaml")))
                .as("packaged, not overridden")
                .contains("direct:poll-{{connector}}");
        assertThat(routes).hasSize(files(new ConfigFiles(""), ConfigFiles.ROUTES) + 1);

        assertThat(content(files.yamlFiles(ConfigFiles.WORKFLOWS).get("claim.yaml")))
                .contains("overridden");
        assertThat(content(files.connectors().get("shopify"))).isEqualTo("name: shopify\n");
        assertThat(content(files.connectors().get("acme"))).isEqualTo("name: acme\n");
        assertThat(content(files.connectors().get("square"))).contains("name: square");
        assertThat(content(files.connectorsFile("canonical-trigger.schema.json")))
                .isEqualTo("{}\n");
    }

    /** What Spring and Camel get: workflow properties, the folder's winning, and route locations Camel resolves. */
    @Test
    void theEnvironmentTakesTheFolderWorkflowsAndCamelFindsEveryRoute() throws Exception {
        write("workflows/claim.yaml", "pers.workflows.claim.sweeper.interval: 42s\n");
        write("workflows/extra.yaml", "pers.workflows.extra.setting: added\n");
        write(
                "routes/ingest-webhook.yaml",
                "- route:\n    id: own-shopify\n    from:\n      uri: direct:own\n      steps: []\n");
        write("routes/acme.yaml", "- route:\n    id: acme\n    from:\n      uri: direct:acme\n      steps: []\n");
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources()
                .addFirst(new MockPropertySource().withProperty(ConfigFiles.PROPERTY, folder.toString()));

        new ConfigFilesEnvironment().postProcessEnvironment(env, null);

        assertThat(env.getProperty("pers.workflows.claim.sweeper.interval")).isEqualTo("42s");
        assertThat(env.getProperty("pers.workflows.claim.decision.start-to-close-timeout"))
                .as("the packaged claim.yaml is replaced whole, not merged")
                .isNull();
        assertThat(env.getProperty("pers.workflows.extra.setting")).isEqualTo("added");
        assertThat(env.getProperty("pers.workflows.webhook.request-timeout"))
                .as("packaged webhook.yaml")
                .isNotNull();

        List<String> locations = Arrays.asList(
                env.getProperty(ConfigFilesEnvironment.ROUTES_PATTERN).split(","));
        assertThat(locations)
                .contains(
                        "file:" + folder.resolve("routes/ingest-webhook.yaml"),
                        "file:" + folder.resolve("routes/acme.yaml"))
                .noneMatch(l -> l.contains("pers/routes/ingest-webhook.yaml"))
                .anyMatch(l -> l.endsWith("pers/routes/ingest-polled.yaml"));
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            PackageScanResourceResolver resolver =
                    camel.getCamelContextExtension().getContextPlugin(PackageScanResourceResolver.class);
            for (String location : locations) {
                assertThat(resolver.findResources(location))
                        .as(location)
                        .singleElement()
                        .matches(Resource::exists);
            }
        }
    }

    @Test
    void aFolderThatIsNotThereStopsTheStartNamingTheProperty() {
        assertThatThrownBy(() -> new ConfigFiles(folder.resolve("missing").toString()))
                .hasMessageContaining("pers.config-dir");
    }

    private static int files(ConfigFiles files, String kind) {
        return files.yamlFiles(kind).size();
    }

    private void write(String relative, String content) throws IOException {
        Path file = folder.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static String content(org.springframework.core.io.Resource resource) throws IOException {
        return resource.getContentAsString(StandardCharsets.UTF_8);
    }
}
