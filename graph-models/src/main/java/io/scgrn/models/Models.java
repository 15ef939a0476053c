package io.scgrn.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * The registry of GRN models by their {@code --model} name, filled from the {@link ModelProvider}s that
 * {@link ServiceLoader} finds (so this package names no implementation). Each lookup returns a new instance, so
 * models may keep per-run state.
 */
public final class Models {
    /** The model used when none is named. */
    public static final String DEFAULT_NAME = "crowd";

    private static final Map<String, Supplier<GrnModel>> MODELS = discover();

    private Models() {
    }

    /**
     * The model called {@code name}; null or "default" gives {@link #DEFAULT_NAME}.
     *
     * @throws ModelException (field "model") for an unknown name, listing the known ones
     */
    public static GrnModel byName(String name) {
        String n = name == null || name.equals("default") ? DEFAULT_NAME : name;
        Supplier<GrnModel> s = MODELS.get(n);
        if (s == null) {
            throw new ModelException("model", "unknown model '" + name + "'; available: "
                    + String.join(", ", names()));
        }
        return s.get();
    }

    private static Map<String, Supplier<GrnModel>> discover() {
        Map<String, Supplier<GrnModel>> m = new LinkedHashMap<>();
        for (ModelProvider p : ServiceLoader.load(ModelProvider.class, Models.class.getClassLoader())) {
            p.models().forEach((name, factory) -> {
                if (m.putIfAbsent(name, factory) != null) {
                    throw new IllegalStateException("model name '" + name + "' registered twice (again by "
                            + p.getClass().getName() + ")");
                }
            });
        }
        return m;
    }

    /** Registered names in registration order. */
    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }
}
