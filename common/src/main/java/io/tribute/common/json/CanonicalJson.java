package io.tribute.common.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 (JCS) canonical JSON for the values Tribute signs and hashes: objects ({@code Map<String, ?>}),
 * arrays ({@code List<?>}), strings, integers ({@code Integer}/{@code Long} within ±2^53, else refused:
 * larger numbers travel as strings), booleans and null. Members are sorted by their names' UTF-16 code
 * units; no whitespace; strings escaped as ECMAScript's JSON.stringify does.
 */
public final class CanonicalJson {

    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    /** String's natural order compares UTF-16 code units, as RFC 8785 §3.2.3 requires. */
    private static final Comparator<Map.Entry<?, ?>> BY_NAME = Comparator.comparing(member -> (String) member.getKey());

    private CanonicalJson() {
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    /** The canonical form's UTF-8 bytes: what gets hashed or signed. */
    public static byte[] encode(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    private static void append(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case String text -> appendString(out, text);
            case Boolean bool -> out.append(bool);
            case Integer number -> out.append(number);
            case Long number -> appendLong(out, number);
            case Map<?, ?> map -> appendObject(out, map);
            case List<?> list -> appendArray(out, list);
            default -> throw new IllegalArgumentException("not a canonical JSON value: " + value.getClass());
        }
    }

    private static void appendLong(StringBuilder out, long number) {
        if (Math.abs(number) > MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException("integers beyond 2^53 must be written as strings: " + number);
        }
        out.append(number);
    }

    private static void appendObject(StringBuilder out, Map<?, ?> map) {
        Map.Entry<?, ?>[] members = map.entrySet().toArray(Map.Entry[]::new);
        Arrays.sort(members, BY_NAME);
        out.append('{');
        for (int i = 0; i < members.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            appendString(out, (String) members[i].getKey());
            out.append(':');
            append(out, members[i].getValue());
        }
        out.append('}');
    }

    private static void appendArray(StringBuilder out, List<?> list) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            append(out, list.get(i));
        }
        out.append(']');
    }

    /** Copies the runs of characters that need no escape whole (ids and names are such runs). */
    private static void appendString(StringBuilder out, String text) {
        out.append('"');
        int copied = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(text, copied, i).append(escape(c));
            copied = i + 1;
        }
        out.append(text, copied, text.length()).append('"');
    }

    private static String escape(char c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> String.format("\\u%04x", (int) c);
        };
    }
}
