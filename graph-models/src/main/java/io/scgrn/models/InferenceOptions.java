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
 * @param cellStates optional cell state (0..k−1) of each cell, in the order of the data's rows, found outside the
 *               expression (e.g. from chromatin: {@code io.scgrn.models.atac.CellStates}); null when none. Models with
 *               a within-state term (crowd's {@code within}) use these states instead of clustering the expression;
 *               others ignore them. Not copied: the caller must not change the array.
 */
public record InferenceOptions(long seed, String device, Map<String, String> params, List<Edge> prior,
                               int[] cellStates) {
    public InferenceOptions {
        params = Map.copyOf(params);
        prior = List.copyOf(prior);
    }

    /** Options without outside cell states. */
    public InferenceOptions(long seed, String device, Map<String, String> params, List<Edge> prior) {
        this(seed, device, params, prior, null);
    }

    /** These options with another prior (the cell states kept). */
    public InferenceOptions withPrior(List<Edge> newPrior) {
        return new InferenceOptions(seed, device, params, newPrior, cellStates);
    }

    /** These options with other model parameters (the prior and cell states kept). */
    public InferenceOptions withParams(Map<String, String> newParams) {
        return new InferenceOptions(seed, device, newParams, prior, cellStates);
    }

    /** These options with outside cell states ({@code null}: none). */
    public InferenceOptions withCellStates(int[] states) {
        return new InferenceOptions(seed, device, params, prior, states);
    }

    public static InferenceOptions defaults() {
        return new InferenceOptions(0L, "auto", Map.of(), List.of());
    }
}
