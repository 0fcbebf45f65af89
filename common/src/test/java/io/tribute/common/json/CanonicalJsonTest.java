package io.tribute.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 8785 canonical JSON, checked against the RFC's own examples. */
class CanonicalJsonTest {

    @Test
    void membersAreSortedByUtf16CodeUnitsAsInRfc8785Section3_2_3() {
        Map<String, Object> object = new LinkedHashMap<>();
        for (String key : List.of("\u20ac", "\r", "\ufb33", "1", "\ud83d\ude00", "\u0080", "\u00f6")) {
            object.put(key, key);
        }

        String json = CanonicalJson.write(object);

        assertThat(json).isEqualTo("{\"\\r\":\"\\r\",\"1\":\"1\",\"\u0080\":\"\u0080\",\"\u00f6\":\"\u00f6\","
                + "\"\u20ac\":\"\u20ac\",\"\ud83d\ude00\":\"\ud83d\ude00\",\"\ufb33\":\"\ufb33\"}");
    }

    @Test
    void stringsAreEscapedAsJsonStringifyDoes() {
        assertThat(CanonicalJson.write("\u20ac$\u000f\nA'B\"\\\\\"/"))
                .isEqualTo("\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"");
    }

    @Test
    void everyEscapeIsWrittenWhereverItStandsInTheString() {
        assertThat(CanonicalJson.write("\b\f\t\r\n\u0000\u001f\"\\")).isEqualTo("\"\\b\\f\\t\\r\\n\\u0000\\u001f\\\"\\\\\"");
        assertThat(CanonicalJson.write("\tid-1\u007f\u00e9\n")).isEqualTo("\"\\tid-1\u007f\u00e9\\n\"");
        assertThat(CanonicalJson.write("")).isEqualTo("\"\"");
    }

    @Test
    void nestedValuesHaveNoWhitespace() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("b", Arrays.asList(1, null, true, "x"));
        value.put("a", Map.of("d", 2L, "c", List.of()));

        assertThat(CanonicalJson.write(value)).isEqualTo("{\"a\":{\"c\":[],\"d\":2},\"b\":[1,null,true,\"x\"]}");
    }

    @Test
    void integersBeyondTwoToThe53AreRefused() {
        assertThatThrownBy(() -> CanonicalJson.write(1L << 53)).isInstanceOf(IllegalArgumentException.class);
    }
}
