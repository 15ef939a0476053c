package io.scgrn.anndata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON parser for the expected-values file written by {@code scripts/export_expected.py}, so the tests need
 * no JSON library: objects become LinkedHashMaps, arrays Lists, numbers Doubles (or Longs when integral), null
 * null.
 */
final class MiniJson {
    private final String s;
    private int p;

    private MiniJson(String s) {
        this.s = s;
    }

    static Object parse(String text) {
        MiniJson j = new MiniJson(text);
        Object v = j.value();
        j.ws();
        if (j.p != j.s.length()) {
            throw new IllegalArgumentException("trailing characters at " + j.p);
        }
        return v;
    }

    private void ws() {
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
            p++;
        }
    }

    private Object value() {
        ws();
        char c = s.charAt(p);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                p += 4;
                return Boolean.TRUE;
            case 'f':
                p += 5;
                return Boolean.FALSE;
            case 'n':
                p += 4;
                return null;
            default:
                return number();
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        p++;
        ws();
        if (s.charAt(p) == '}') {
            p++;
            return m;
        }
        while (true) {
            ws();
            String k = string();
            ws();
            p++; // ':'
            m.put(k, value());
            ws();
            if (s.charAt(p++) == '}') {
                return m;
            }
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        p++;
        ws();
        if (s.charAt(p) == ']') {
            p++;
            return l;
        }
        while (true) {
            l.add(value());
            ws();
            if (s.charAt(p++) == ']') {
                return l;
            }
        }
    }

    private String string() {
        StringBuilder sb = new StringBuilder();
        p++;
        while (true) {
            char c = s.charAt(p++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                char e = s.charAt(p++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
                        p += 4;
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
    }

    private Object number() {
        int start = p;
        while (p < s.length() && "+-0123456789.eE".indexOf(s.charAt(p)) >= 0) {
            p++;
        }
        String t = s.substring(start, p);
        if (t.indexOf('.') < 0 && t.indexOf('e') < 0 && t.indexOf('E') < 0) {
            return Long.parseLong(t);
        }
        return Double.parseDouble(t);
    }
}
