package io.scgrn.models;

import java.util.List;
import java.util.Map;

/**
 * Options shared by every model.
 *
 * @param seed   random seed; the same seed, data and device give the same network
 * @param device "auto", "cpu" or "gpu"
 * @param params model-specific hyper-parameters by name (epochs, lr, ensemble, …); unknown names are an error
 * @param prior  optional prior TF → target edges (from ATAC or a user file), possibly empty; score is the prior
 *               confidence in 0..1
 */
public record InferenceOptions(long seed, String device, Map<String, String> params, List<Edge> prior) {
    public InferenceOptions {
        params = Map.copyOf(params);
        prior = List.copyOf(prior);
    }

    public static InferenceOptions defaults() {
        return new InferenceOptions(0L, "auto", Map.of(), List.of());
    }
}
