package io.pers.api;

import java.util.Set;

/**
 * Paging and sorting as sent by clients ({@code ?page=0&size=20&sort=createdAt,desc}). The
 * sort field is checked against the columns an endpoint allows, never pasted from input.
 */
public record PageQuery(int page, int size, String sortColumn, boolean descending) {

    public static final int MAX_SIZE = 200;

    public static PageQuery of(Integer page, Integer size, String sort, java.util.Map<String, String> sortable) {
        int p = page == null ? 0 : page;
        int s = size == null ? 20 : size;
        if (p < 0 || s < 1 || s > MAX_SIZE) {
            throw new PersException(ErrorCode.VALIDATION_FAILED, "page must be >= 0 and size 1.." + MAX_SIZE);
        }
        String field = "createdAt";
        boolean desc = true;
        if (sort != null && !sort.isBlank()) {
            String[] parts = sort.split(",", 2);
            field = parts[0].trim();
            desc = parts.length > 1 && parts[1].trim().equalsIgnoreCase("desc");
        }
        String column = sortable.get(field);
        if (column == null) {
            throw new PersException(
                    ErrorCode.VALIDATION_FAILED, "sort must be one of " + Set.copyOf(sortable.keySet()));
        }
        return new PageQuery(p, s, column, desc);
    }

    public int offset() {
        return page * size;
    }

    /** An ORDER BY clause from an allow-listed column, with id as the tie-breaker for stable pages. */
    public String orderBy() {
        return orderBy("id");
    }

    /** The same, for queries where the id column needs a table alias. */
    public String orderBy(String idColumn) {
        String direction = descending ? " desc" : " asc";
        return " order by " + sortColumn + direction + ", " + idColumn + direction;
    }
}
