package io.pers.audit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes a body fit for the audit log: members named like a secret, and values shaped like one
 * of PERS's secrets wherever they sit, become {@value #REDACTED}. Names, not endpoints, decide,
 * so an endpoint added later is covered without being listed here.
 */
final class Redaction {

    static final String REDACTED = "[REDACTED]";

    /** Lower-cased member-name endings that hold secrets: password, signingSecret, accessToken, … */
    private static final List<String> SECRET_NAMES =
            List.of("password", "secret", "token", "credential", "credentials", "apikey", "privatekey", "key");
    /** API keys (sk_), webhook secrets (whsec_) and JWTs (eyJ) wherever they appear. */
    private static final List<String> SECRET_PREFIXES = List.of("sk_", "whsec_", "eyJ");

    private final ObjectMapper json;

    Redaction(ObjectMapper json) {
        this.json = json;
    }

    /** The redacted JSON text, or null for an empty or non-JSON body (only JSON is kept). */
    String redact(byte[] body, String contentType) {
        if (body.length == 0
                || contentType == null
                || !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            return null;
        }
        try {
            return json.writeValueAsString(redact(json.readTree(new String(body, StandardCharsets.UTF_8))));
        } catch (JacksonException e) {
            return null;
        }
    }

    private JsonNode redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> member : object.properties()) {
                // A secret is a scalar; an object under such a name (an "apiKey" descriptor) is searched.
                boolean secret =
                        secretName(member.getKey()) && !member.getValue().isContainer();
                member.setValue(secret ? json.getNodeFactory().stringNode(REDACTED) : redact(member.getValue()));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, redact(array.get(i)));
            }
        } else if (node.isString() && SECRET_PREFIXES.stream().anyMatch(node.asString()::startsWith)) {
            return json.getNodeFactory().stringNode(REDACTED);
        }
        return node;
    }

    private static boolean secretName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return SECRET_NAMES.stream().anyMatch(lower::endsWith);
    }
}
