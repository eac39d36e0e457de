package org.autoinit.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2.5, 3e2, true, false, null], \"s\": \"x\\\"\\u00e9\\n\", \"o\": {}} ");
        Map<String, Object> want = new LinkedHashMap<>();
        want.put("a", java.util.Arrays.asList(1L, -2.5, 300.0, true, false, null));
        want.put("s", "x\"\u00e9\n");
        want.put("o", Map.of());
        assertEquals(want, v);
        assertEquals(List.of("a", "s", "o"), List.copyOf(((Map<?, ?>) v).keySet()));
    }

    @Test
    void writesCompactlyAndRoundTrips() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shape", new int[] {2, 3});
        m.put("x", 0.1);
        m.put("nan", Double.NaN);
        m.put("t", "tab\there");
        assertEquals("{\"shape\":[2,3],\"x\":0.1,\"nan\":null,\"t\":\"tab\\there\"}", Json.write(m));
        assertEquals("{\n  \"a\": [1, 2]\n}\n", Json.pretty(Map.of("a", List.of(1, 2))));
        Object back = Json.parse(Json.write(m));
        assertEquals(List.of(2L, 3L), ((Map<?, ?>) back).get("shape"));
    }

    @Test
    void errorsSayWhatAndWhere() {
        assertEquals("invalid JSON at offset 7: expected ',' or '}' in an object",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1 \"b\":2}")).getMessage());
        assertEquals("invalid JSON at offset 1: unexpected end of input, expected a value",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("[")).getMessage());
        assertEquals("invalid JSON at offset 7: duplicate key \"a\"",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,\"a\":2}")).getMessage());
        assertEquals("invalid JSON at offset 2: unexpected 'x' after the end of the value",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("1 x")).getMessage());
        assertEquals("invalid JSON at offset 0: leading zero in a number",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("01")).getMessage());
    }
}
