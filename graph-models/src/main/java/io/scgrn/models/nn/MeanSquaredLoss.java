package io.scgrn.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * The mean squared error {@code mean((label - prediction)^2)} as a DJL {@link Loss}: what DJL's
 * {@code Loss.l2Loss(name, 1f)} computes, without its final multiplication by the weight as a Java number. That
 * multiplication puts a tensor over a released Java buffer into the autograd graph (see
 * {@link NnSupport#constant}), so a garbage collection between forward and backward corrupted the gradients of
 * {@code sem} and {@code regdiff}.
 */
final class MeanSquaredLoss extends Loss {
    MeanSquaredLoss(String name) {
        super(name);
    }

    /**
     * @param labels      {@code (y)}, any shape with as many elements as the prediction
     * @param predictions {@code (ŷ)}
     * @return the 0-d mean of the squared differences
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray pred = predictions.singletonOrThrow();
        NDArray label = labels.singletonOrThrow().reshape(pred.getShape());
        return label.sub(pred).square().mean();
    }
}
