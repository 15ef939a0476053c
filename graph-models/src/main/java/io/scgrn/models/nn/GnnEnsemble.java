package io.scgrn.models.nn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.PairList;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelInputs;
import io.scgrn.models.Progress;

import io.scgrn.models.numerics.EngineThreads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * K runs of {@link GnnModel}'s masked-edge auto-encoder (the learned term of {@code crowd -p learned-runs=K})
 * trained as ONE DJL block: every weight has a leading run axis, one forward/backward pass and one Adam step per
 * epoch update all K, and what the runs share — the rank-standardised data, the correlation, the partial
 * correlation and the candidate graph — is computed once.
 *
 * <p>Run k is {@link GnnModel#infer} with seed {@code seed + k}: its own {@code java.util.Random(seed + k)} draws,
 * in the same order, its feature projection, its initial weights (the {@link GnnEncoder} that run would build,
 * copied into slice k), its dropout-augmentation seed and its masking plan (which edges each epoch hides, which
 * random pairs are negatives); the loss is the sum of the K runs' mean binary cross-entropies, so slice k's gradient
 * is run k's gradient and DJL's Adam (element-wise) moves slice k as it would move run k. What differs is the
 * arithmetic of message passing: {@code Â H = D^-1/2 (A + I − M) D^-1/2 H} is computed for all runs at once as the
 * shared graph's product minus the rows each run's hidden edges would carry ({@link #propagate}), instead of a dense
 * g × g product per run. Same function, other float rounding: slice k's logits equal run k's up to rounding that
 * 150 epochs of training amplify a little (GnnEnsembleTest states the tolerance); a slice does not depend on the
 * other slices of its batch (no operation mixes runs), so slice k of a batch seeded s equals slice 0 of a batch
 * seeded s + k, bit for bit.
 *
 * <p>The one sparse array, {@code A + I}, is made on the device from its entry list ({@link MaskedGraph}), so its
 * memory is the engine's: DJL's {@code createCoo} (with which the first version of this class built a
 * block-diagonal adjacency and per-epoch sparse hidden edges) aliases Java buffers that a garbage collection can free
 * before any copy. Cost: on 1,896 genes the K − 1 extra runs cost 11–23 % less CPU than separate trainings, on 948
 * genes more (the gathers' scatter-add backward passes); docs/benchmarks.md, "GRN accuracy: round 8, batched learned
 * ensemble (helper a9h)".
 *
 * <pre>
 *   K runs, g genes, N = K·g nodes (run k's gene i is node k·g + i), Hn = K·2·nMask hidden directed edges,
 *   m = 4·nMask scored pairs per run, M = K·m
 *   X   [K, g, f]   node features (each run's projection; re-projected per epoch under dropout augmentation)
 *   H1  = relu(Â (X W1))          W1 [K, f, h]   → [N, h]
 *   E   = Â (H1 W2) + X W0        W2 [K, h, d], W0 [K, f, d]   → [N, d]
 *   logit(i → j) = (E_i Ws) · (E_j Wt)    Ws, Wt [K, d, d]   (per run; i, j nodes of the same run)
 * </pre>
 * Block inputs {@code (S [g, g] sparse, hidden src [Hn], start [Hn], end [Hn], pos [N], d [N, 1], X [K, g, f],
 * src [M], dst [M])} (indices int64), output {@code logits [K, m]}. Everything is uploaded once (the graph, the
 * features, the masking plan — hidden edges and d — in chunks of at most {@link NnSupport#REPORT_EVERY} epochs) and
 * stays on the device; the loss is read every {@link NnSupport#REPORT_EVERY} epochs.
 */
final class GnnEnsemble extends AbstractBlock {
    private static final byte VERSION = 1;
    private final int runs;
    private final Parameter w1;
    private final Parameter w2;
    private final Parameter w0;
    private final Parameter ws;
    private final Parameter wt;

    /**
     * @param start run k's initial weights: the five arrays of {@link GnnEncoder#parameters} (gcn1 [f, h], gcn2
     *              [h, d], skip [d, f], source [d, d], target [d, d]), Linear weights stored [out, in] there and
     *              transposed here
     */
    private GnnEnsemble(List<List<float[]>> start, int f, int h, int d) {
        super(VERSION);
        runs = start.size();
        w1 = weight("w1", stack(start, 0, f, h, false), f, h);
        w2 = weight("w2", stack(start, 1, h, d, false), h, d);
        w0 = weight("w0", stack(start, 2, f, d, true), f, d);
        ws = weight("ws", stack(start, 3, d, d, true), d, d);
        wt = weight("wt", stack(start, 4, d, d, true), d, d);
    }

    private Parameter weight(String name, float[] values, int in, int out) {
        Shape shape = new Shape(runs, in, out);
        return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer(new Preset(values, shape)).build());
    }

    /** Slices [in, out] of every run, row-major, from [in, out] arrays (or [out, in] ones when {@code t}). */
    private static float[] stack(List<List<float[]>> start, int which, int in, int out, boolean t) {
        float[] s = new float[start.size() * in * out];
        for (int k = 0; k < start.size(); k++) {
            float[] w = start.get(k).get(which);
            int o = k * in * out;
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < out; j++) {
                    s[o + i * out + j] = t ? w[j * in + i] : w[i * out + j];
                }
            }
        }
        return s;
    }

    /** A DJL initializer that gives a parameter the values it was built with (each run's own start). */
    private record Preset(float[] values, Shape shape) implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape s, DataType dataType) {
            if (!s.equals(shape)) {
                throw new IllegalStateException("parameter shape " + s + ", preset " + shape);
            }
            return manager.create(values, shape).toType(dataType, false);
        }
    }

    /**
     * The normalised propagation {@code D^-1/2 (A + I − M_k) D^-1/2 H} of every run at once:
     * {@code d ⊙ (S (d ⊙ H) − M (d ⊙ H))}. {@code S = A + I} is the graph all runs share, one sparse product on the
     * gene-major {@code [g, K·c]} layout; {@code M (d ⊙ H)}, the rows each run's hidden edges would have carried, is
     * a segment sum over the epoch's hidden edges sorted by destination (gather their sources' rows, prefix sums,
     * differences at the segment ends, each node gathering its segment's row or a zero row) — gathers
     * only, whose backward passes are scatter-adds.
     *
     * @param s      [g, g] sparse A + I
     * @param hidden the epoch's hidden edges ({@code src, start, end, pos}; see {@link #hiddenSums}), or null for
     *               the full graph
     * @param d      [K·g, 1] D^-1/2 of A + I − M, run-major (node k·g + i)
     * @param h      [K·g, c] run-major
     * @return [K·g, c]
     */
    static NDArray propagate(NDArray s, NDArray[] hidden, NDArray d, NDArray h, int runs) {
        NDArray y = h.mul(d);
        long n = h.getShape().get(0);
        long g = n / runs;
        long c = h.getShape().get(1);
        NDArray yg = y.reshape(runs, g, c).transpose(1, 0, 2).reshape(g, runs * c);
        NDArray out = s.matMul(yg).reshape(g, runs, c).transpose(1, 0, 2).reshape(n, c);
        if (hidden != null) {
            out = out.sub(hiddenSums(y, hidden[0], hidden[1], hidden[2], hidden[3], runs));
        }
        return out.mul(d);
    }

    /**
     * Per destination node, the sum of {@code y}'s rows at the sources of its hidden edges.
     *
     * @param y     [N, c]
     * @param src   int64 [Hn] source nodes of the hidden edges, sorted by destination
     * @param start int64 [Hn] per segment (a destination), the index of its first edge in the run's prefix sums,
     *              each run's padded with a leading zero row and the runs' stacked; padding entries 0
     * @param end   int64 [Hn] per segment, the index after its last edge in the same; padding entries 0
     * @param pos   int64 [N] per node, its segment, or Hn (a zero row) when it has no hidden edge
     * @return [N, c]
     */
    static NDArray hiddenSums(NDArray y, NDArray src, NDArray start, NDArray end, NDArray pos, int runs) {
        long c = y.getShape().get(1);
        long per = src.getShape().get(0) / runs;
        NDManager m = y.getManager();
        // prefix sums per run (no run's rounding depends on another's; DJL's toType leaves the autograd graph, so
        // they stay in the data type), each run's padded with a leading zero row: [K·(per + 1), c]
        NDArray cs = rows(y, src).reshape(runs, per, c).cumSum(1);
        NDArray pad = m.zeros(new Shape(runs, 1, c), y.getDataType()).concat(cs, 1).reshape(-1, c);
        NDArray seg = rows(pad, end).sub(rows(pad, start));
        return rows(seg.concat(m.zeros(new Shape(1, c), y.getDataType()), 0), pos);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList in, boolean training,
                                     PairList<String, Object> params) {
        NDArray[] hidden = {in.get(1), in.get(2), in.get(3), in.get(4)};
        NDArray e = embed(store, in.get(0), hidden, in.get(5), in.get(6), training);
        Device dev = e.getDevice();
        long m = in.get(7).getShape().get(0) / runs;
        long dim = e.getShape().get(1);
        NDArray src = rows(e, in.get(7)).reshape(runs, m, dim).batchMatMul(store.getValue(ws, dev, training));
        NDArray dst = rows(e, in.get(8)).reshape(runs, m, dim).batchMatMul(store.getValue(wt, dev, training));
        return new NDList(src.mul(dst).sum(new int[] {2}));
    }

    /**
     * Rows {@code idx} of {@code e}: a {@code gather} along axis 0 with the index broadcast over the columns, whose
     * backward pass is a scatter-add (advanced indexing, {@code e.get(idx)}, costs several times more here).
     *
     * @param e   [N, d]
     * @param idx int64 [M]
     * @return [M, d]
     */
    static NDArray rows(NDArray e, NDArray idx) {
        long m = idx.getShape().get(0);
        return e.gather(idx.reshape(m, 1).broadcast(m, e.getShape().get(1)), 0);
    }

    /** Embeddings [N, d] of all runs' genes. */
    private NDArray embed(ParameterStore store, NDArray s, NDArray[] hidden, NDArray d, NDArray x,
                          boolean training) {
        Device dev = x.getDevice();
        long n = x.getShape().get(0) * x.getShape().get(1);
        NDArray xw1 = x.batchMatMul(store.getValue(w1, dev, training));
        NDArray h1 = Activation.relu(propagate(s, hidden, d, xw1.reshape(n, -1), runs));
        NDArray hw2 = h1.reshape(x.getShape().get(0), x.getShape().get(1), -1)
                .batchMatMul(store.getValue(w2, dev, training));
        NDArray skip = x.batchMatMul(store.getValue(w0, dev, training));
        return propagate(s, hidden, d, hw2.reshape(n, -1), runs).add(skip.reshape(n, -1));
    }

    /**
     * All regulator → gene logits of every run, with the full (unmasked) graph.
     *
     * @param tfs int64 [nT] regulator genes
     * @return [K, nT, g]
     */
    NDArray allLogits(NDArray s, NDArray d, NDArray x, NDArray tfs) {
        ParameterStore store = new ParameterStore(x.getManager(), false);
        Device dev = x.getDevice();
        NDArray e = embed(store, s, null, d, x, false);
        long g = x.getShape().get(1);
        long nT = tfs.getShape().get(0);
        NDManager m = x.getManager();
        // node numbers of the regulators in every run: k·g + tf
        NDArray nodes = m.arange(0, runs, 1, DataType.INT64).mul(m.create(g)).reshape(runs, 1)
                .add(tfs.reshape(1, nT)).reshape(-1);
        NDArray src = rows(e, nodes).reshape(runs, nT, -1).batchMatMul(store.getValue(ws, dev, false));
        NDArray dst = e.reshape(runs, g, -1).batchMatMul(store.getValue(wt, dev, false));
        return src.batchMatMul(dst.transpose(0, 2, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(runs, inputShapes[7].get(0) / runs)};
    }

    /**
     * The K runs' TF × gene logits (row t = regulator {@code tfIdx[t]} of {@code data}), run k seeded
     * {@code options.seed() + k}; null where {@link GnnModel#learns} is false (candidate graph denser than
     * {@link GnnModel#MAX_DENSITY}: the auto-encoder does not train). {@code options} are {@link GnnModel}'s (crowd
     * passes {@code coexpr=0}, its epochs and {@code da}).
     *
     * @return K arrays [nT, g] row-major
     */
    static float[][] logits(ExpressionMatrix data, List<String> tfs, InferenceOptions options, int runs,
                            Progress progress) {
        GnnModel.Settings st = GnnModel.Settings.of(options);
        int[] tfIdx = ModelInputs.tfIndices(data, tfs);
        int g = data.nGenes();
        int n = data.nCells();
        int f = st.features();
        float[] z = NnSupport.rankStandardise(data);
        try (NDManager manager = EngineThreads.newManager(NnSupport.device(options.device()))) {
            progress.phase("graph");
            GnnModel.Graph graph = GnnModel.Graph.of(manager, z, data, st, options);
            if (!graph.learns()) {
                return null;
            }
            float[] adj = graph.adj();
            List<int[]> edges = new ArrayList<>();
            for (int i = 0; i < g; i++) {
                for (int j = i + 1; j < g; j++) {
                    if (adj[i * g + j] != 0) {
                        edges.add(new int[] {i, j, edges.size()});
                    }
                }
            }
            // each run's draws in GnnModel.infer's order: projection, initial weights, augmentation seed, plan
            Random[] rnd = new Random[runs];
            float[] proj = new float[runs * n * f];
            List<List<float[]>> start = new ArrayList<>();
            long[] augSeed = new long[runs];
            try (NDManager tmp = manager.newSubManager()) {
                for (int k = 0; k < runs; k++) {
                    rnd[k] = new Random(options.seed() + k);
                    System.arraycopy(GnnModel.projection(n, f, rnd[k]), 0, proj, k * n * f, n * f);
                    List<float[]> w = new ArrayList<>();
                    for (NDArray a : GnnEncoder.init(tmp, f, st.hidden(), st.dim(), rnd[k]).parameters()) {
                        w.add(a.toFloatArray());
                    }
                    start.add(w);
                    augSeed[k] = st.dropoutAugmentation() > 0 ? rnd[k].nextLong() : 0;
                }
            }
            int[] degree = new int[g];
            for (int[] e : edges) {
                degree[e[0]]++;
                degree[e[1]]++;
            }
            int nn = runs * g;
            NDArray s = sharedGraph(manager, adj, g);
            NDArray dFull = manager.create(inverseSqrtDegrees(degree, g, runs, null), new Shape(nn, 1));
            NDArray zd = manager.create(z, new Shape(n, g));
            NDArray projD = manager.create(proj, new Shape(runs, n, f));
            // clean features [K, g, f]: every run's projection of the same data
            NDArray x0 = zd.transpose().expandDims(0).repeat(0, runs).batchMatMul(projD);
            GnnEnsemble block = new GnnEnsemble(start, f, st.hidden(), st.dim());
            // the weights live in this manager (as GnnEncoder.init's), not in the training's Model
            block.initialize(manager, DataType.FLOAT32, inputShapes(nn, runs, g, f, 0, 0));
            if (!edges.isEmpty()) {
                progress.phase("train");
                train(manager, block, s, x0, zd, projD, augSeed, edges, degree, g, st, rnd, progress);
            }
            progress.phase("score");
            try (NDManager m = manager.newSubManager()) {
                float[] all = block.allLogits(s, dFull, x0,
                        m.create(Arrays.stream(tfIdx).asLongStream().toArray())).toFloatArray();
                float[][] out = new float[runs][];
                int per = tfIdx.length * g;
                for (int k = 0; k < runs; k++) {
                    out[k] = Arrays.copyOfRange(all, k * per, (k + 1) * per);
                }
                return out;
            }
        }
    }

    private static Shape[] inputShapes(long nn, long runs, long g, long f, long m, long hn) {
        return new Shape[] {new Shape(g, g), new Shape(hn), new Shape(hn), new Shape(hn), new Shape(nn),
            new Shape(nn, 1), new Shape(runs, g, f), new Shape(runs * m), new Shape(runs * m)};
    }

    /**
     * {@code A + I} [g, g] built on the device from its entry list ({@link MaskedGraph}: sparse COO on PyTorch), so
     * its memory is the engine's from the start (DJL's {@code createCoo} aliases Java buffers that a garbage
     * collection may free before any copy: see the class comment) and no dense [g, g] array is uploaded.
     */
    @SuppressWarnings("resource") // the graph's arrays live in a sub-manager of manager, closed with it
    static NDArray sharedGraph(NDManager manager, float[] adj, int g) {
        // not closed here: PyTorch's sparse array reads the graph's index and value arrays until it is freed
        // (closing them first gives garbage column indices)
        return new MaskedGraph(manager, adj, g).withSelfLoops(manager);
    }

    /**
     * D^-1/2 of A + I for every run's nodes, minus the hidden edges' ends when {@code hidden} (per run, per gene,
     * count) is given.
     */
    private static float[] inverseSqrtDegrees(int[] degree, int g, int runs, int[][] hidden) {
        float[] d = new float[runs * g];
        for (int k = 0; k < runs; k++) {
            for (int i = 0; i < g; i++) {
                int deg = 1 + degree[i] - (hidden == null ? 0 : hidden[k][i]);
                d[k * g + i] = (float) Math.pow(deg, -0.5);
            }
        }
        return d;
    }

    /**
     * The sum over runs of each run's mean sigmoid binary cross-entropy, DJL's loss evaluated on every run's slice
     * [m] of the predictions [K, m]: slice k's gradient is exactly run k's (no reduction mixes the runs).
     */
    private static final class RunSumLoss extends Loss {
        private final Loss bce = Loss.sigmoidBinaryCrossEntropyLoss();

        RunSumLoss() {
            super("RunSumBCE");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray label = labels.singletonOrThrow();
            NDArray pred = predictions.singletonOrThrow();
            NDArray sum = null;
            for (long k = 0; k < pred.getShape().get(0); k++) {
                NDArray l = bce.evaluate(new NDList(label.get(k)), new NDList(pred.get(k)));
                sum = sum == null ? l : sum.add(l);
            }
            return sum;
        }
    }

    private static void train(NDManager manager, GnnEnsemble block, NDArray s, NDArray x0, NDArray zd,
                              NDArray projD, long[] augSeed, List<int[]> edges, int[] degree, int g,
                              GnnModel.Settings st, Random[] rnd, Progress progress) {
        int runs = augSeed.length;
        int nMask = Math.max(1, (int) Math.round(edges.size() * st.mask()));
        Plan plan = new Plan(edges, degree, nMask, g, rnd);
        int epochs = st.epochs();
        int perChunk = (int) Math.max(1, Math.min(Math.min(epochs, NnSupport.REPORT_EVERY),
                GnnModel.PLAN_CHUNK_BYTES / plan.bytesPerEpoch()));
        float p = (float) st.dropoutAugmentation();
        long nn = (long) runs * g;
        try (NDManager data = manager.newSubManager();
             Model model = Model.newInstance(GnnModel.NAME, manager.getDevice())) {
            model.setBlock(block);
            // DJL's Adam over the stacked weights; the summed loss gives every slice its own run's gradient
            try (Trainer trainer = NnSupport.newTrainer(model, new RunSumLoss(), st.lr())) {
                trainer.initialize(inputShapes(nn, runs, g, x0.getShape().get(2), 4L * nMask, 2L * nMask * runs));
                float[] lab = new float[runs * 4 * nMask];
                for (int k = 0; k < runs; k++) {
                    Arrays.fill(lab, k * 4 * nMask, k * 4 * nMask + 2 * nMask, 1f);
                }
                NDArray labels = data.create(lab, new Shape(runs, 4L * nMask));
                // level − z per value (see GnnModel.Augmentation)
                NDArray gap = p > 0 ? zd.min(new int[] {0}, true).sub(zd) : null;
                NDArray[] pools = p > 0 && st.pooledDraw() ? new NDArray[runs] : null;
                for (int k = 0; pools != null && k < runs; k++) {
                    pools[k] = GnnModel.Augmentation.pool(data, zd.getShape().get(0), g, p, augSeed[k]);
                }
                NDArray[] chunk = new NDArray[7];
                int[] chunkStart = {-1};
                NnSupport.fit(trainer, epochs, epoch -> {
                    if (chunkStart[0] < 0 || epoch - chunkStart[0] >= perChunk) {
                        for (NDArray a : chunk) {
                            if (a != null) {
                                a.close();
                            }
                        }
                        System.arraycopy(plan.upload(data, Math.min(perChunk, epochs - epoch)), 0, chunk, 0, 7);
                        // The plan outlives this step's scope.
                        NDScope.unregister(chunk);
                        chunkStart[0] = epoch;
                    }
                    int row = epoch - chunkStart[0];
                    NDArray x = p > 0 ? augmented(zd, gap, projD, p, pools, augSeed, epoch) : x0;
                    return new NDList[] {new NDList(s, chunk[0].get(row), chunk[1].get(row), chunk[2].get(row),
                        chunk[3].get(row), chunk[4].get(row), x, chunk[5].get(row), chunk[6].get(row)),
                        new NDList(labels)};
                }, null, progress, 0, epochs);
            }
        }
    }

    /**
     * Each run's features of epoch {@code epoch} under dropout augmentation, drawn as {@link GnnModel.Augmentation}
     * draws them for that run (its seed, the epoch's engine seed): [K, g, f].
     */
    private static NDArray augmented(NDArray zd, NDArray gap, NDArray projD, float p, NDArray[] pools,
                                     long[] augSeed, int epoch) {
        NDManager m = zd.getManager();
        NDList masks = new NDList(augSeed.length);
        for (int k = 0; k < augSeed.length; k++) {
            masks.add(pools != null ? GnnModel.Augmentation.window(pools[k], zd.getShape().get(0), augSeed[k], epoch)
                    : GnnModel.Augmentation.freshMask(m, zd.getShape(), p, augSeed[k], epoch));
        }
        NDArray drop = NDArrays.stack(masks).toType(zd.getDataType(), false);
        NDArray expr = zd.expandDims(0).add(gap.expandDims(0).mul(drop));
        return expr.transpose(0, 2, 1).batchMatMul(projD);
    }

    /**
     * Sorts {@code pairs} (destination · nodes + source) and writes {@link #hiddenSums}' arrays: src, start and end
     * from {@code at} (per destination its start and end in the zero-padded prefix sums; padding 0 after the last
     * destination), pos from {@code atPos} (each node's segment, or Hn).
     */
    static void segments(long[] pairs, int nodes, int runs, long[][] out, int at, int atPos) {
        long[] p = pairs.clone();
        Arrays.sort(p);
        Arrays.fill(out[3], atPos, atPos + nodes, p.length);
        // every run has the same number of hidden edges and its nodes sort together: run k's edges are
        // p[k·per .. (k+1)·per), at k·(per + 1) + 1 .. in the stacked padded prefix sums
        int per = p.length / runs;
        int u = 0;
        for (int i = 0; i < p.length; i++) {
            out[0][at + i] = p[i] % nodes;
            long dst = p[i] / nodes;
            int padded = i / per * (per + 1) + i % per;
            if (i == 0 || p[i - 1] / nodes != dst) {
                out[1][at + u] = padded;
                out[3][atPos + (int) dst] = u;
                u++;
            }
            out[2][at + u - 1] = padded + 1;
        }
        for (int i = u; i < p.length; i++) {
            out[1][at + i] = 0;
            out[2][at + i] = 0;
        }
    }

    /**
     * Every run's masking plan, drawn on the host from the run's {@link Random} in epoch order exactly as
     * {@link GnnModel} draws it (partial Fisher-Yates over the same edge list, then the random negative pairs), and
     * uploaded in chunks of epochs.
     */
    private static final class Plan {
        private final List<List<int[]>> edges = new ArrayList<>();
        private final int[] degree;
        private final int nMask;
        private final int g;
        private final Random[] rnd;

        Plan(List<int[]> edges, int[] degree, int nMask, int g, Random[] rnd) {
            for (Random ignored : rnd) {
                this.edges.add(new ArrayList<>(edges));
            }
            this.degree = degree;
            this.nMask = nMask;
            this.g = g;
            this.rnd = rnd;
        }

        long bytesPerEpoch() {
            // hidden edges (4 int64 per directed edge), D^-1/2, src and dst, per run
            return rnd.length * (8L * nMask * Long.BYTES + (long) g * Float.BYTES + 8L * nMask * Long.BYTES);
        }

        /**
         * The next {@code epochs} epochs: the hidden edges of every run, both directions, sorted by destination node,
         * as {@link #hiddenSums} takes them (src, start, end: [e, Hn] each, Hn = K·2·nMask; pos [e, N]); D^-1/2 of the
         * masked graph [e, N, 1]; src and dst [e, K·4·nMask] node numbers (int64): per run its hidden edges in
         * both directions (label 1), then as many uniformly random ordered pairs (label 0).
         */
        NDArray[] upload(NDManager manager, int epochs) {
            int runs = rnd.length;
            int hn = runs * 2 * nMask;
            long[][] hid = {new long[epochs * hn], new long[epochs * hn], new long[epochs * hn],
                new long[epochs * runs * g]};
            long[] pairs = new long[hn];
            float[] d = new float[epochs * runs * g];
            int m = 4 * nMask;
            long[] src = new long[epochs * runs * m];
            long[] dst = new long[epochs * runs * m];
            int[][] count = new int[runs][g];
            for (int e = 0; e < epochs; e++) {
                for (int k = 0; k < runs; k++) {
                    Arrays.fill(count[k], 0);
                    List<int[]> l = edges.get(k);
                    Random r = rnd[k];
                    int o = (e * runs + k) * m;
                    int off = k * g;
                    for (int q = 0; q < nMask; q++) {
                        int[] edge = GnnModel.swapIn(l, q, r);
                        count[k][edge[0]]++;
                        count[k][edge[1]]++;
                        // (destination node, source node) packed for sorting: both directions
                        long a = off + edge[0];
                        long b = off + edge[1];
                        pairs[k * 2 * nMask + 2 * q] = a * (runs * (long) g) + b;
                        pairs[k * 2 * nMask + 2 * q + 1] = b * (runs * (long) g) + a;
                        src[o + 2 * q] = off + edge[0];
                        dst[o + 2 * q] = off + edge[1];
                        src[o + 2 * q + 1] = off + edge[1];
                        dst[o + 2 * q + 1] = off + edge[0];
                    }
                    for (int q = 2 * nMask; q < m; q++) {
                        int a = r.nextInt(g);
                        int b = r.nextInt(g - 1);
                        src[o + q] = off + a;
                        dst[o + q] = off + (b >= a ? b + 1 : b);
                    }
                }
                System.arraycopy(inverseSqrtDegrees(degree, g, runs, count), 0, d, e * runs * g, runs * g);
                segments(pairs, runs * g, runs, hid, e * hn, e * runs * g);
            }
            long nn = (long) runs * g;
            return new NDArray[] {manager.create(hid[0], new Shape(epochs, hn)),
                manager.create(hid[1], new Shape(epochs, hn)), manager.create(hid[2], new Shape(epochs, hn)),
                manager.create(hid[3], new Shape(epochs, (long) runs * g)),
                manager.create(d, new Shape(epochs, nn, 1)), manager.create(src, new Shape(epochs, (long) runs * m)),
                manager.create(dst, new Shape(epochs, (long) runs * m))};
        }
    }
}
