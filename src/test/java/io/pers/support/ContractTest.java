package io.pers.support;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/** The contract check itself: what it refuses (the shapes issue 22 found) and what it lets through. */
class ContractTest {

    private static final Contract CONTRACT = new Contract(Api.JSON.readTree("""
            {"openapi": "3.1.0",
             "paths": {
               "/v2/things": {"post": {"responses": {
                 "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                 "4XX": {"content": {"application/problem+json": {"schema": {"type": "object", "required": ["code"]}}}}}}},
               "/v2/things/{id}": {"get": {"responses": {
                 "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}},
               "/v2/things/me": {"get": {"responses": {
                 "200": {"content": {"application/json": {"schema": {"type": "array"}}}}}}}},
             "components": {"schemas": {"Thing": {"type": "object", "required": ["id"],
               "properties": {"id": {"type": "string"}, "amount": {"type": ["string", "null"]}}}}}}
            """));

    @Test
    void aStatusTheOperationDoesNotDocumentFails() {
        assertThatThrownBy(() -> check("POST", "/v2/things", 201, "application/json", "{\"id\":\"a\"}"))
                .hasMessageContaining("POST /v2/things answered 201, which it does not document (200, 4XX)");
    }

    @Test
    void aBodyOfAnotherSchemaFailsNamingTheSchemaAndThePointer() {
        assertThatThrownBy(() -> check("GET", "/v2/things/7", 200, "application/json", "{\"id\":\"a\",\"amount\":5}"))
                .hasMessageContaining("GET /v2/things/{id} 200 body does not match #/components/schemas/Thing")
                .hasMessageContaining("/amount");
    }

    @Test
    void aDocumentedAnswerAProblemAndAnUnknownRoutePass() {
        assertThatCode(() -> {
                    check("POST", "/v2/things", 200, "application/json", "{\"id\":\"a\",\"amount\":null}");
                    check("POST", "/v2/things", 422, "application/problem+json", "{\"code\":\"VALIDATION_FAILED\"}");
                    check("GET", "/v2/things/me", 200, "application/json", "[]"); // the literal path, not {id}
                    check("GET", "/v2/nowhere", 404, "application/problem+json", "{}");
                })
                .doesNotThrowAnyException();
    }

    @Test
    void anAnswerOfAnotherMediaTypeFails() {
        assertThatThrownBy(() -> check("POST", "/v2/things", 422, "application/json", "{\"code\":\"X\"}"))
                .hasMessageContaining("answered application/json, documented as application/problem+json");
    }

    private static void check(String method, String path, int status, String contentType, String body) {
        CONTRACT.check(method, URI.create("http://localhost" + path), new Answer(status, contentType, body));
    }

    private record Answer(int statusCode, String contentType, String body) implements HttpResponse<String> {
        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of("Content-Type", List.of(contentType)), (name, value) -> true);
        }

        @Override
        public HttpRequest request() {
            return null;
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return null;
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
