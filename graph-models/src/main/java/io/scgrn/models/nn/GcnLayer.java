package io.scgrn.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One graph convolution (Kipf &amp; Welling 2017) as a DJL block: {@code Â H W}, no bias, no activation. DJL has
 * no graph layers and the engine-neutral API no scatter-add, so message passing is a matrix product with the
 * normalised adjacency (sparse COO in training, {@link MaskedGraph}; dense when scoring), which is given as an input
 * (it changes per epoch when edges are masked) rather than held as a parameter.
 * <pre>
 *   inputs  Â [g, g] normalised adjacency, H [g, in] node features
 *   weight  W [in, units]
 *   output  Â (H W) [g, units]      (H W first: g·in·units + g²·units instead of g²·in + g·in·units)
 * </pre>
 * The weight takes the block's initializer for {@link Parameter.Type#WEIGHT}.
 */
final class GcnLayer extends AbstractBlock {
    private static final byte VERSION = 1;
    private final int units;
    private final Parameter weight;

    /** @param units output features per node */
    GcnLayer(int units) {
        super(VERSION);
        this.units = units;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
    }

    /** {@code Â H W} on plain arrays: the layer's arithmetic, shared with {@link #forwardInternal}. */
    static NDArray propagate(NDArray adjNorm, NDArray h, NDArray w) {
        return adjNorm.matMul(h.matMul(w));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray h = inputs.get(1);
        return new NDList(propagate(inputs.get(0), h, store.getValue(weight, h.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[1].get(0), units)};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(inputShapes[1].get(1), units));
    }
}
