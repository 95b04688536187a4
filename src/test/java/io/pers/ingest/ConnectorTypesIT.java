package io.pers.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * GET /v2/connector-types: every folder of connectors/ as its connector.yaml declares it, with the
 * fields a connection of it takes, which the console builds its form from.
 */
class ConnectorTypesIT extends ApiTest {

    @Test
    void everyConnectorFolderIsListedAsDeclaredWithTheFieldsItsConnectionTakes() throws IOException {
        TenantFixture tenant = newTenant();
        Api.Response listed = tenant.admin().get("/v2/connector-types");
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        List<String> names =
                listed.json().valueStream().map(t -> t.path("name").asString()).toList();
        List<String> folders;
        try (Stream<Path> dirs = Files.list(Path.of("connectors"))) {
            folders = dirs.filter(d -> Files.exists(d.resolve("connector.yaml")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        }
        assertThat(names).containsExactlyElementsOf(folders).contains("calendly", "mindbody");

        JsonNode calendly = byName(listed.json(), "calendly");
        assertThat(calendly.path("title").asString()).isEqualTo("Calendly");
        assertThat(calendly.path("description").asString()).startsWith("Appointments booked");
        assertThat(calendly.path("kind").asString()).isEqualTo("WEBHOOK");
        assertThat(calendly.path("signature").path("header").asString()).isEqualTo("calendly-webhook-signature");
        assertThat(calendly.path("signature").path("encoding").asString()).isEqualTo("HEX");
        assertThat(calendly.path("signature").path("toleranceSeconds").asLong()).isEqualTo(180);
        assertThat(calendly.path("events").path("invitee.created").asString())
                .isEqualTo("com.calendly.invitee.created");
        assertThat(strings(calendly.path("samples")))
                .containsExactly("invitee-canceled", "invitee-created", "invitee-no-show");
        assertThat(fieldNames(calendly)).containsExactly("description", "signingSecret");

        JsonNode mindbody = byName(listed.json(), "mindbody");
        assertThat(mindbody.path("signature").path("header").asString()).isEqualTo("x-mindbody-signature");
        assertThat(mindbody.path("signature").path("toleranceSeconds").isNull()).isTrue();
        assertThat(strings(mindbody.path("samples"))).contains("client-sale-created");

        JsonNode persWebhook = byName(listed.json(), "pers-webhook");
        assertThat(persWebhook.path("signature").path("secretFormat").asString())
                .isEqualTo("WHSEC");
        assertThat(field(persWebhook, "signingSecret").path("hint").asString()).contains("whsec_");

        JsonNode cloudbeds = byName(listed.json(), "cloudbeds");
        assertThat(cloudbeds.path("kind").asString()).isEqualTo("POLLED");
        assertThat(cloudbeds.path("signature").isNull()).isTrue();
        assertThat(cloudbeds.path("polling").path("accountParam").asString()).isEqualTo("propertyID");
        assertThat(cloudbeds.path("samples")).isEmpty();
        assertThat(fieldNames(cloudbeds)).containsExactly("description", "baseUrl", "accountId", "credential");
        assertThat(field(cloudbeds, "credential").path("type").asString()).isEqualTo("SECRET");
        assertThat(field(cloudbeds, "credential").path("required").asBoolean()).isTrue();

        // Every field named is one the connection's body takes.
        List<String> body = Arrays.stream(ConnectorController.ConnectionBody.class.getRecordComponents())
                .map(c -> c.getName())
                .toList();
        for (JsonNode type : listed.json()) {
            assertThat(fieldNames(type)).as(type.path("name").asString()).isSubsetOf(body);
        }

        Api.Response one = tenant.admin().get("/v2/connector-types/mindbody");
        assertThat(one.status()).as(one.toString()).isEqualTo(200);
        assertThat(one.json()).isEqualTo(mindbody);
    }

    @Test
    void aConnectionIsMadeFromItsDeclaredFieldsAndUnknownNamesAreNotFound() {
        TenantFixture tenant = newTenant();
        Api.Response made =
                tenant.admin().post("/v2/connectors", Map.of("connector", "mindbody", "description", "The studio"));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        assertThat(made.text("ingestUrl"))
                .endsWith("/v2/ingest/mindbody/"
                        + made.json().path("connection").path("id").asString());

        Api.Response unknown = tenant.admin().get("/v2/connector-types/no-such-system");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("NOT_FOUND");

        Api.Response asUser =
                tenant.signIn("connector-reader", "reader@connectors.test").get("/v2/connector-types");
        assertThat(asUser.status()).as(asUser.toString()).isEqualTo(403);
    }

    private static JsonNode byName(JsonNode types, String name) {
        return types.valueStream()
                .filter(t -> t.path("name").asString().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static JsonNode field(JsonNode type, String name) {
        return type.path("fields")
                .valueStream()
                .filter(f -> f.path("name").asString().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> fieldNames(JsonNode type) {
        return type.path("fields")
                .valueStream()
                .map(f -> f.path("name").asString())
                .toList();
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }
}
