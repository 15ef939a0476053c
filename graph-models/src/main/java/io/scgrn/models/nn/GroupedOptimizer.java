package io.scgrn.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;

import java.util.Set;

/**
 * Two DJL optimizers in one, chosen per parameter: {@code special} for the parameters whose ids are in
 * {@code ids}, {@code rest} for the others (PyTorch's parameter groups). DJL's {@code Optimizer} has one learning
 * rate and weight decay per instance; RegDiffusion trains its adjacency ~50× slower and with less decay than the
 * rest of the network.
 */
final class GroupedOptimizer extends Optimizer {
    private final Set<String> ids;
    private final Optimizer special;
    private final Optimizer rest;

    GroupedOptimizer(Set<String> ids, Optimizer special, Optimizer rest) {
        super(new Builder());
        this.ids = Set.copyOf(ids);
        this.special = special;
        this.rest = rest;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        (ids.contains(parameterId) ? special : rest).update(parameterId, weight, grad);
    }

    /** The base class wants a builder; its settings (rescale, clip, decay) are the delegates' business. */
    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
