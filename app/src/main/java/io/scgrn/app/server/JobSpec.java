package io.scgrn.app.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a client asks a job to do: the body of {@code POST /api/v1/jobs}. Mirrors {@code scgrn infer}'s options;
 * the input is a dataset id, never a path.
 *
 * @param dataset           id of an uploaded dataset
 * @param model             model name, or null for the default model
 * @param species           human, mouse or null (auto)
 * @param groupby           obs column for per-group networks, or null
 * @param layer             layer instead of X, or null
 * @param device            auto, cpu or gpu
 * @param seed              random seed
 * @param params            model hyper-parameters (name → value as text)
 * @param prepParams        preparation options (name → value as text)
 * @param topRegulonTargets most targets per regulon
 * @param fdr               keep only edges with q ≤ fdr (0 < fdr ≤ 1), or null for all edges
 */
public record JobSpec(String dataset, String model, String species, String groupby, String layer, String device,
                      long seed, Map<String, String> params, Map<String, String> prepParams,
                      int topRegulonTargets, Double fdr) {
    /** The JSON keys a job request may have. */
    public static final Set<String> KEYS = new TreeSet<>(List.of("dataset", "model", "species", "groupby", "layer",
            "device", "seed", "params", "prep_params", "top_regulon_targets", "fdr"));

    public JobSpec {
        params = Map.copyOf(params);
        prepParams = Map.copyOf(prepParams);
    }

    /**
     * Parses and checks a request body; every problem is an {@link ApiException} 400 naming the field.
     */
    public static JobSpec fromJson(JsonObject body) {
        if (body == null) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        for (String k : body.fieldNames()) {
            if (!KEYS.contains(k)) {
                throw ApiException.badRequest("unknown field '" + k + "'; known fields: " + String.join(", ", KEYS));
            }
        }
        String dataset = text(body, "dataset");
        if (dataset == null) {
            throw ApiException.badRequest("field 'dataset' (a dataset id) is required");
        }
        String device = text(body, "device");
        device = device == null ? "auto" : device;
        if (!Set.of("auto", "cpu", "gpu").contains(device)) {
            throw ApiException.badRequest("field 'device' must be auto, cpu or gpu, not '" + device + "'");
        }
        String species = text(body, "species");
        if (species != null && !Set.of("auto", "human", "mouse").contains(species)) {
            throw ApiException.badRequest("field 'species' must be human, mouse or auto, not '" + species + "'");
        }
        long seed = integer(body, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        int top = (int) integer(body, "top_regulon_targets", 50, 1, 100_000);
        String model = text(body, "model");
        if (model != null && (model.isEmpty() || "default".equals(model))) {
            model = null;
        }
        Object f = body.getValue("fdr");
        Double fdr = null;
        if (f != null) {
            if (!(f instanceof Number n) || !(n.doubleValue() > 0 && n.doubleValue() <= 1)) {
                throw ApiException.badRequest("field 'fdr' must be a number in (0, 1], not " + f);
            }
            fdr = n.doubleValue();
        }
        return new JobSpec(dataset, model, "auto".equals(species) ? null : species, text(body, "groupby"),
                text(body, "layer"), device, seed, map(body, "params"), map(body, "prep_params"), top, fdr);
    }

    /** The spec as JSON (for job.json and responses). */
    public JsonObject toJson() {
        return new JsonObject().put("dataset", dataset).put("model", model).put("species", species)
                .put("groupby", groupby).put("layer", layer).put("device", device).put("seed", seed)
                .put("params", new JsonObject(new LinkedHashMap<>(params)))
                .put("prep_params", new JsonObject(new LinkedHashMap<>(prepParams)))
                .put("top_regulon_targets", topRegulonTargets).put("fdr", fdr);
    }

    private static String text(JsonObject body, String key) {
        Object v = body.getValue(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw ApiException.badRequest("field '" + key + "' must be a string");
        }
        s = s.trim();
        if (s.length() > 200) {
            throw ApiException.badRequest("field '" + key + "' is too long");
        }
        return s.isEmpty() ? null : s;
    }

    private static long integer(JsonObject body, String key, long dflt, long min, long max) {
        Object v = body.getValue(key);
        if (v == null) {
            return dflt;
        }
        long x;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            x = ((Number) v).longValue();
        } else if (v instanceof Number n) {
            // Never round or clamp: a value a long cannot hold exactly (too large, fractional, or a float beyond
            // 2^53) is refused rather than silently turned into another one.
            BigDecimal d;
            try {
                d = new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("field '" + key + "' must be an integer, not " + n);
            }
            boolean exactFloat = !(n instanceof Double || n instanceof Float) || Math.abs(n.doubleValue()) <= 1L << 53;
            try {
                x = d.longValueExact();
            } catch (ArithmeticException e) {
                throw ApiException.badRequest("field '" + key + "' must be an integer in " + min + ".." + max
                        + ", not " + n + " (send large values as a string)");
            }
            if (!exactFloat) {
                throw ApiException.badRequest("field '" + key + "': " + n + " is not exact as a JSON number; "
                        + "send it as a string");
            }
        } else if (v instanceof String s) {
            try {
                x = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("field '" + key + "' must be an integer, not '" + s + "'");
            }
        } else {
            throw ApiException.badRequest("field '" + key + "' must be an integer");
        }
        if (x < min || x > max) {
            throw ApiException.badRequest("field '" + key + "' must be in " + min + ".." + max + ", not " + x);
        }
        return x;
    }

    private static Map<String, String> map(JsonObject body, String key) {
        Object v = body.getValue(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof JsonObject o)) {
            throw ApiException.badRequest("field '" + key + "' must be an object of name: value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : o.fieldNames()) {
            Object x = o.getValue(k);
            if (x == null || x instanceof JsonObject || x instanceof JsonArray) {
                throw ApiException.badRequest("field '" + key + "." + k + "' must be a string, number or boolean");
            }
            out.put(k, x.toString());
        }
        return out;
    }
}
