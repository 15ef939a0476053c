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
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import io.scgrn.models.ModelException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The trainable part of {@link GnnModel}, a DJL block: a two-layer graph convolution over genes
 * ({@link GcnLayer}) with a skip connection, and a directed bilinear decoder.
 * <pre>
 *   H1 = relu(Â H0 W1)        Â [g, g], H0 [g, f], W1 [f, h]  → [g, h]      gcn1
 *   E  = Â H1 W2 + H0 W0      W2 [h, d], W0 [f, d]             → [g, d]      gcn2 + skip (the decoder also sees
 *                                                                             each gene's own profile)
 *   logit(i → j) = (E_i Ws) · (E_j Wt)    Ws, Wt [d, d]: separate regulator and target roles give direction
 * </pre>
 * Block inputs {@code (Â, H0, src [m], dst [m])} (indices int32), output {@code logits [m]}; the skip and the
 * decoder matrices are {@link Linear} layers without bias. Weights are Xavier (Glorot) uniform from DJL's
 * {@link XavierInitializer}. The block's
 * parameters are saved and loaded with DJL's parameter encoding ({@link #save}/{@link #load}).
 */
final class GnnEncoder extends AbstractBlock {
    private static final byte VERSION = 1;
    /** File header: "SGNE" then the two widths the children need before their parameters can be read. */
    private static final int MAGIC = 0x53474e45;
    private final int hidden;
    private final int dim;
    private final GcnLayer gcn1;
    private final GcnLayer gcn2;
    private final Linear skip;
    private final Linear source;
    private final Linear target;

    /**
     * An uninitialised encoder; {@link #init} or {@link #initialize} sets the weights.
     *
     * @param hidden width of the first graph convolution
     * @param dim    embedding width
     */
    GnnEncoder(int hidden, int dim) {
        super(VERSION);
        this.hidden = hidden;
        this.dim = dim;
        gcn1 = addChildBlock("gcn1", new GcnLayer(hidden));
        gcn2 = addChildBlock("gcn2", new GcnLayer(dim));
        skip = addChildBlock("skip", Linear.builder().setUnits(dim).optBias(false).build());
        source = addChildBlock("source", Linear.builder().setUnits(dim).optBias(false).build());
        target = addChildBlock("target", Linear.builder().setUnits(dim).optBias(false).build());
        // Glorot uniform, U(±sqrt(6 / (in + out))): DJL's default magnitude 6 with the AVG factor is √2 wider.
        setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                XavierInitializer.FactorType.AVG, 3), Parameter.Type.WEIGHT);
    }

    /**
     * A new encoder with Xavier-uniform weights in {@code manager}. The weights are drawn from the engine's
     * generator seeded from {@code rnd} (see {@link NnSupport#withEngineSeed}), so the run's seed fixes the start.
     */
    static GnnEncoder init(NDManager manager, int features, int hidden, int dim, Random rnd) {
        GnnEncoder enc = new GnnEncoder(hidden, dim);
        NnSupport.withEngineSeed(rnd.nextLong(), () -> enc.initialize(manager, DataType.FLOAT32,
                inputShapes(-1, features, -1)));
        return enc;
    }

    /** Input shapes {@code (Â [g, g], H0 [g, f], src [m], dst [m])}; -1 where a size is not known yet. */
    static Shape[] inputShapes(long g, long features, long m) {
        return new Shape[] {new Shape(g, g), new Shape(g, features), new Shape(m), new Shape(m)};
    }

    /** The weight arrays (gcn1, gcn2, skip, source, target), for inspection and tests. */
    List<NDArray> parameters() {
        List<NDArray> out = new ArrayList<>();
        getParameters().forEach(p -> out.add(p.getValue().getArray()));
        return out;
    }

    /** One graph convolution {@code Â H W} (no activation); see {@link GcnLayer}. */
    static NDArray propagate(NDArray adjNorm, NDArray h, NDArray w) {
        return GcnLayer.propagate(adjNorm, h, w);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray e = embed(store, inputs.get(0), inputs.get(1), training);
        return new NDList(logits(store, e, inputs.get(2), inputs.get(3), training));
    }

    private NDArray embed(ParameterStore store, NDArray adjNorm, NDArray h0, boolean training) {
        NDArray h1 = Activation.relu(gcn1.forward(store, new NDList(adjNorm, h0), training).singletonOrThrow());
        NDArray e = gcn2.forward(store, new NDList(adjNorm, h1), training).singletonOrThrow();
        return e.add(skip.forward(store, new NDList(h0), training).singletonOrThrow());
    }

    private NDArray logits(ParameterStore store, NDArray e, NDArray src, NDArray dst, boolean training) {
        NDArray s = source.forward(store, new NDList(e.get(src)), training).singletonOrThrow();
        NDArray t = target.forward(store, new NDList(e.get(dst)), training).singletonOrThrow();
        return s.mul(t).sum(new int[] {1});
    }

    /** Parameters as they are, on the device of {@code like}: the store for scoring outside a trainer. */
    private static ParameterStore store(NDArray like) {
        return new ParameterStore(like.getManager(), false);
    }

    /**
     * @param adjNorm [g, g] normalised adjacency
     * @param h0      [g, f] node features
     * @return embeddings [g, d]
     */
    NDArray embed(NDArray adjNorm, NDArray h0) {
        return embed(store(h0), adjNorm, h0, false);
    }

    /**
     * @param e   [g, d] embeddings
     * @param src [m] regulator indices (int32)
     * @param dst [m] target indices (int32)
     * @return [m] logits
     */
    NDArray logits(NDArray e, NDArray src, NDArray dst) {
        return logits(store(e), e, src, dst, false);
    }

    /** All regulator → gene logits: [nT, g] for regulator rows {@code tfs} (int32 [nT]). */
    NDArray allLogits(NDArray e, NDArray tfs) {
        ParameterStore store = store(e);
        NDArray s = source.forward(store, new NDList(e.get(tfs)), false).singletonOrThrow();
        NDArray t = target.forward(store, new NDList(e), false).singletonOrThrow();
        return s.matMul(t.transpose());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[2]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape adj = inputShapes[0];
        Shape h0 = inputShapes[1];
        long g = h0.get(0);
        gcn1.initialize(manager, dataType, adj, h0);
        gcn2.initialize(manager, dataType, adj, new Shape(g, hidden));
        skip.initialize(manager, dataType, h0);
        source.initialize(manager, dataType, new Shape(g, dim));
        target.initialize(manager, dataType, new Shape(g, dim));
    }

    /** Writes the widths and then DJL's encoding of every parameter ({@link #saveParameters}). */
    void save(Path file) {
        try (DataOutputStream os = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            os.writeInt(MAGIC);
            os.writeInt(hidden);
            os.writeInt(dim);
            saveParameters(os);
        } catch (IOException e) {
            throw new ModelException(file.toString(), "cannot write weights: " + e.getMessage(), e);
        }
    }

    /** Reads a file written by {@link #save}; the weights become arrays of {@code manager}. */
    static GnnEncoder load(NDManager manager, Path file) {
        try (DataInputStream is = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (is.readInt() != MAGIC) {
                throw new ModelException(file.toString(), "not a gnn encoder weight file");
            }
            GnnEncoder enc = new GnnEncoder(is.readInt(), is.readInt());
            enc.loadParameters(manager, is);
            return enc;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            if (e instanceof ModelException m) {
                throw m;
            }
            throw new ModelException(file.toString(), "cannot read weights: " + e.getMessage(), e);
        }
    }
}
