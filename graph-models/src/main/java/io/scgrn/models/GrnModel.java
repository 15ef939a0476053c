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
     * The network and the other rankings of the same pairs that it re-ranks, for a false-discovery estimate
     * ({@code DecoyCalibration}) that may count an edge as found by either: a model that combines its base model's
     * ranking with further evidence (the chromatin) returns the base ranking here, so that an association the base
     * ranking finds is not lost where the extra evidence, near noise for most pairs, thins the combined ranking's
     * extreme tail. Each ranking must score the same targets (decoys included) on the same data.
     *
     * @return the network of {@link #infer} and the rankings it was combined from (none by default)
     */
    default Ranked inferRanked(ExpressionMatrix data, List<String> tfs, InferenceOptions options, Progress progress) {
        return new Ranked(infer(data, tfs, options, progress), List.of());
    }

    /**
     * A network and the rankings of the same pairs it was combined from.
     *
     * @param network the model's network
     * @param parts   other rankings of the same TF → target pairs (may be empty)
     */
    record Ranked(Network network, List<Network> parts) {
        public Ranked {
            parts = List.copyOf(parts);
        }
    }

    /**
     * Checks hyper-parameters the way {@link #infer} would (unknown names, malformed values, ranges) without any
     * data, so callers can refuse a bad request before reading a dataset or queueing a job.
     *
     * @throws ModelException naming the parameter
     */
    default void checkParams(Map<String, String> params) {
    }
}
