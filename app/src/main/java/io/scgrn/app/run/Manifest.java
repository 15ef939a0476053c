package io.scgrn.app.run;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/** Writes {@code manifest.json}: what was run, on what, with which parameters, how long each phase took. */
final class Manifest {
    private Manifest() {
    }

    /** Writes {@code manifest} (a tree of maps, lists and scalars) as indented JSON. */
    static void write(Path file, Map<String, Object> manifest) throws IOException {
        Files.writeString(file, toJson(manifest).encodePrettily() + "\n", StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static JsonObject toJson(Map<String, ?> map) {
        JsonObject o = new JsonObject();
        map.forEach((k, v) -> o.put(k, convert(v)));
        return o;
    }

    @SuppressWarnings("unchecked")
    private static Object convert(Object v) {
        if (v instanceof Map<?, ?> m) {
            return toJson((Map<String, ?>) m);
        }
        if (v instanceof Collection<?> c) {
            JsonArray a = new JsonArray();
            c.forEach(x -> a.add(convert(x)));
            return a;
        }
        if (v instanceof Path p) {
            return p.toString();
        }
        if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return null; // JSON has no NaN
        }
        return v;
    }
}
