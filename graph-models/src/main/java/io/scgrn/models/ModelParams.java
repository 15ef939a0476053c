package io.scgrn.models;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed access to {@link InferenceOptions#params()} with validation, for every model: unknown names and values
 * out of range are a {@link ModelException} naming the parameter. The static forms serve code that holds the raw
 * map.
 */
public final class ModelParams {
    private final Map<String, String> raw;

    /** @throws ModelException for a name not in {@code known} */
    public ModelParams(Map<String, String> raw, Collection<String> known) {
        check(raw, known);
        this.raw = raw;
    }

    /** @throws ModelException for a name in {@code raw} that is not in {@code known} */
    public static void check(Map<String, String> raw, Collection<String> known) {
        Set<String> unknown = new TreeSet<>(raw.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new ModelException(unknown.iterator().next(), "unknown parameter (known: "
                    + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known))) + ")");
        }
    }

    public int intValue(String name, int def, int min, int max) {
        return intValue(raw, name, def, min, max);
    }

    public double doubleValue(String name, double def, double min, double max) {
        return doubleValue(raw, name, def, min, max);
    }

    public String string(String name, String def) {
        String v = raw.get(name);
        return v == null ? def : v;
    }

    /** {@code raw[name]} as an int in min..max, or {@code def} when absent. */
    public static int intValue(Map<String, String> raw, String name, int def, int min, int max) {
        String v = raw.get(name);
        if (v == null) {
            return def;
        }
        int x;
        try {
            x = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ModelException(name, "not an integer: '" + v + "'");
        }
        if (x < min || x > max) {
            throw new ModelException(name, x + " is outside " + min + ".." + max);
        }
        return x;
    }

    /** {@code raw[name]} as a double in min..max, or {@code def} when absent. */
    public static double doubleValue(Map<String, String> raw, String name, double def, double min, double max) {
        String v = raw.get(name);
        if (v == null) {
            return def;
        }
        double x;
        try {
            x = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new ModelException(name, "not a number: '" + v + "'");
        }
        if (!(x >= min && x <= max)) {
            throw new ModelException(name, v + " is outside " + min + ".." + max);
        }
        return x;
    }

}
