package io.scgrn.anndata;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON written by Python's {@code json.dump} (which writes NaN and Infinity), read with Jackson: objects become
 * LinkedHashMaps, arrays Lists, strings, booleans and null as they are.
 */
final class TestJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private TestJson() {
    }

    /** Numbers as Jackson reads them (Integer, Long, BigInteger or Double). */
    static Object parse(String text) throws IOException {
        return MAPPER.readValue(text, Object.class);
    }

    /** As {@link #parse}, with every number a Double, so arrays compare equal to lists of doubles. */
    static Object parseNumbersAsDoubles(String text) throws IOException {
        return doubles(parse(text));
    }

    private static Object doubles(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(doubles(x)));
            return out;
        }
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, doubles(v)));
            return out;
        }
        return o;
    }
}
