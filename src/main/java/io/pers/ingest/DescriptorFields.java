package io.pers.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One block of a connector.yaml, read field by field: every refusal names the file and the field's
 * path ({@code connectors/shopify/connector.yaml: signature.encoding: ...}), and a field the block
 * does not know is refused rather than ignored, so a typo never silently changes what is verified.
 */
final class DescriptorFields {

    /** A descriptor PERS cannot run with; the message names the file and the field. */
    static final class Invalid extends IllegalStateException {
        Invalid(String message) {
            super(message);
        }
    }

    private final String file;
    private final String path;
    private final Map<String, Object> values;

    DescriptorFields(String file, String path, Map<?, ?> values) {
        this.file = file;
        this.path = path;
        this.values = new LinkedHashMap<>();
        values.forEach((k, v) -> this.values.put(String.valueOf(k), v));
    }

    String file() {
        return file;
    }

    boolean has(String field) {
        return values.get(field) != null;
    }

    /** Refuses any field not in {@code known}. */
    DescriptorFields only(String... known) {
        Set<String> allowed = Set.of(known);
        for (String field : values.keySet()) {
            if (!allowed.contains(field)) {
                throw invalid(
                        field, "is not a field PERS reads here; known: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return this;
    }

    String text(String field) {
        String value = optionalText(field);
        if (value == null || value.isBlank()) {
            throw invalid(field, "is required");
        }
        return value;
    }

    String optionalText(String field) {
        Object value = values.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            throw invalid(field, "must be a text, not a " + (value instanceof Map ? "block" : "list"));
        }
        return String.valueOf(value);
    }

    String text(String field, String otherwise) {
        String value = optionalText(field);
        return value == null ? otherwise : value;
    }

    long number(String field, long otherwise) {
        Object value = values.get(field);
        if (value == null) {
            return otherwise;
        }
        if (!(value instanceof Number number) || number.longValue() < 0) {
            throw invalid(field, "must be a whole number, 0 or more; it is " + value);
        }
        return number.longValue();
    }

    boolean flag(String field) {
        Object value = values.get(field);
        if (value != null && !(value instanceof Boolean)) {
            throw invalid(field, "must be true or false; it is " + value);
        }
        return Boolean.TRUE.equals(value);
    }

    /** A nested block, or null when absent. */
    DescriptorFields block(String field) {
        Object value = values.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid(field, "must be a block of fields");
        }
        return new DescriptorFields(file, qualified(field), map);
    }

    /** A list of texts, empty when absent. */
    List<String> list(String field) {
        Object value = values.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> items)
                || items.stream().anyMatch(i -> i == null || i instanceof Map || i instanceof List)) {
            throw invalid(field, "must be a list of texts");
        }
        return items.stream().map(String::valueOf).toList();
    }

    /** A block of text values by name (e.g. a fixed query), empty when absent. */
    Map<String, String> texts(String field) {
        DescriptorFields block = block(field);
        Map<String, String> texts = new LinkedHashMap<>();
        if (block != null) {
            block.values.forEach((name, value) -> texts.put(name, block.text(name)));
        }
        return texts;
    }

    /** One of {@code choices}, compared without case; the refusal lists them. */
    <E extends Enum<E>> E choice(String field, Class<E> type, E otherwise) {
        String value = optionalText(field);
        if (value == null) {
            if (otherwise == null) {
                throw invalid(field, "is required");
            }
            return otherwise;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().replace('_', '-').equalsIgnoreCase(value)) {
                return constant;
            }
        }
        List<String> names = java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .toList();
        throw invalid(field, value + " is not one of " + String.join(", ", names));
    }

    Invalid invalid(String field, String problem) {
        return new Invalid(file + ": " + qualified(field) + ": " + problem);
    }

    private String qualified(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
