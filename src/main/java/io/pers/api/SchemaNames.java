package io.pers.api;

import io.swagger.v3.core.jackson.TypeNameResolver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names the OpenAPI schema of a nested type after its enclosing type, so types that share a simple
 * name are published apart ({@code Reconciliation.Report} as {@code ReconciliationReport},
 * {@code Backfill.Report} as {@code BackfillReport}), and refuses to publish two types under one
 * name: a silent merge documents one type's body for the other's operations.
 */
final class SchemaNames extends TypeNameResolver {

    private final Map<String, Class<?>> published = new ConcurrentHashMap<>();

    @Override
    protected String getNameOfClass(Class<?> type) {
        Class<?> enclosing = type.getEnclosingClass();
        String name = enclosing == null
                ? type.getSimpleName()
                : qualified(enclosing.getSimpleName().replaceFirst("Controller$", ""), type.getSimpleName());
        Class<?> earlier = published.putIfAbsent(name, type);
        if (earlier != null && !earlier.equals(type)) {
            throw new IllegalStateException("Two API types would publish the schema " + name + ": " + earlier.getName()
                    + " and " + type.getName() + "; rename one or give it @Schema(name)");
        }
        return name;
    }

    /** Without stutter: {@code ClaimController.ClaimView} stays {@code ClaimView}, {@code Transactions.Transaction} {@code Transaction}. */
    static String qualified(String enclosing, String simple) {
        return simple.contains(enclosing) || enclosing.startsWith(simple) ? simple : enclosing + simple;
    }
}
