package io.scgrn.models.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.PairList;
import io.scgrn.models.ModelException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The denoising network of {@link RegDiffusionModel} as a DJL block, after RegDiffusion (Zhu &amp; Slonim 2024):
 * a per-gene MLP (shared over genes, with a learned gene embedding and the diffusion time) whose per-gene output is
 * mixed across genes by {@code I - A}, the regulation matrix. Genes are ordered with the {@code r} candidate
 * regulators first ({@code r} = the TFs, or all genes).
 * <pre>
 *   parameters  A [r, g] regulation (constant init c / (g - 1)), E [g, d - 1] gene embedding (N(0, 1) init),
 *               time Linear(tDim → tDim), per block k = 1, 2: l1 (d → d-1), tk (tDim → d-1), l2 (d-1 → d-1),
 *               final Linear(d - 1 → 1, no bias) and its bias [1]
 *   inputs      xt [b, g] noisy expression, temb [b, tDim] sinusoidal embedding of the step, mask [r, g]
 *               (0 on self-loops)
 *   forward     h  = tanh([xt, E])                                               [b, g, d]
 *               ht = tanh(time(temb))                                            [b, tDim]
 *               block k: h = tanh(l2(dropout(tanh(l1(h))) + tanh(tk(ht))))      [b, g, d - 1]
 *                        (block 2 first appends xt to h as one more feature)
 *               A~ = soft(A, τ) ⊙ mask ⊙ dropout mask (rate p, scaled 1 / (1 - p); training only),
 *                    soft(a, τ) = sign(a) max(|a| - τ, 0), τ = 1 / (2 (g - 1))
 *               ε^ = u (I - A~) + bias = u - u[:, :r] A~ + bias,  u = final(h)   [b, g]
 *   outputs     ε^ [b, g], mean(soft(A, τ) ⊙ mask) []
 * </pre>
 * RegDiffusion mixes the d - 1 hidden features by {@code I - A} and then applies the final linear layer; both are
 * linear, so applying the layer first gives the same ε^ with d - 1 times fewer multiply-adds in the g × r product
 * (which would otherwise be most of the cost; with it, the per-gene MLP on [b, g, d] is).
 */
final class RegDiffusionNetwork extends AbstractBlock {
    private static final byte VERSION = 1;
    /** File header "SGRD", then the sizes the block needs before its parameters can be read. */
    private static final int MAGIC = 0x53475244;
    private final int r;
    private final int g;
    private final int d;
    private final int tDim;
    private final float adjDropout;
    private final Parameter adj;
    private final Parameter geneEmb;
    private final Linear time;
    private final Linear l1a;
    private final Linear t1;
    private final Linear l2a;
    private final Linear l1b;
    private final Linear t2;
    private final Linear l2b;
    private final Linear out;
    private final Parameter bias;
    private final Dropout dropout;

    /**
     * @param r          regulator rows of A (the first r genes)
     * @param g          genes
     * @param d          width of the gene features (RegDiffusion's hidden dim, 16)
     * @param tDim       width of the time embedding (64)
     * @param initCoef   A starts at initCoef / (g - 1) everywhere (5)
     * @param adjDropout share of A's entries dropped per training step (0.3)
     */
    RegDiffusionNetwork(int r, int g, int d, int tDim, float initCoef, float adjDropout) {
        this(r, g, d, tDim, initCoef, adjDropout, false);
    }

