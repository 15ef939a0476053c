package io.scgrn.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.PairList;

/**
 * The network of {@link SemModel} as a DJL block: a linear structural-equation VAE over genes ordered TFs first.
 * <pre>
 *   parameters  W [nT, g] regulation (N(0, 0.001²) initial), logVar [g] (0 initial)
 *   inputs      x [b, g] standardised expression, mask [nT, g] (0 on the TF × TF diagonal), I [nT, nT]
 *   forward     Wm = W ⊙ mask
 *               mu = x (I - W~) = x - x[:, :nT] Wm                               [b, g]
 *               z  = mu + exp(logVar / 2) ε,  ε ~ N(0, 1) from the engine's generator (training only; else z = mu)
 *               x^ = z (I - W~)^-1 = z + (z[:, :nT] (I - Wm[:, :nT])^-1) Wm   [b, g]
 *   outputs     x^ [b, g], KL = mean KL(N(mu, e^logVar) || N(0, 1)) [], L1 = Σ|Wm| []
 * </pre>
 * The mask and identity are inputs rather than parameters: they are constants the optimiser must not touch.
 */
final class SemNetwork extends AbstractBlock {
    private static final byte VERSION = 1;
    private final int nT;
    private final int g;
    private final Parameter w;
    private final Parameter logVar;

    SemNetwork(int nT, int g) {
        super(VERSION);
        this.nT = nT;
        this.g = g;
        w = addParameter(Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(nT, g)).optInitializer(new NormalInitializer(1e-3f)).build());
        logVar = addParameter(Parameter.builder().setName("logVar").setType(Parameter.Type.OTHER)
                .optShape(new Shape(g)).optInitializer(new ConstantInitializer(0)).build());
    }

    /** Input shapes {@code (x [b, g], mask [nT, g], I [nT, nT])}. */
    Shape[] inputShapes(long b) {
        return new Shape[] {new Shape(b, g), new Shape(nT, g), new Shape(nT, nT)};
    }

    /** The masked regulation matrix {@code W ⊙ mask} [nT, g]. */
    NDArray maskedWeights(NDArray mask) {
        return w.getArray().mul(mask);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray wm = store.getValue(w, x.getDevice(), training).mul(inputs.get(1));
        NDArray lv = store.getValue(logVar, x.getDevice(), training);
        NDArray mu = SemModel.encode(x, wm, nT);
        NDArray z = mu;
        if (training) {
            NDArray eps = x.getManager().randomNormal(x.getShape());
            z = mu.add(lv.mul(NnSupport.constant(lv, 0.5f)).exp().mul(eps));
        }
        NDArray xHat = SemModel.decode(z, wm, nT, inputs.get(2));
        NDArray kl = mu.square().add(lv.exp()).sub(lv).sub(1).mul(NnSupport.constant(lv, 0.5f)).mean();
        return new NDList(xHat, kl, wm.abs().sum());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], new Shape(), new Shape()};
    }

    /**
     * The objective: the mean squared error of the reconstruction ({@link MeanSquaredLoss}) + β KL + a L1, with
     * labels {@code (x)} and the block's outputs as predictions.
     */
    static final class Objective extends Loss {
        private final Loss reconstruction = new MeanSquaredLoss("reconstruction");
        private final float beta;
        private final float l1;

        /**
         * @param beta KL weight
         * @param l1   weight of Σ|W| (alpha / g in {@link SemModel})
         */
        Objective(float beta, float l1) {
            super("sem");
            this.beta = beta;
            this.l1 = l1;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray rec = reconstruction.evaluate(labels, new NDList(predictions.get(0)));
            NDArray kl = predictions.get(1);
            NDArray sumAbs = predictions.get(2);
            return rec.add(kl.mul(NnSupport.constant(kl, beta))).add(sumAbs.mul(NnSupport.constant(sumAbs, l1)));
        }
    }
}
