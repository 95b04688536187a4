package io.pers.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static {
        // A JSON tree (an audit entry's redacted bodies, a connector's sample) is any JSON value,
        // not an object with the tree class's getters as properties.
        SpringDocUtils.getConfig()
                .replaceWithSchema(tools.jackson.databind.JsonNode.class, new Schema<>().description("Any JSON value"))
                .replaceWithSchema(
                        com.fasterxml.jackson.databind.JsonNode.class, new Schema<>().description("Any JSON value"));
    }

    static final String BEARER = "bearer";
    static final String API_KEY = "apiKey";
    static final String PROJECT_KEY = "projectKey";

    private static final String DESCRIPTION = """
            Loyalty and rewards tokenization, multi-tenant. Every tenant operation is under `/v2`.

            **Credentials.** A bearer access token from `POST /v2/auth/token` (a tenant's user, business,
            admin, or a SYSTEM caller exchanging its API key); an API key in `x-api-key` (SYSTEM); or, for
            public endpoints and sign-in, only the tenant's project key in `x-project-key`. The platform
            admin's token with a tenant's project key acts as that tenant's ADMIN. Each operation lists
            what it accepts, with the roles in the bearer requirement.

            **Errors** are RFC 9457 problem details (`application/problem+json`) with a stable `code`
            (clients branch on it, never on the text), its `category`, whether it is `retryable`, and the
            request's `correlationId`. Each operation lists its codes by status.

            **Retries.** Every POST except the credential exchanges honours `Idempotency-Key`: a repeated
            key replays the first answer (`Idempotent-Replayed: true`).

            **Correlation.** Send `X-Correlation-Id` (1-64 of `A-Za-z0-9._:-`) to find a request in the
            logs and audit log; every answer carries it (a new one when none was sent).

            **Amounts** are integers in the token's base units, written as strings.
            """;

    @Bean
    OpenAPI persOpenApi() {
        return new OpenAPI()
                .info(new Info().title("PERS API").version("v2").description(DESCRIPTION))
                // Relative: the document describes the instance that serves it.
                .servers(List.of(new Server().url("/").description("The PERS instance serving this document")))
                .components(new Components()
                        .addSecuritySchemes(
                                BEARER,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT")
                                        .description("Access token from POST /v2/auth/token (RS256, keys at"
                                                + " /.well-known/jwks.json)"))
                        .addSecuritySchemes(
                                API_KEY,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("x-api-key")
                                        .description("A tenant's API key (POST /v2/api-keys): a SYSTEM caller"))
                        .addSecuritySchemes(
                                PROJECT_KEY,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("x-project-key")
                                        .description("Names the tenant: alone for public endpoints and sign-in;"
                                                + " with a platform admin's token, to act as the tenant's ADMIN")));
    }

    /**
     * Springdoc's model resolver with {@link SchemaNames}. Registered first, so springdoc's own
     * converters (added in front of it) still run, and swagger's default resolver is never reached.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ModelResolver schemaNames(SpringDocConfigProperties springdoc) {
        boolean openapi31 = springdoc.isOpenapi31();
        return new ModelResolver(openapi31 ? Json31.mapper() : Json.mapper(), new SchemaNames()).openapi31(openapi31);
    }

    /**
     * An integer or decimal Jackson writes as a string ({@code @JsonFormat(shape = STRING)}, as
     * amounts in base units are, beyond a JavaScript number) is documented as the string it is.
     */
    @Bean
    ModelConverter integersWrittenAsStrings() {
        return (type, context, chain) -> {
            JsonFormat format = type.getCtxAnnotations() == null
                    ? null
                    : Arrays.stream(type.getCtxAnnotations())
                            .filter(JsonFormat.class::isInstance)
                            .map(JsonFormat.class::cast)
                            .findFirst()
                            .orElse(null);
            Schema<?> resolved = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
            if (format == null
                    && resolved != null
                    && !annotated(type.getCtxAnnotations(), io.swagger.v3.oas.annotations.media.Schema.class)
                    && BigInteger.class.equals(
                            Json.mapper().constructType(type.getType()).getRawClass())) {
                // A request's amount: Jackson reads a string of digits as well as a number, and only
                // the string carries any uint256 through clients whose integers stop at 2^53 or 2^63.
                return new Schema<>()
                        .types(new LinkedHashSet<>(Set.of("string")))
                        .pattern("^[0-9]+$")
                        .description("An integer in base units, as a string of digits");
            }
            if (format == null
                    || format.shape() != JsonFormat.Shape.STRING
                    || resolved == null
                    || resolved.getTypes() == null
                    || !(resolved.getTypes().contains("integer")
                            || resolved.getTypes().contains("number"))) {
                return resolved;
            }
            // A decimal (a refunded sum in the order's currency) keeps its fraction.
            return new Schema<>()
                    .types(new LinkedHashSet<>(Set.of("string")))
                    .pattern(resolved.getTypes().contains("integer") ? "^-?[0-9]+$" : "^-?[0-9]+(\\.[0-9]+)?$");
        };
    }

    /**
     * The problem schema every refusal uses ({@link OperationContract} lists them per operation); a
     * property the code may leave out may be null (Jackson writes an absent value as null); and an
     * object has no properties but its own.
     */
    @Bean
    OpenApiCustomizer problemsAndNulls() {
        return openApi -> {
            openApi.getComponents().getSchemas().values().forEach(OpenApiConfig::closeAndAllowNulls);
            openApi.getComponents()
                    .addSchemas(OperationContract.PROBLEM, problem()); // open: a problem may carry more members
        };
    }

    private static boolean annotated(java.lang.annotation.Annotation[] annotations, Class<?> kind) {
        return annotations != null && Arrays.stream(annotations).anyMatch(kind::isInstance);
    }

    private static Schema<?> problem() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put(
                "type",
                new Schema<>().types(Set.of("string")).format("uri").description("https://pers.dev/problems/<code>"));
        properties.put("title", new Schema<>().types(Set.of("string")).description("The code's fixed title"));
        properties.put("status", new Schema<>().types(Set.of("integer")).description("The HTTP status"));
        properties.put(
                "detail",
                new Schema<>()
                        .types(new LinkedHashSet<>(List.of("string", "null")))
                        .description("What was wrong with this request; for invalid fields, each as"
                                + " `field: message`, joined by `; `"));
        properties.put("instance", new Schema<>().types(new LinkedHashSet<>(List.of("string", "null"))));
        properties.put(
                "code",
                new Schema<>()
                        .types(Set.of("string"))
                        ._enum(Arrays.stream(ErrorCode.values()).map(Enum::name).toList())
                        .description("Stable error code: branch on it"));
        properties.put(
                "category",
                new Schema<>()
                        .types(Set.of("string"))
                        ._enum(Arrays.stream(ErrorCode.Category.values())
                                .map(Enum::name)
                                .toList()));
        properties.put(
                "correlationId",
                new Schema<>()
                        .types(new LinkedHashSet<>(List.of("string", "null")))
                        .description("The request's X-Correlation-Id"));
        properties.put(
                "retryable",
                new Schema<>().types(Set.of("boolean")).description("Whether the same request may succeed later"));
        properties.put(
                "field",
                new Schema<>()
                        .types(Set.of("string"))
                        .description("The body member the problem concerns, as a path (`trigger.maxMultiplier`,"
                                + " `tokenUnits[0].amount`), when it concerns one; the first of `errors`"));
        Map<String, Schema> error = new LinkedHashMap<>();
        error.put("field", new Schema<>().types(Set.of("string")));
        error.put("detail", new Schema<>().types(Set.of("string")));
        properties.put(
                "errors",
                new Schema<>()
                        .types(Set.of("array"))
                        .description("Every invalid member of the body, each as its path and what is wrong with it")
                        .items(new Schema<>()
                                .types(Set.of("object"))
                                .properties(error)
                                .required(List.of("field", "detail"))));
        return new Schema<>()
                .types(Set.of("object"))
                .description(
                        "RFC 9457 problem details with PERS's members; some codes add members of their own"
                                + " (`claimId` of a rejected claim, `redeemId`, `rateVersion`, `minQuantity` and `maxQuantity`)")
                .properties(properties)
                .required(List.of("type", "title", "status", "code"));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void closeAndAllowNulls(Schema<?> schema) {
        if (schema.getProperties() == null) {
            return;
        }
        if (schema.getAdditionalProperties() == null) {
            // Jackson writes exactly a record's properties and refuses unknown ones in a request.
            schema.setAdditionalProperties(false);
        }
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        schema.getProperties().replaceAll((name, property) -> {
            if (required.contains(name)) {
                return property;
            }
            if (property.get$ref() != null) {
                return new Schema<>().oneOf(List.of(property, new Schema<>().types(Set.of("null"))));
            }
            if (property.getTypes() != null) {
                Set<String> types = new LinkedHashSet<>(property.getTypes());
                types.add("null");
                property.setTypes(types);
                if (property.getEnum() != null && !property.getEnum().contains(null)) {
                    ((Schema) property).addEnumItemObject(null);
                }
            }
            return property;
        });
    }
}
