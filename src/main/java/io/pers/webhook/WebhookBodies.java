package io.pers.webhook;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;

/** The documented message payload: {@code {"type", "timestamp", "data"}}, in that order. */
final class WebhookBodies {

    private WebhookBodies() {}

    static String body(ObjectMapper json, String type, OffsetDateTime timestamp, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", timestamp.toString());
        body.put("data", data);
        return json.writeValueAsString(body);
    }
}
