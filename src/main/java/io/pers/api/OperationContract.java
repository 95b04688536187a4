package io.pers.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;

/**
 * The parts of each operation's contract that follow from how PERS serves it, derived here so they
 * cannot drift from the code: its tag (the package's {@link Capability}), the credentials it accepts
 * (its {@link Allow} as the authentication filter reads it), every problem it may answer by status
 * with the possible codes (those of its kind, plus its {@link Fails}), {@code Idempotency-Key} on
 * the POSTs that honour it, and the example of its request body ({@code openapi/examples.json}).
 * Summaries and descriptions are written on the handlers.
 */
@Component
class OperationContract implements GlobalOperationCustomizer, GlobalOpenApiCustomizer {

    static final String PROBLEM = "Problem";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String EXAMPLES = "openapi/examples.json";

    /** Request body examples by "METHOD /path"; in swagger's own JSON tree type, which it writes as JSON. */
    private final JsonNode examples;

    private final Map<String, Capability> capabilities = new TreeMap<>();
    private final Set<ErrorCode> used = EnumSet.noneOf(ErrorCode.class);

    OperationContract() {
        try (InputStream in = new ClassPathResource(EXAMPLES).getInputStream()) {
            examples = Json31.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), RequestMapping.class);
        if (mapping == null || mapping.path().length == 0) {
            return operation;
        }
        String method = mapping.method().length == 0 ? "GET" : mapping.method()[0].name();
        String path = mapping.path()[0];
        Capability capability = handler.getBeanType().getPackage().getAnnotation(Capability.class);
        if (capability != null) {
            operation.setTags(List.of(capability.name()));
            capabilities.put(capability.name(), capability);
        }
        if (!path.startsWith("/v2/")) {
            operation.setSecurity(List.of(new SecurityRequirement()));
            return operation;
        }
        boolean open = handler.hasMethodAnnotation(Unauthenticated.class);
        Set<Role> roles = open ? EnumSet.noneOf(Role.class) : roles(handler);
        operation.setSecurity(security(open, roles));
        if (!roles.isEmpty()) {
            String who = roles.stream().map(Role::name).collect(Collectors.joining(", "));
            operation.setDescription(
                    Optional.ofNullable(operation.getDescription()).orElse("") + "\n\nCallers: " + who + ".");
        }
        boolean idempotent = IdempotencyHeaders.honoured(method, path);
        if (idempotent) {
            idempotencyKey(operation);
            operation.getResponses().forEach((status, response) -> {
                if (status.startsWith("2")) {
                    response.addHeaderObject(
                            IdempotencyHeaders.REPLAYED,
                            new Header()
                                    .description("`true` when this is the stored answer to an earlier request"
                                            + " with the same Idempotency-Key")
                                    .schema(new Schema<>()
                                            .types(Set.of("string"))
                                            ._enum(List.of("true"))));
                }
            });
        }
        if (byte[].class.equals(bodyType(handler)) && operation.getRequestBody() != null) {
            // Signed deliveries are read as raw bytes (the signature covers them exactly): what
            // arrives is the sending system's own JSON, not the base64 string springdoc infers.
            operation
                    .getRequestBody()
                    .description("The sending system's own payload, byte for byte as it signed it")
                    .content(new Content().addMediaType("application/json", new MediaType().schema(new Schema<>())));
        }
        problems(operation, codes(handler, method, open, roles, idempotent));
        return operation;
    }

    @Override
    public void customise(OpenAPI openApi) {
        openApi.setTags(capabilities.values().stream()
                .map(c -> new Tag().name(c.name()).description(c.description()))
                .toList());
        used.forEach(code -> openApi.getComponents().addExamples(code.name(), problemExample(code)));
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
                return;
            }
            JsonNode example = examples.get(method.name() + " " + path);
            MediaType json = operation.getRequestBody().getContent().get("application/json");
            if (example != null && json != null) {
                json.setExample(example);
            }
        }));
    }

    private static Set<Role> roles(HandlerMethod handler) {
        Allow allow = Optional.ofNullable(handler.getMethodAnnotation(Allow.class))
                .orElseGet(() -> handler.getBeanType().getAnnotation(Allow.class));
        return allow == null ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(Arrays.asList(allow.value()));
    }

    /**
     * What the authentication filter accepts for these roles: a bearer access token carrying one of
     * them; a platform admin's token with the tenant's project key (acting as its ADMIN); an API key
     * (SYSTEM); the project key alone (PUBLIC). Role names ride in the requirement, as OpenAPI 3.1
     * allows for schemes without scopes.
     */
    private static List<SecurityRequirement> security(boolean open, Set<Role> roles) {
        List<SecurityRequirement> accepted = new ArrayList<>();
        if (open) {
            accepted.add(new SecurityRequirement());
            accepted.add(new SecurityRequirement().addList(OpenApiConfig.PROJECT_KEY));
            return accepted;
        }
        List<String> bearerRoles =
                roles.stream().filter(r -> r != Role.PUBLIC).map(Role::name).toList();
        if (!bearerRoles.isEmpty()) {
            accepted.add(new SecurityRequirement().addList(OpenApiConfig.BEARER, bearerRoles));
        }
        if (roles.contains(Role.ADMIN) && !roles.contains(Role.PLATFORM)) {
            accepted.add(new SecurityRequirement()
                    .addList(OpenApiConfig.BEARER, List.of(Role.PLATFORM.name()))
                    .addList(OpenApiConfig.PROJECT_KEY));
        }
        if (roles.contains(Role.SYSTEM)) {
            accepted.add(new SecurityRequirement().addList(OpenApiConfig.API_KEY));
        }
        if (roles.contains(Role.PUBLIC)) {
            accepted.add(new SecurityRequirement().addList(OpenApiConfig.PROJECT_KEY));
        }
        return accepted;
    }

    /** Every code the operation may answer: those of its kind, then its own. */
    private static Set<ErrorCode> codes(
            HandlerMethod handler, String method, boolean open, Set<Role> roles, boolean idempotent) {
        Set<ErrorCode> codes = EnumSet.of(
                ErrorCode.VALIDATION_FAILED,
                // Any credential sent is checked, even where none is needed.
                ErrorCode.INVALID_TOKEN,
                ErrorCode.TOKEN_EXPIRED,
                ErrorCode.INVALID_API_KEY,
                ErrorCode.INVALID_PROJECT_KEY,
                ErrorCode.TENANT_MISMATCH,
                ErrorCode.ORIGIN_NOT_ALLOWED,
                ErrorCode.INTERNAL_ERROR,
                ErrorCode.SERVICE_UNAVAILABLE);
        if (!open) {
            codes.addAll(List.of(ErrorCode.AUTHENTICATION_REQUIRED, ErrorCode.FORBIDDEN));
        }
        if (roles.contains(Role.SYSTEM) || roles.contains(Role.PUBLIC)) {
            codes.add(ErrorCode.RATE_LIMITED);
        }
        boolean body =
                Arrays.stream(handler.getMethodParameters()).anyMatch(p -> p.hasParameterAnnotation(RequestBody.class));
        if (body) {
            codes.addAll(List.of(ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA_TYPE));
            if (!byte[].class.equals(bodyType(handler))) {
                codes.addAll(List.of(ErrorCode.MALFORMED_JSON, ErrorCode.UNKNOWN_FIELD));
            }
        }
        if (Arrays.stream(handler.getMethodParameters()).anyMatch(p -> p.hasParameterAnnotation(PathVariable.class))
                || namesIds(bodyType(handler))) {
            codes.add(ErrorCode.NOT_FOUND);
        }
        if (idempotent) {
            codes.add(ErrorCode.IDEMPOTENCY_KEY_REUSED);
        }
        if (!method.equals(RequestMethod.GET.name())) {
            // A write that collides with a unique key the handler did not translate.
            codes.add(ErrorCode.ALREADY_EXISTS);
        }
        Fails fails = handler.getMethodAnnotation(Fails.class);
        if (fails != null) {
            codes.addAll(Arrays.asList(fails.value()));
        }
        return codes;
    }

    /** A body that names other resources by id (a campaign's trigger, a claim's campaign): one may not exist. */
    private static boolean namesIds(Class<?> body) {
        return body != null
                && body.isRecord()
                && Arrays.stream(body.getRecordComponents())
                        .anyMatch(c -> c.getType().equals(UUID.class)
                                || c.getGenericType().getTypeName().contains(UUID.class.getName()));
    }

    private static Class<?> bodyType(HandlerMethod handler) {
        return Arrays.stream(handler.getMethodParameters())
                .filter(p -> p.hasParameterAnnotation(RequestBody.class))
                .findFirst()
                .<Class<?>>map(p -> p.getParameterType())
                .orElse(null);
    }

    private static void idempotencyKey(Operation operation) {
        boolean declared = operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(p -> IdempotencyHeaders.KEY.equals(p.getName()));
        if (declared) {
            operation.getParameters().stream()
                    .filter(p -> IdempotencyHeaders.KEY.equals(p.getName()))
                    .forEach(p -> p.setDescription(IDEMPOTENCY_DESCRIPTION));
            return;
        }
        operation.addParametersItem(new HeaderParameter()
                .name(IdempotencyHeaders.KEY)
                .required(false)
                .description(IDEMPOTENCY_DESCRIPTION)
                .schema(new Schema<>()
                        .types(Set.of("string"))
                        .minLength(1)
                        .maxLength(255)
                        .pattern("^[\\x21-\\x7E]+$"))
                .example("order-4711-attempt"));
    }

    private static final String IDEMPOTENCY_DESCRIPTION = "Makes a retry safe: a request repeated with the same key"
            + " (per tenant and caller) is answered with the stored answer of the first (marked"
            + " `Idempotent-Replayed: true`) instead of being done again. Only successes are stored, so a"
            + " failed request may be retried with its key. The same key with another method, path, query or"
            + " body is refused with 422 `IDEMPOTENCY_KEY_REUSED`. 1-255 visible ASCII characters.";

    private static Example problemExample(ErrorCode code) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put(
                "type", "https://pers.dev/problems/" + code.name().toLowerCase().replace('_', '-'));
        problem.put("title", code.title());
        problem.put("status", code.status().value());
        problem.put("detail", code.title());
        problem.put("code", code.name());
        problem.put("category", code.category().name());
        problem.put("correlationId", "4f9c2b1e-7d3a-4e8b-9a51-2c6d8e0f1a23");
        problem.put("retryable", code.retryable());
        return new Example().summary(code.title()).value(problem);
    }

    /**
     * One problem response per status, listing its codes with their titles, with an example of
     * each; any other refusal stays documented by its class ({@code 4XX}, {@code 5XX}).
     */
    private void problems(Operation operation, Set<ErrorCode> codes) {
        ApiResponses responses = operation.getResponses();
        used.addAll(codes);
        Map<Integer, Set<ErrorCode>> byStatus = new TreeMap<>();
        codes.forEach(c -> byStatus.computeIfAbsent(c.status().value(), s -> new TreeSet<>())
                .add(c));
        byStatus.forEach((status, ofStatus) -> {
            if (responses.containsKey(String.valueOf(status))) {
                return;
            }
            MediaType media = new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM));
            ofStatus.forEach(
                    code -> media.addExamples(code.name(), new Example().$ref("#/components/examples/" + code.name())));
            String list = ofStatus.stream()
                    .map(c -> "- `" + c.name() + "`: " + c.title())
                    .collect(Collectors.joining("\n"));
            ApiResponse response = new ApiResponse()
                    .description("Problem details (RFC 9457); `code` is one of:\n" + list)
                    .content(new Content().addMediaType(PROBLEM_JSON, media));
            if (ofStatus.stream().anyMatch(c -> c.status().value() == 429)) {
                response.addHeaderObject(
                        "Retry-After",
                        new Header()
                                .description("Seconds to wait before trying again")
                                .schema(new Schema<>().types(Set.of("integer"))));
            }
            responses.addApiResponse(String.valueOf(status), response);
        });
        responses.addApiResponse("4XX", fallback("Another refusal than those listed above"));
        responses.addApiResponse("5XX", fallback("Another failure of PERS or a dependency"));
    }

    private static ApiResponse fallback(String description) {
        return new ApiResponse()
                .description(description + ", as problem details (RFC 9457) with a stable `code`")
                .content(new Content()
                        .addMediaType(
                                PROBLEM_JSON,
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }
}
