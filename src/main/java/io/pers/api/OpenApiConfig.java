package io.pers.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
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

    private static final String PROBLEM = "Problem";

    @Bean
    OpenAPI persOpenApi() {
        return new OpenAPI()
                .info(
                        new Info()
                                .title("PERS API")
                                .version("v2")
                                .description(
                                        "Loyalty and rewards tokenization. Errors are RFC 9457 problem+json with a stable `code`."))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT"))
                        .addSecuritySchemes(
                                "apiKey",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("x-api-key"))
                        .addSecuritySchemes(
                                "projectKey",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("x-project-key")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"))
                .addSecurityItem(new SecurityRequirement().addList("projectKey"));
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
     * What every operation may answer besides its success: any 4xx or 5xx as problem+json; a
     * property the code may leave out may be null (Jackson writes an absent value as null); and an
     * object has no properties but its own.
     */
    @Bean
    OpenApiCustomizer problemsAndNulls() {
        return openApi -> {
            openApi.getComponents().getSchemas().values().forEach(OpenApiConfig::closeAndAllowNulls);
            openApi.getComponents().addSchemas(PROBLEM, problem()); // open: a problem may carry more members
            ApiResponse failure = new ApiResponse()
                    .description("RFC 9457 problem details with a stable `code`")
                    .content(new Content()
                            .addMediaType(
                                    "application/problem+json",
                                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                operation.getResponses().putIfAbsent("4XX", failure);
                operation.getResponses().putIfAbsent("5XX", failure);
            }));
        };
    }

    private static Schema<?> problem() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new Schema<>().types(Set.of("string")).format("uri"));
        properties.put("title", new Schema<>().types(Set.of("string")));
        properties.put("status", new Schema<>().types(Set.of("integer")));
        properties.put("detail", new Schema<>().types(Set.of("string", "null")));
        properties.put("instance", new Schema<>().types(Set.of("string", "null")));
        properties.put(
                "code",
                new Schema<>().types(Set.of("string")).description("Stable error code, e.g. VALIDATION_FAILED"));
        properties.put("category", new Schema<>().types(Set.of("string")));
        properties.put("correlationId", new Schema<>().types(Set.of("string", "null")));
        properties.put("retryable", new Schema<>().types(Set.of("boolean")));
        return new Schema<>()
                .types(Set.of("object"))
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
