package io.pers.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A list endpoint's query: a condition for each filter the client sent (none for those it left
 * out), then the total and one page, sorted by an allow-listed column ({@link PageQuery}).
 */
public final class PagedQuery {

    private final String from;
    private final StringBuilder where = new StringBuilder(" where true");
    private final List<Object> params = new ArrayList<>();

    private PagedQuery(String from) {
        this.from = from;
    }

    /** @param from the table (with an alias if conditions use one), e.g. {@code claims} */
    public static PagedQuery from(String from) {
        return new PagedQuery(from);
    }

    /** Adds {@code condition} (one {@code ?}) when {@code value} was sent; an enum binds as its name. */
    public PagedQuery and(String condition, Object value) {
        if (value != null) {
            where.append(" and ").append(condition);
            params.add(value instanceof Enum<?> e ? e.name() : value);
        }
        return this;
    }

    /** The total and the page's rows of {@code select <columns>}. */
    public <T> Page<T> page(JdbcClient db, String columns, PageQuery page, RowMapper<T> rows) {
        return page(db, columns, page, "id", rows);
    }

    /** The same, when the id column needs the table's alias. */
    public <T> Page<T> page(JdbcClient db, String columns, PageQuery page, String idColumn, RowMapper<T> rows) {
        long total = db.sql("select count(*) from " + from + where)
                .params(params)
                .query(Long.class)
                .single();
        List<Object> paged = new ArrayList<>(params);
        paged.add(page.size());
        paged.add(page.offset());
        List<T> items = db.sql(
                        "select " + columns + " from " + from + where + page.orderBy(idColumn) + " limit ? offset ?")
                .params(paged)
                .query(rows)
                .list();
        return new Page<>(items, page.page(), page.size(), total);
    }

    /** A page with its items completed (e.g. each with its parts read in one more query). */
    public static <T> Page<T> completed(Page<T> page, UnaryOperator<List<T>> complete) {
        return new Page<>(complete.apply(page.items()), page.page(), page.size(), page.total());
    }
}
