package io.pers.outbound;

/**
 * What an outside system answered, as it may be shown in an API answer or the console: at most
 * {@code maxChars}, control and format characters (terminal escapes, bidi overrides, NULs) and
 * line breaks each made one space, so a receiver cannot forge log lines or dress up the console.
 */
public final class Excerpts {

    private Excerpts() {}

    public static String of(String text, int maxChars) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars));
        text.codePoints().limit(maxChars).forEach(c -> {
            int type = Character.getType(c);
            boolean hidden = Character.isISOControl(c)
                    || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.SURROGATE
                    || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE;
            out.appendCodePoint(hidden ? ' ' : c);
        });
        return out.toString();
    }
}
