package io.pers.ingest;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a polled connector reads its system's API ({@code polling} in its connector.yaml): a GET of
 * {@code path} under the connection's base URL with the connector's fixed query, the connection's
 * account, a modification-time window and a page number; the API key as a Bearer token. The
 * response's {@code items} array holds the records the mapping turns into events, one each.
 */
record PollingSpec(
        Duration interval,
        Duration failingInterval,
        int pageSize,
        int maxPages,
        Duration overlap,
        String path,
        Map<String, String> query,
        String accountParam,
        String fromParam,
        String toParam,
        String pageParam,
        String pageSizeParam,
        DateTimeFormatter timeFormat,
        String itemsField) {

    static PollingSpec from(DescriptorFields polling) {
        polling.only("interval", "failingInterval", "pageSize", "maxPages", "overlap", "request", "response");
        DescriptorFields request = required(polling, "request")
                .only(
                        "path",
                        "query",
                        "accountParam",
                        "fromParam",
                        "toParam",
                        "pageParam",
                        "pageSizeParam",
                        "timeFormat");
        DescriptorFields response = required(polling, "response").only("items");
        return new PollingSpec(
                duration(polling, "interval"),
                duration(polling, "failingInterval"),
                (int) positive(polling, "pageSize"),
                (int) positive(polling, "maxPages"),
                duration(polling, "overlap"),
                request.text("path"),
                Map.copyOf(new TreeMap<>(request.texts("query"))),
                request.optionalText("accountParam"),
                request.text("fromParam"),
                request.text("toParam"),
                request.text("pageParam"),
                request.text("pageSizeParam"),
                timeFormat(request),
                response.text("items"));
    }

    private static DescriptorFields required(DescriptorFields block, String field) {
        DescriptorFields nested = block.block(field);
        if (nested == null) {
            throw block.invalid(field, "is required");
        }
        return nested;
    }

    private static Duration duration(DescriptorFields block, String field) {
        String value = block.text(field);
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw block.invalid(field, value + " is no ISO-8601 duration (e.g. PT2M)");
        }
    }

    private static long positive(DescriptorFields block, String field) {
        long value = block.number(field, 0);
        if (value <= 0) {
            throw block.invalid(field, "is required and more than 0");
        }
        return value;
    }

    private static DateTimeFormatter timeFormat(DescriptorFields request) {
        String pattern = request.text("timeFormat");
        try {
            return DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
        } catch (IllegalArgumentException e) {
            throw request.invalid("timeFormat", pattern + " is no date-time pattern: " + e.getMessage());
        }
    }

    /** The same spec read at another pace or page size (operators' overrides, e.g. in tests). */
    PollingSpec tuned(Duration interval, int pageSize) {
        return new PollingSpec(
                interval,
                failingInterval,
                pageSize,
                maxPages,
                overlap,
                path,
                query,
                accountParam,
                fromParam,
                toParam,
                pageParam,
                pageSizeParam,
                timeFormat,
                itemsField);
    }
}
