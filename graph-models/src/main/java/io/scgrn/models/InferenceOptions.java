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
 * @param decoySources for each q-value decoy column of the data a model is given (named with
 *               {@code io.scgrn.models.calibration.DecoyCalibration#DECOY_PREFIX}), the real gene it is a
 *               cell-permuted copy of; empty when the data hold no decoys. Set by {@code DecoyCalibration}; a model
 *               that uses per-gene side information (the ATAC prior) gives a decoy its source's, so that side
 *               information is not counted as discovery.
 */
public record InferenceOptions(long seed, String device, Map<String, String> params, List<Edge> prior,
                               int[] cellStates, Map<String, String> decoySources) {
    public InferenceOptions {
        params = Map.copyOf(params);
        prior = List.copyOf(prior);
        decoySources = Map.copyOf(decoySources);
    }

    /** Options without outside cell states or decoys. */
    public InferenceOptions(long seed, String device, Map<String, String> params, List<Edge> prior) {
        this(seed, device, params, prior, null, Map.of());
    }

    /** These options with another prior (everything else kept). */
    public InferenceOptions withPrior(List<Edge> newPrior) {
        return new InferenceOptions(seed, device, params, newPrior, cellStates, decoySources);
    }

    /** These options with other model parameters (everything else kept). */
    public InferenceOptions withParams(Map<String, String> newParams) {
        return new InferenceOptions(seed, device, newParams, prior, cellStates, decoySources);
    }

    /** These options with outside cell states ({@code null}: none; everything else kept). */
    public InferenceOptions withCellStates(int[] states) {
        return new InferenceOptions(seed, device, params, prior, states, decoySources);
    }

    /** These options with the decoy columns' source genes (everything else kept). */
    public InferenceOptions withDecoySources(Map<String, String> sources) {
        return new InferenceOptions(seed, device, params, prior, cellStates, sources);
    }

    public static InferenceOptions defaults() {
        return new InferenceOptions(0L, "auto", Map.of(), List.of());
    }
}
