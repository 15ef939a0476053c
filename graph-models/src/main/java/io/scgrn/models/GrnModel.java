package io.scgrn.models;

import java.util.List;
import java.util.Map;

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

    /**
     * Checks hyper-parameters the way {@link #infer} would (unknown names, malformed values, ranges) without any
     * data, so callers can refuse a bad request before reading a dataset or queueing a job.
     *
     * @throws ModelException naming the parameter
     */
    default void checkParams(Map<String, String> params) {
    }
}
