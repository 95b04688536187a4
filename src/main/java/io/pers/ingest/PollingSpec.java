package io.pers.ingest;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

    @SuppressWarnings("unchecked")
    static PollingSpec from(Map<String, Object> yaml) {
        Map<String, Object> request = (Map<String, Object>) yaml.get("request");
        Map<String, Object> response = (Map<String, Object>) yaml.get("response");
        Map<String, String> query = new TreeMap<>();
        ((Map<String, Object>) request.getOrDefault("query", Map.of()))
                .forEach((name, value) -> query.put(name, String.valueOf(value)));
        return new PollingSpec(
                Duration.parse(String.valueOf(yaml.get("interval"))),
                Duration.parse(String.valueOf(yaml.get("failingInterval"))),
                ((Number) yaml.get("pageSize")).intValue(),
                ((Number) yaml.get("maxPages")).intValue(),
                Duration.parse(String.valueOf(yaml.get("overlap"))),
                String.valueOf(request.get("path")),
                Map.copyOf(query),
                (String) request.get("accountParam"),
                String.valueOf(request.get("fromParam")),
                String.valueOf(request.get("toParam")),
                String.valueOf(request.get("pageParam")),
                String.valueOf(request.get("pageSizeParam")),
                DateTimeFormatter.ofPattern(String.valueOf(request.get("timeFormat")))
                        .withZone(ZoneOffset.UTC),
                String.valueOf(response.get("items")));
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
