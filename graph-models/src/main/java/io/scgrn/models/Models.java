package io.scgrn.models;

import io.scgrn.models.baseline.CorrelationModel;
import io.scgrn.models.baseline.GrnBoostModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The registry of GRN models by their {@code --model} name. Each lookup returns a new instance, so models may
 * keep per-run state.
 */
public final class Models {
    /** The model used when none is named. */
    public static final String DEFAULT_NAME = "crowd";

    private static final Map<String, Supplier<GrnModel>> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("pearson", CorrelationModel::pearson);
        MODELS.put("spearman", CorrelationModel::spearman);
        MODELS.put("grnboost", GrnBoostModel::new);
        MODELS.put(io.scgrn.models.nn.SemModel.NAME, io.scgrn.models.nn.SemModel::new);
        MODELS.put(io.scgrn.models.nn.GnnModel.NAME, io.scgrn.models.nn.GnnModel::new);
        MODELS.put(io.scgrn.models.nn.CrowdModel.NAME, io.scgrn.models.nn.CrowdModel::new);
    }

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

    /** Registered names in registration order. */
    public static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }
}