    /**
     * @param torchInit the linear layers start as PyTorch's {@code nn.Linear} (RegDiffusion's): weight and bias
     *                  U(-1/sqrt(fan_in), 1/sqrt(fan_in)); false: DJL's defaults (weight N(0, 2 / fan_in), bias
     *                  0), about 2.4 times wider weights
     */
    RegDiffusionNetwork(int r, int g, int d, int tDim, float initCoef, float adjDropout, boolean torchInit) {
        super(VERSION);
        this.r = r;
        this.g = g;
        this.d = d;
        this.tDim = tDim;
        this.adjDropout = adjDropout;
        adj = addParameter(Parameter.builder().setName("adj").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(r, g)).optInitializer(new ConstantInitializer(initCoef * norm())).build());
        geneEmb = addParameter(Parameter.builder().setName("geneEmb").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(g, d - 1)).optInitializer(new NormalInitializer(1f)).build());
        time = addChildBlock("time", Linear.builder().setUnits(tDim).build());
        l1a = addChildBlock("l1a", Linear.builder().setUnits(d - 1).build());
        t1 = addChildBlock("t1", Linear.builder().setUnits(d - 1).build());
        l2a = addChildBlock("l2a", Linear.builder().setUnits(d - 1).build());
        l1b = addChildBlock("l1b", Linear.builder().setUnits(d - 1).build());
        t2 = addChildBlock("t2", Linear.builder().setUnits(d - 1).build());
        l2b = addChildBlock("l2b", Linear.builder().setUnits(d - 1).build());
        out = addChildBlock("out", Linear.builder().setUnits(1).optBias(false).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(1)).optInitializer(new ConstantInitializer(0)).build());
        dropout = addChildBlock("dropout", Dropout.builder().optRate(0.1f).build());
        if (torchInit) {
            torchInit(time, tDim);
            torchInit(l1a, d);
            torchInit(t1, tDim);
            torchInit(l2a, d - 1);
            torchInit(l1b, d);
            torchInit(t2, tDim);
            torchInit(l2b, d - 1);
            torchInit(out, d - 1);
        }
    }

    /** PyTorch's nn.Linear reset: kaiming_uniform(a = sqrt 5) = U(±1/sqrt(fan_in)) for weight and bias alike. */
    private static void torchInit(Linear layer, int fanIn) {
        UniformInitializer u = new UniformInitializer((float) (1 / Math.sqrt(fanIn)));
        layer.setInitializer(u, Parameter.Type.WEIGHT);
        layer.setInitializer(u, Parameter.Type.BIAS);
    }

    /** RegDiffusion's "gene regulation norm" 1 / (g - 1): the scale of one regulator's weight. */
    float norm() {
        return 1f / (g - 1);
    }

    /** Input shapes {@code (xt [b, g], temb [b, tDim], mask [r, g])}. */
    Shape[] inputShapes(long b) {
        return new Shape[] {new Shape(b, g), new Shape(b, tDim), new Shape(r, g)};
    }

    /** The adjacency parameter (its own learning rate and weight decay in {@link RegDiffusionModel}). */
    Parameter adjacency() {
        return adj;
    }

    private NDArray soft(NDArray a) {
        NDArray shrunk = a.abs().sub(norm() / 2);
        return a.sign().mul(shrunk.maximum(NnSupport.constant(shrunk, 0f)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        time.initialize(manager, dataType, new Shape(b, tDim));
        l1a.initialize(manager, dataType, new Shape(b, g, d));
        t1.initialize(manager, dataType, new Shape(b, tDim));
        l2a.initialize(manager, dataType, new Shape(b, g, d - 1));
        l1b.initialize(manager, dataType, new Shape(b, g, d));
        t2.initialize(manager, dataType, new Shape(b, tDim));
        l2b.initialize(manager, dataType, new Shape(b, g, d - 1));
        out.initialize(manager, dataType, new Shape(b, g, d - 1));
        dropout.initialize(manager, dataType, new Shape(b, g, d - 1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray xt = inputs.get(0);
        NDArray temb = inputs.get(1);
        NDArray mask = inputs.get(2);
        long b = xt.getShape().get(0);
        NDArray a = store.getValue(adj, xt.getDevice(), training);
        NDArray e = store.getValue(geneEmb, xt.getDevice(), training);
        NDArray x3 = xt.expandDims(2);
        NDArray h = x3.concat(e.expandDims(0).broadcast(new Shape(b, g, d - 1)), 2).tanh();
        NDArray ht = one(time, store, temb, training).tanh();
        h = block(store, h, ht, l1a, t1, l2a, training);
        h = block(store, x3.concat(h, 2), ht, l1b, t2, l2b, training);
        NDArray u = one(out, store, h, training).squeeze(2);
        NDArray clean = soft(a).mul(mask);
        NDArray mixing = clean;
        if (training && adjDropout > 0) {
            NDArray keep = a.getManager().randomUniform(0f, 1f, a.getShape()).gt(adjDropout)
                    .toType(DataType.FLOAT32, false);
            mixing = clean.mul(keep).div(NnSupport.constant(clean, 1 - adjDropout));
        }
        NDArray eps = u.sub(u.get(":, 0:" + r).matMul(mixing)).add(store.getValue(bias, xt.getDevice(), training));
        return new NDList(eps, clean.mean());
    }

    private NDArray block(ParameterStore store, NDArray h, NDArray ht, Linear l1, Linear tl, Linear l2,
                          boolean training) {
        NDArray z = one(l1, store, h, training).tanh();
        z = dropout.forward(store, new NDList(z), training).singletonOrThrow();
        z = z.add(one(tl, store, ht, training).tanh().expandDims(1));
        return one(l2, store, z, training).tanh();
    }

    private static NDArray one(Linear layer, ParameterStore store, NDArray x, boolean training) {
        return layer.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], new Shape()};
    }

    /** Writes the sizes and then DJL's encoding of every parameter ({@link #saveParameters}). */
    void save(Path file) {
        try (DataOutputStream os = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            os.writeInt(MAGIC);
            os.writeInt(r);
            os.writeInt(g);
            os.writeInt(d);
            os.writeInt(tDim);
            os.writeFloat(adjDropout);
            saveParameters(os);
        } catch (IOException e) {
            throw new ModelException(file.toString(), "cannot write weights: " + e.getMessage(), e);
        }
    }

    /** Reads a file written by {@link #save}; the weights become arrays of {@code manager}. */
    static RegDiffusionNetwork load(NDManager manager, Path file) {
        try (DataInputStream is = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (is.readInt() != MAGIC) {
                throw new ModelException(file.toString(), "not a regdiff weight file");
            }
            RegDiffusionNetwork net = new RegDiffusionNetwork(is.readInt(), is.readInt(), is.readInt(),
                    is.readInt(), 0, is.readFloat());
            net.loadParameters(manager, is);
            return net;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            if (e instanceof ModelException m) {
                throw m;
            }
            throw new ModelException(file.toString(), "cannot read weights: " + e.getMessage(), e);
        }
    }

    /**
     * The objective: the mean squared error ({@link MeanSquaredLoss}) between the drawn noise (label) and ε^, plus
     * {@code sparse} × mean(soft(A) ⊙ mask), RegDiffusion's sparsity term (signed mean, as in its trainer; it
     * adds the term from step 11 on, this objective from the first step).
     */
    static final class Objective extends Loss {
        private final Loss denoising = new MeanSquaredLoss("denoising");
        private final float sparse;

        Objective(float sparse) {
            super("regdiff");
            this.sparse = sparse;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray mse = denoising.evaluate(labels, new NDList(predictions.get(0)));
            NDArray density = predictions.get(1);
            return mse.add(density.mul(NnSupport.constant(density, sparse)));
        }
    }
}
