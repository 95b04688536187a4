package io.pers.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class RedactionTest {

    private final Redaction redaction = new Redaction(JsonMapper.builder().build());

    @Test
    void secretNamedScalarsAndSecretShapedValuesAreRedactedEverythingElseKept() {
        String body = """
                {"adminPassword":"hunter2","signingSecret":"abc","accessToken":"t","tokenId":"keep-1",
                 "apiKey":{"id":"keep-2","preview":"sk_abcd"},"note":"whsec_Zm9v",
                 "items":[{"credential":"c"},"eyJhbGciOi.x.y"],"amount":5}""";

        String redacted = redaction.redact(body.getBytes(StandardCharsets.UTF_8), "application/json");

        assertThat(redacted)
                .doesNotContain("hunter2", "\"abc\"", "\"t\"", "sk_abcd", "whsec_", "eyJ", "\"c\"")
                .contains("\"tokenId\":\"keep-1\"", "\"id\":\"keep-2\"", "\"amount\":5");
    }

    @Test
    void nonJsonAndEmptyBodiesAreNotKept() {
        assertThat(redaction.redact("password=x".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded"))
                .isNull();
        assertThat(redaction.redact(new byte[0], "application/json")).isNull();
        assertThat(redaction.redact("{not json".getBytes(StandardCharsets.UTF_8), "application/json"))
                .isNull();
    }
}
