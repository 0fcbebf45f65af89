package io.tribute.common.json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * RFC 8785 (JCS) canonical JSON for the values Tribute signs and hashes: objects ({@code Map<String, ?>}),
 * arrays ({@code List<?>}), strings, integers ({@code Integer}/{@code Long} within ±2^53, else refused:
 * larger numbers travel as strings), booleans and null. Members are sorted by their names' UTF-16 code
 * units; no whitespace; strings escaped as ECMAScript's JSON.stringify does.
 */
public final class CanonicalJson {

    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

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
        // String's natural order compares UTF-16 code units, as RFC 8785 §3.2.3 requires.
        TreeMap<String, Object> sorted = new TreeMap<>();
        map.forEach((key, member) -> sorted.put((String) key, member));
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> member : sorted.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            appendString(out, member.getKey());
            out.append(':');
            append(out, member.getValue());
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

    private static void appendString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
