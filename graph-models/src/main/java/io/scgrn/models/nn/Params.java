package io.scgrn.models.nn;

import io.scgrn.models.ModelException;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed access to {@link io.scgrn.models.InferenceOptions#params()} with validation: unknown names and values out
 * of range are a {@link ModelException} naming the parameter.
 */
final class Params {
    private final Map<String, String> raw;

    Params(Map<String, String> raw, Set<String> known) {
        this.raw = raw;
        Set<String> unknown = new TreeSet<>(raw.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new ModelException(unknown.iterator().next(), "unknown parameter (known: "
                    + String.join(", ", new TreeSet<>(known)) + ")");
        }
    }

    int intValue(String name, int def, int min, int max) {
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

    double doubleValue(String name, double def, double min, double max) {
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

    String string(String name, String def) {
        String v = raw.get(name);
        return v == null ? def : v;
    }
}
