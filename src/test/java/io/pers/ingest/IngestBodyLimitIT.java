package io.pers.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pers.support.Api;
import io.pers.support.ApiTest;
import io.pers.support.TenantFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class IngestBodyLimitIT extends ApiTest {

    @Test
    void aSignedDeliveryOverTheBodyLimitIs413AndNotTakenIn() throws Exception {
        TenantFixture tenant = newTenant();
        Api.Response created = tenant.admin().post("/v2/connectors", Map.of("connector", "pers-webhook"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String secret = created.text("signingSecret");
        String url = created.text("ingestUrl");
        Path sample = IngestIT.samples("pers-webhook").get(0);
        byte[] body = Files.readAllBytes(sample);
        ObjectNode padded = (ObjectNode) Api.JSON.readTree(body);
        padded.put("padding", "x".repeat(1024 * 1024));
        byte[] oversized = Api.JSON.writeValueAsString(padded).getBytes(StandardCharsets.UTF_8);

        Api.Response refused = IngestIT.standardWebhook(url, secret, "msg-big", oversized);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(413);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.code()).isEqualTo("PAYLOAD_TOO_LARGE");

        // The same event at its real size is new (202), not a duplicate (200): nothing was stored.
        assertThat(IngestIT.standardWebhook(url, secret, "msg-big", body).status())
                .isEqualTo(202);
        assertThat(IngestIT.standardWebhook(url, secret, "msg-big", body).status())
                .isEqualTo(200);
    }
}
