package io.pers.campaign;

import java.util.List;
import java.util.Locale;

/** Formats the campaign endpoints share for what clients send. */
final class Inputs {

    /** An absolute http or https URL with a host. */
    static final String URL = "https?://[^\\s/?#]+([/?#]\\S*)?";

    /** A tag as sent; stored in lower case. */
    static final String TAG = "[A-Za-z0-9-]{1,40}";

    private Inputs() {}

    /** Tags in lower case, each once, in the order given. */
    static List<String> tags(List<String> tags) {
        return tags == null
                ? null
                : tags.stream().map(t -> t.toLowerCase(Locale.ROOT)).distinct().toList();
    }
}
