package io.scgrn.models;

import java.util.List;

/**
 * A GRN inference method: from prepared expression and a list of candidate regulators to a ranked network over
 * all TF × gene pairs (self-loops excluded).
 */
public interface GrnModel {
    /** The name used on the command line ({@code --model}). */
    String name();

    /**
     * @param data    prepared expression, cells × genes
     * @param tfs     candidate regulators; those absent from {@code data} are ignored
     * @param options seed, device, hyper-parameters, prior
     * @param progress receives phases and epochs; checked for cancellation
     * @return a network of TF → target edges, best first
     */
    Network infer(ExpressionMatrix data, List<String> tfs, InferenceOptions options, Progress progress);
}
