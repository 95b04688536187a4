package io.pers.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pers.config.ConfigFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector catalogue as PERS loads it: every shipped connector loads and maps its samples to
 * claimable events; a connector folder with a mistake is refused naming the file and the field.
 */
class ConnectorsTest {

    @TempDir
    Path configDir;

    @Test
    void everyShippedConnectorLoadsAndItsSamplesGiveClaimableEvents() {
        ConfigFiles files = new ConfigFiles("");
        Connectors connectors = new Connectors(files);
        new ConnectorSamples(connectors, new IngestMapping(new SimpleMeterRegistry(), files));

        assertThat(connectors.all())
                .extracting(Connectors.Connector::name)
                .contains("shopify", "cloudbeds", "pers-webhook");
        for (Connectors.Connector connector : connectors.all()) {
            assertThat(connectors.sampleNames(connector.name()))
                    .as(connector.name())
                    .isNotEmpty();
        }
    }

    @Test
    void aMistakeInAConnectorFolderIsRefusedNamingFileAndField() throws IOException {
        assertRefused(
                descriptor(
                        "acme",
                        "signature: {header: X-Sig, signed: '{body}', algorithm: HmacSHA256, encoding: base64}\nmapping: mapping.jslt\nmode: fast\n"),
                "acme/connector.yaml: mode: is not a field PERS reads here");
        assertRefused(
                descriptor("other", "mapping: mapping.jslt\n"),
                "acme/connector.yaml: name: other must be the folder's name, acme");
        assertRefused(
                descriptor("acme", "mapping: mapping.jslt\n"),
                "acme/connector.yaml: signature: a connector has a signature block");
        assertRefused(
                descriptor(
                        "acme",
                        "signature: {header: X-Sig, signed: '{body}', algorithm: HmacSHA256, encoding: base64}\nmapping: missing.jslt\n"),
                "acme/connector.yaml: mapping: missing.jslt is not in the connector's folder");
        Files.writeString(configDir.resolve("connectors/acme/mapping.jslt"), "{ \"id\": .id ");
        assertRefused(
                descriptor(
                        "acme",
                        "signature: {header: X-Sig, signed: '{body}', algorithm: HmacSHA256, encoding: base64}\nmapping: mapping.jslt\n"),
                "acme/connector.yaml: mapping: mapping.jslt does not compile");
        Files.writeString(configDir.resolve("connectors/acme/mapping.jslt"), "{}");
        assertRefused(
                descriptor("acme", "polling: {interval: 2 minutes}\nmapping: mapping.jslt\n"),
                "acme/connector.yaml: polling.request: is required");
    }

    @Test
    void aMappingThatLosesTheSubjectOrTheTimeOfItsOwnSampleIsRefused() throws IOException {
        descriptor(
                "acme",
                "signature: {header: X-Sig, signed: '{body}', algorithm: HmacSHA256, encoding: base64}\nmapping: mapping.jslt\nevents: {order.paid: com.acme.order.paid}\n");
        Files.createDirectories(configDir.resolve("connectors/acme/samples"));
        Files.writeString(
                configDir.resolve("connectors/acme/samples/paid.json"),
                "{\"id\": \"o1\", \"at\": \"2026-11-20T14:03:27Z\"}");
        String mapping = "{\"id\": .id, \"source\": \"https://acme.example\", \"type\": \"%s\", \"time\": .at %s}";
        Files.writeString(
                configDir.resolve("connectors/acme/mapping.jslt"), mapping.formatted("com.acme.order.paid", ""));
        assertSamplesRefused("acme/samples/paid.json: subject: the mapping gives none");

        Files.writeString(
                configDir.resolve("connectors/acme/mapping.jslt"),
                mapping.formatted("com.acme.other", ", \"subject\": \"a@b.c\""));
        assertSamplesRefused("acme/samples/paid.json: type: com.acme.other is not among the canonical types");

        Files.writeString(
                configDir.resolve("connectors/acme/mapping.jslt"),
                mapping.formatted("com.acme.order.paid", ", \"subject\": \"a@b.c\"")
                        .replace(".at", "\"noon\""));
        assertSamplesRefused("acme/samples/paid.json: the mapping refuses it: time: ");
    }

    private void assertSamplesRefused(String message) {
        ConfigFiles files = new ConfigFiles(configDir.toString());
        Connectors connectors = new Connectors(files);
        assertThatThrownBy(() -> new ConnectorSamples(connectors, new IngestMapping(new SimpleMeterRegistry(), files)))
                .isInstanceOf(DescriptorFields.Invalid.class)
                .hasMessageContaining(message);
    }

    private void assertRefused(Path descriptor, String message) {
        assertThatThrownBy(() -> new Connectors(new ConfigFiles(configDir.toString())))
                .as(descriptor.toString())
                .hasMessageContaining(message);
    }

    private Path descriptor(String name, String rest) throws IOException {
        Path folder = Files.createDirectories(configDir.resolve("connectors/acme"));
        Path file = folder.resolve("connector.yaml");
        Files.writeString(file, "name: " + name + "\ntitle: Acme\ndescription: Acme orders.\n" + rest);
        return file;
    }
}
