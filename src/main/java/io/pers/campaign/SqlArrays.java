package io.pers.campaign;

import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** PostgreSQL arrays to and from Java lists, for the text[] columns of the campaign tables. */
final class SqlArrays {

    private SqlArrays() {}

    /** A parameter for {@code ?::text[]}; null stays null so {@code coalesce} keeps the column. */
    static String[] text(List<String> values) {
        return values == null ? null : values.toArray(String[]::new);
    }

    /** A parameter for {@code ?::uuid[]}. */
    static String[] uuids(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
