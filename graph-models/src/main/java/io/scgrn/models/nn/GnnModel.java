package io.scgrn.models.nn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.ModelInputs;
import io.scgrn.models.ModelParams;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.Tasks;
import io.scgrn.models.numerics.EngineThreads;
import io.scgrn.models.numerics.Sampling;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code gnn}: a graph auto-encoder over genes, combined with shrunk partial correlation.
 *
 * <ol>
 * <li>Expression is rank-standardised per gene (Spearman scale: robust to dropouts and heavy tails).</li>
 * <li>Node features H0 [g, f]: each gene's profile over cells, randomly projected to f dimensions
 * ({@code z^T R / sqrt(n)}, R [n, f] Gaussian): inner products, i.e. correlations, are preserved, and cells are
 * touched once, not per epoch.</li>
 * <li>Candidate graph: every gene's {@code k} neighbours of largest |partial correlation| (shrunk, see
 * {@link GeneGraph#partialCorrelation}; {@code graph=corr} uses plain correlation) ∪ the prior edges of
 * {@link InferenceOptions#prior()}; GCN-normalised. Partial correlation keeps direct associations: on the BEELINE
 * sets the learned term alone reaches EPR 3.08 (hHEP-STRING) and 2.46 (mDC-NonSpecific) on it against 2.02 and
 * 1.74 on the plain-correlation graph.</li>
 * <li>Self-supervised masked-edge reconstruction: each epoch hides a fraction {@code mask} of the graph's edges
 * from message passing and trains {@link GnnEncoder} to tell them (both directions) from as many random pairs
 * (binary cross-entropy).</li>
 * <li>Scores: the decoder's logit for every TF → gene pair, rank-averaged with |partial correlation| (weight
 * {@code coexpr}); sign = sign of the partial correlation. When the candidate graph links more than a quarter of
 * all gene pairs (a handful of genes, e.g. 11 genes with k = 10) masked-edge training has nothing to learn and the
 * learned term is dropped.</li>
 * </ol>
 * With parameter {@code train-edges} (a file of known TF → target pairs) the model instead does supervised link
 * prediction and returns only held-out test pairs: see {@link LinkPrediction}.
 *
 * <p>Parameters: {@code epochs} (150), {@code lr} (0.01), {@code features} (64), {@code hidden} (64), {@code dim}
 * (32), {@code k} (10), {@code mask} (0.2), {@code shrink} (0.95), {@code coexpr} (0.5), {@code train-edges},
 * {@code split} (train fraction / validation fraction, "0.6/0.2"), {@code graph} ({@code pcor} or {@code corr}),
 * {@code da} (0: share of the expression values dropped out anew each epoch, see {@link Augmentation}),
 * {@code da-draw} ({@code fresh}: each epoch's dropout mask drawn anew; {@code pool}: a window of a mask pool drawn
 * once, see {@link Augmentation}),
 * {@code bag} (1: share of the cells the masked-edge training sees, see {@link #bagRows}; the candidate graph uses all
 * cells, and so do the scores unless {@code bag-scores=bag}: then they come from the bag's features too).
 *
 * <p>Reproducibility: the same seed gives the same network on CPU byte for byte when the engine runs one
 * intra-op thread ({@code -Dai.djl.pytorch.num_threads=1}), also while other runs train in the same process
 * (initial weights are drawn under the engine lock, see the package comment; masks and negatives come from
 * {@code java.util.Random(seed)}); with more threads PyTorch's parallel kernels may change the last float bits (the
 * ranking practically never).
 *
 * <p>Speed: each epoch's inputs that do not depend on the weights (the masked graph's normalisation, the
 * dropout-augmented features) are made one epoch ahead on a second thread ({@link EpochInputs}), so on two cores the
 * training thread runs forward, backward and Adam; the network is the same byte for byte.
 */
public final class GnnModel implements GrnModel {
    /** The {@code --model} name. */
    public static final String NAME = "gnn";
    /** Above this edge density of the candidate graph the learned term is skipped (see {@link #infer}). */
    static final double MAX_DENSITY = 0.25;
    private static final Logger LOG = LoggerFactory.getLogger(GnnModel.class);
    static final Set<String> PARAMS = Set.of("epochs", "lr", "features", "hidden", "dim", "k", "mask", "shrink",
            "coexpr", "train-edges", "split", "graph", "da", "da-draw", "bag", "bag-scores");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void checkParams(Map<String, String> params) {
        Settings.of(new InferenceOptions(0, "cpu", params, List.of()));
    }

    /** Hyper-parameters after validation. */
    record Settings(int epochs, double lr, int features, int hidden, int dim, int k, double mask, double shrink,
                    double coexpr, String trainEdges, double trainFraction, double validationFraction,
                    String graph, double dropoutAugmentation, boolean pooledDraw, double bag, boolean scoreOnBag) {
        static Settings of(InferenceOptions options) {
            ModelParams p = new ModelParams(options.params(), PARAMS);
            String split = p.string("split", "0.6/0.2");
            String[] f = split.split("/");
            double tr;
            double va;
            try {
                tr = Double.parseDouble(f[0]);
                va = f.length > 1 ? Double.parseDouble(f[1]) : (1 - tr) / 2;
            } catch (NumberFormatException e) {
                throw new ModelException("split", "expected train/validation fractions like 0.6/0.2, got '"
                        + split + "'");
            }
            if (f.length > 2 || !(tr > 0 && va >= 0 && tr + va < 1)) {
                throw new ModelException("split", "fractions must be > 0 and sum below 1 (rest is test): " + split);
            }
            return new Settings(p.intValue("epochs", 150, 1, 100_000), p.doubleValue("lr", 0.01, 1e-6, 10),
                    p.intValue("features", 64, 1, 4096), p.intValue("hidden", 64, 1, 4096),
                    p.intValue("dim", 32, 1, 4096), p.intValue("k", 10, 1, 1000),
                    p.doubleValue("mask", 0.2, 0.01, 0.9), p.doubleValue("shrink", 0.95, 0.0, 0.9999),
                    p.doubleValue("coexpr", 0.5, 0, 1), p.string("train-edges", null), tr, va, graph(p),
                    p.doubleValue("da", 0, 0, 0.9), pooledDraw(p), p.doubleValue("bag", 1, 0.05, 1), bagScores(p));
        }

        private static boolean pooledDraw(ModelParams p) {
            String d = p.string("da-draw", "fresh");
            if (!d.equals("fresh") && !d.equals("pool")) {
                throw new ModelException("da-draw", "'" + d + "' is not one of fresh, pool");
            }
            return d.equals("pool");
        }

        private static boolean bagScores(ModelParams p) {
            return GnnModel.scoreOnBag("bag-scores", p.string("bag-scores", "all"));
        }

        private static String graph(ModelParams p) {
            String g = p.string("graph", "pcor");
            if (!g.equals("pcor") && !g.equals("corr")) {
                throw new ModelException("graph", "'" + g + "' is not one of pcor, corr");
            }
            return g;
        }
    }

    @Override
    public Network infer(ExpressionMatrix data, List<String> tfs, InferenceOptions options, Progress progress) {
        Settings s = Settings.of(options);
        if (s.trainEdges() != null) {
            LinkPrediction.Result r = LinkPrediction.run(data, tfs, LinkPrediction.readEdges(Path.of(s.trainEdges())),
                    options, progress);
            List<Edge> edges = new ArrayList<>();
            for (LinkPrediction.HeldOut h : r.test()) {
                edges.add(new Edge(h.tf(), h.target(), h.score(), 0, Double.NaN));
            }
            return new Network(edges);
        }
        int[] tfIdx = ModelInputs.tfIndices(data, tfs);
        int g = data.nGenes();
        Device device = NnSupport.device(options.device());
        Random rnd = new Random(options.seed());
        float[] z = NnSupport.rankStandardise(data);
        try (NDManager manager = EngineThreads.newManager(device)) {
            progress.phase("graph");
            Graph graph = Graph.of(manager, z, data, s, options);
            float[] pcor = graph.pcor();
            float[] logits;
            double density = graph.density();
            float c = (float) s.coexpr();
            if (density > MAX_DENSITY && c < 1) {
                // With a handful of genes the k-neighbour graph is (nearly) complete: hiding edges teaches the
                // encoder nothing, and its logits would only add noise to the ranking.
                LOG.info("gnn: candidate graph density {} > {}: co-expression term only", density, MAX_DENSITY);
                c = 1;
            }
            if (c < 1) {
                logits = trainedLogits(manager, graph, data.nCells(), g, tfIdx, s, rnd, options.seed(), progress, true);
            } else {
                logits = new float[tfIdx.length * g];
            }
            float[] absP = new float[tfIdx.length * g];
            float[] signP = new float[tfIdx.length * g];
            for (int t = 0; t < tfIdx.length; t++) {
                System.arraycopy(pcor, tfIdx[t] * g, signP, t * g, g);
            }
            for (int q = 0; q < absP.length; q++) {
                absP[q] = Math.abs(signP[q]);
            }
            boolean[] self = NnSupport.selfLoops(tfIdx, g);
            float[] rg = NnSupport.rankScale(logits, self);
            float[] rp = NnSupport.rankScale(absP, self);
            float[] score = new float[rg.length];
            for (int q = 0; q < score.length; q++) {
                score[q] = (1 - c) * rg[q] + c * rp[q];
            }
            return NnSupport.network(data.genes(), tfIdx, score, signP, null);
        }
    }

    /**
     * What every training of the auto-encoder on the same cells and options shares, whatever its seed: the
     * rank-standardised expression, the partial correlation and the candidate graph ({@link #infer}'s "graph"
     * phase; the seed is first used after it, by the features' projection).
     *
     * @param z   cells × genes rank-standardised expression ({@link NnSupport#rankStandardise}), row-major
     * @param pcor [g, g] shrunk partial correlation, row-major (the sign and co-expression evidence)
     * @param adj [g, g] symmetric 0/1 candidate graph, row-major
     */
    record Graph(float[] z, float[] pcor, float[] adj, double density) {
        static Graph of(NDManager manager, float[] z, ExpressionMatrix data, Settings s, InferenceOptions options) {
            int g = data.nGenes();
            float[] corr = GeneGraph.correlation(manager, z, data.nCells(), g);
            float[] pcor = GeneGraph.partialCorrelation(manager, corr, g, s.shrink());
            float[] adj = GeneGraph.candidateGraph(s.graph().equals("pcor") ? pcor : corr, g, s.k(), data.genes(),
                    options.prior());
            return new Graph(z, pcor, adj, GnnModel.density(adj, g));
        }

        /** {@link #of} on {@code data} with {@code options}' gnn settings, in a manager of its own. */
        static Graph of(ExpressionMatrix data, InferenceOptions options) {
            Settings s = Settings.of(options);
            float[] z = NnSupport.rankStandardise(data);
            try (NDManager manager = EngineThreads.newManager(NnSupport.device(options.device()))) {
                return of(manager, z, data, s, options);
            }
        }

        /** Whether the auto-encoder trains on this graph ({@link #learns}). */
        boolean learns() {
            return density <= MAX_DENSITY;
        }
    }

    /**
     * One training of the auto-encoder on a shared {@link Graph}, seeded with {@code options.seed()}: the TF ×
     * gene scores of {@link #infer}'s network with {@code coexpr=0}, i.e. the rank scaling of the run's logits
     * ({@link NnSupport#rankScale}, self-loops 0), without building that network where the gene names are unique:
     * bit for bit what {@link NnSupport#place} of that network gives, which crowd's learned term used to read.
     *
     * @param data the cells the graph was computed on
     * @return [nTf, g] row-major (row t is regulator {@code tfIdx[t]}), values in [0, 1]
     */
    static float[] learnedScores(Graph graph, ExpressionMatrix data, int[] tfIdx, InferenceOptions options,
                                 Progress progress) {
        return learnedScores(graph, data, tfIdx, options, progress, true);
    }

    /**
     * {@link #learnedScores}, with each epoch's inputs made ahead on a second thread ({@link EpochInputs}) or on
     * the training thread ({@code ahead} false: tests compare the two).
     */
    static float[] learnedScores(Graph graph, ExpressionMatrix data, int[] tfIdx, InferenceOptions options,
                                 Progress progress, boolean ahead) {
        Settings s = Settings.of(options);
        Random rnd = new Random(options.seed());
        try (NDManager manager = EngineThreads.newManager(NnSupport.device(options.device()))) {
            int g = data.nGenes();
            float[] logits = trainedLogits(manager, graph, data.nCells(), g, tfIdx, s, rnd, options.seed(), progress,
                    ahead);
            float[] scores = NnSupport.rankScale(logits, NnSupport.selfLoops(tfIdx, g));
            if (new HashSet<>(data.genes()).size() == g) {
                return scores;
            }
            // repeated gene names: what placing the network by name gives (a later name's edges land on the first)
            float[] placed = new float[tfIdx.length * g];
            NnSupport.place(NnSupport.network(data.genes(), tfIdx, scores, null, null), data.genes(), tfIdx, placed,
                    null);
            return placed;
        }
    }

    /**
     * The features' projection, the encoder's initial weights, the dropout augmentation's seed and the masking plan
     * drawn from {@code rnd} in this order; training ("train") and all regulator → gene logits ("score"). With
     * {@code bag} &lt; 1 the training sees the cells {@link #bagRows} draws from {@code seed} (the run's seed).
     *
     * @return [nTf, g] row-major
     */
    private static float[] trainedLogits(NDManager manager, Graph graph, int n, int g, int[] tfIdx, Settings s,
                                         Random rnd, long seed, Progress progress, boolean ahead) {
        float[] proj = projection(n, s.features(), rnd);
        NDArray h0 = features(manager, graph.z(), n, g, s.features(), proj);
        progress.phase("train");
        GnnEncoder enc = GnnEncoder.init(manager, s.features(), s.hidden(), s.dim(), rnd);
        // bag < 1: the training sees a share of the cells drawn from the seed (the same draws from rnd otherwise)
        int[] rows = bagRows(n, s.bag(), seed);
        float[] tz = rows == null ? graph.z() : rowsOf(graph.z(), g, rows);
        float[] tp = rows == null ? proj : bagProjection(proj, n, s.features(), rows);
        int tn = rows == null ? n : rows.length;
        NDArray th0 = rows == null ? h0 : features(manager, tz, tn, g, s.features(), tp);
        Augmentation aug = s.dropoutAugmentation() > 0
                ? Augmentation.upload(manager, tz, tn, g, tp, s.features(),
                s.dropoutAugmentation(), rnd.nextLong(), s.pooledDraw()) : null;
        try {
            trainMaskedEdges(manager, enc, th0, graph.adj(), g, s, rnd, aug, progress, ahead);
        } finally {
            if (aug != null) {
                aug.close();
            }
        }
        progress.phase("score");
        try (NDManager m = manager.newSubManager()) {
            NDArray e = enc.embed(GeneGraph.normalise(m.create(graph.adj(), new Shape(g, g))),
                    s.scoreOnBag() ? th0 : h0);
            return enc.allLogits(e, m.create(tfIdx)).toFloatArray();
        }
    }

    /**
     * Whether {@link #infer} trains the auto-encoder on these data with these options (the candidate graph is not
     * denser than {@link #MAX_DENSITY}); when it does not, the learned term is the partial correlation again.
     * {@link CrowdModel} drops its learned term then rather than count the partial correlation twice.
     */
    static boolean learns(ExpressionMatrix data, InferenceOptions options) {
        return Graph.of(data, options).learns();
    }

    /**
     * One step of a partial Fisher–Yates shuffle: a uniform pick among entries {@code q ..} of {@code edges} swapped
     * into position {@code q} and returned (one {@code nextInt} draw; steps 0 .. m − 1 leave a uniform sample of m
     * edges in front). The masking plans of {@link GnnModel} and {@link GnnEnsemble} draw the same way.
     */
    static int[] swapIn(List<int[]> edges, int q, Random rnd) {
        int r = q + rnd.nextInt(edges.size() - q);
        int[] tmp = edges.get(q);
        edges.set(q, edges.get(r));
        edges.set(r, tmp);
        return edges.get(q);
    }

    /**
     * Whether bagged runs are scored from their bag ({@code bag}) rather than from all cells ({@code all}): gnn's
     * {@code bag-scores} and crowd's {@code learned-bag-scores}.
     *
     * @throws ModelException naming {@code field} for any other value
     */
    static boolean scoreOnBag(String field, String value) {
        if (!value.equals("all") && !value.equals("bag")) {
            throw new ModelException(field, "'" + value + "' is not one of all, bag");
        }
        return value.equals("bag");
    }

    /** Salt of {@link #bagRows}' seed, so that the bag is not the sample {@code learned-cells} draws with the seed. */
    static final long BAG_SALT = 0x62616767L;

    /**
     * The cells run {@code seed}'s masked-edge training sees with {@code bag} = f &lt; 1 (bagging, Breiman 1996: each
     * run of {@code crowd -p learned-runs=K -p learned-bag=f} learns from another share of the cells, the K scores
     * are averaged): {@code round(f · n)} (at least 2) cells drawn without replacement from {@code seed} (salted,
     * not from the run's {@link Random}, so the run's other draws — projection, weights, masks — are those of the
     * unbagged run of the seed), in their original order; null for f = 1 (all cells).
     */
    static int[] bagRows(int n, double bag, long seed) {
        if (bag >= 1) {
            return null;
        }
        int m = (int) Math.min(n, Math.max(2, Math.round(bag * n)));
        return m >= n ? null : Sampling.sortedSample(n, m, seed ^ BAG_SALT);
    }

    /**
     * The projection rows of the bag's cells, scaled by {@code sqrt(n / m)}: the bag's features {@code z_S^T R_S}
     * then have the all-cell features' scale (inner products ≈ f × the correlation over the bag, as over all cells:
     * unit test), so that the encoder trained on them can score the all-cell features ({@code bag-scores=all}). Their
     * coordinates still differ (correlation ~√(m / n)): scored from all cells the bagged runs were weaker than full
     * runs, scored from the bag ({@code bag-scores=bag}) as good (docs/benchmarks.md, round 9, helper a9j).
     *
     * @param proj [n, f] row-major
     * @return [m, f] row-major
     */
    static float[] bagProjection(float[] proj, int n, int f, int[] rows) {
        float[] out = rowsOf(proj, f, rows);
        float scale = (float) Math.sqrt((double) n / rows.length);
        for (int i = 0; i < out.length; i++) {
            out[i] *= scale;
        }
        return out;
    }

    /** Rows {@code rows} of a row-major matrix with {@code width} columns. */
    private static float[] rowsOf(float[] m, int width, int[] rows) {
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(m, rows[i] * width, out, i * width, width);
        }
        return out;
    }

    /** Fraction of gene pairs linked in a symmetric 0/1 adjacency. */
    static double density(float[] adj, int g) {
        long links = 0;
        for (float v : adj) {
            links += v != 0 ? 1 : 0;
        }
        return g < 2 ? 1 : links / ((double) g * (g - 1));
    }

    /**
     * Random projection of every gene's standardised profile over cells.
     *
     * @param z row-major [n, g]
     * @return [g, f] in {@code manager}
     */
    static NDArray features(NDManager manager, float[] z, int n, int g, int f, Random rnd) {
        return features(manager, z, n, g, f, projection(n, f, rnd));
    }

    /** The random projection R [n, f] of {@link #features}, Gaussian with variance 1 / n, drawn from {@code rnd}. */
    static float[] projection(int n, int f, Random rnd) {
        float[] r = new float[n * f];
        double scale = 1 / Math.sqrt((double) n);
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) (rnd.nextGaussian() * scale);
        }
        return r;
    }

    /** {@link #features} with a given projection {@code r} [n, f] (row-major). */
    static NDArray features(NDManager manager, float[] z, int n, int g, int f, float[] r) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(z, new Shape(n, g));
            NDArray out = x.transpose().matMul(m.create(r, new Shape(n, f)));
            out.attach(manager);
            return out;
        }
    }

    /** Bytes of masking plan uploaded at once (see {@link #trainMaskedEdges}): bounds device memory. */
    static final long PLAN_CHUNK_BYTES = 64L << 20;

    /**
     * Self-supervised training (see the class comment, step 4) with a DJL {@link Model} and {@link Trainer}: DJL's
     * Adam and sigmoid binary cross-entropy, the encoder's parameters updated in place in their manager.
     *
     * <p>Everything stays on the device: the adjacency and {@code h0} are uploaded once, and so is the masking
     * plan (which edges each epoch hides, and its random negative pairs), drawn up front from {@code rnd} in
     * chunks of at most {@link #PLAN_CHUNK_BYTES} (one upload for the default 150 epochs up to ~9,000 genes at
     * k = 10). Each epoch zeroes its hidden edges with a device-side {@code put} and normalises on the device; the
     * loss is read back every {@link NnSupport#REPORT_EVERY} epochs.
     *
     * @param h0  [g, f] node features on the device
     * @param adj [g, g] row-major symmetric 0/1 candidate graph
     * @param ahead each epoch's inputs made one epoch ahead on a second thread ({@link EpochInputs})
     */
    static void trainMaskedEdges(NDManager manager, GnnEncoder enc, NDArray h0, float[] adj, int g, Settings s,
                                 Random rnd, Augmentation aug, Progress progress, boolean ahead) {
        List<int[]> edges = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            for (int j = i + 1; j < g; j++) {
                if (adj[i * g + j] != 0) {
                    edges.add(new int[] {i, j});
                }
            }
        }
        if (edges.isEmpty()) {
            return;
        }
        int nMask = Math.max(1, (int) Math.round(edges.size() * s.mask()));
        try (NDManager data = manager.newSubManager();
             MaskedGraph graph = new MaskedGraph(data, adj, g);
             Model model = Model.newInstance(NAME, manager.getDevice())) {
            MaskPlan plan = new MaskPlan(edges, nMask, g, graph, rnd);
            int perChunk = (int) Math.max(1, Math.min(s.epochs(), PLAN_CHUNK_BYTES / plan.bytesPerEpoch()));
            model.setBlock(enc);
            try (Trainer trainer = NnSupport.newTrainer(model, Loss.sigmoidBinaryCrossEntropyLoss(), s.lr())) {
                trainer.initialize(GnnEncoder.inputShapes(g, h0.getShape().get(1), 4L * nMask));
                NDArray hiddenZeros = data.zeros(new Shape(2L * nMask));
                float[] lab = new float[4 * nMask];
                Arrays.fill(lab, 0, 2 * nMask, 1f);
                NDArray labels = data.create(lab);
                NDArray[] chunk = new NDArray[3];
                int[] chunkStart = {-1};
                // each epoch's masked graph, normalised, and (under dropout augmentation) its features, made one
                // epoch ahead on a second thread while this one trains (EpochInputs)
                try (EpochInputs inputs = new EpochInputs(data, (out, hidden, epoch) -> {
                    // O(entries) on the device, and sparse: the products with Â cost its ~(2k + 1)·g stored
                    // entries instead of g² (the graph is a k-neighbour graph)
                    NDArray an = graph.normalised(hidden, hiddenZeros);
                    return new NDArray[] {EpochInputs.keep(an, out),
                        aug == null ? h0 : EpochInputs.keep(aug.features(epoch), out)};
                })) {
                    NnSupport.fit(trainer, s.epochs(), epoch -> {
                        if (chunkStart[0] < 0 || epoch - chunkStart[0] >= perChunk) {
                            for (NDArray a : chunk) {
                                if (a != null) {
                                    a.close();
                                }
                            }
                            System.arraycopy(plan.upload(data, epoch, Math.min(perChunk, s.epochs() - epoch)), 0,
                                    chunk, 0, 3);
                            // The plan outlives this step's scope.
                            NDScope.unregister(chunk);
                            chunkStart[0] = epoch;
                        }
                        int row = epoch - chunkStart[0];
                        NDArray[] in = inputs.take(epoch, chunk[0], row);
                        if (ahead && epoch + 1 < s.epochs() && row + 1 < perChunk) {
                            inputs.ahead(epoch + 1, chunk[0], row + 1);
                        }
                        return new NDList[] {new NDList(in[0], in[1], chunk[1].get(row), chunk[2].get(row)),
                            new NDList(labels)};
                    }, null, progress, 0, s.epochs());
                }
            }
        }
    }

    /**
     * The per-epoch inputs of masked-edge training that do not depend on the weights (the masked graph's
     * normalisation, the dropout-augmented features: about half of a training's engine time on one thread), made
     * one epoch ahead on a second thread while the training thread runs the epoch before: on two cores that work
     * leaves the training's critical path. Each epoch's arrays are made by the same operations on the same arrays as
     * on the training thread (the augmentation's draws seeded per epoch under the engine lock, the engine's thread
     * count applied to the second thread first, {@link EngineThreads#prepare}), so they are the same bit for bit and
     * the trained network is the same. Each epoch's arrays live in a manager the training thread opens and closes
     * (after the next epoch's {@link #take}, or at {@link #close}).
     */
    static final class EpochInputs implements AutoCloseable {
        /**
         * Makes an epoch's inputs from its row of hidden-edge indices, inside a scope that frees what it does not
         * {@link #keep} in {@code out}.
         */
        interface Maker {
            NDArray[] make(NDManager out, NDArray hidden, int epoch);
        }

        private final NDManager parent;
        private final Maker maker;
        private final ExecutorService pool;
        private int aheadEpoch = -1;
        private NDManager aheadManager;
        private Future<NDArray[]> aheadInputs;
        private NDManager current;

        EpochInputs(NDManager parent, Maker maker) {
            this.parent = parent;
            this.maker = maker;
            pool = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "gnn-epoch-inputs");
                t.setDaemon(true);
                return t;
            });
            pool.submit(EngineThreads::prepare);
        }

        /**
         * Epoch {@code epoch}'s inputs: the ones made ahead, or made now on this thread. Closes the arrays of the
         * epoch taken before.
         *
         * @param hidden [e, 2·nMask] hidden-edge indices of the current chunk; {@code row} is the epoch's
         */
        NDArray[] take(int epoch, NDArray hidden, int row) {
            closeCurrent();
            if (aheadEpoch == epoch) {
                current = aheadManager;
                aheadEpoch = -1;
                aheadManager = null;
                return await(aheadInputs);
            }
            settleAhead();
            current = parent.newSubManager();
            return make(current, hidden, row, epoch);
        }

        /** Starts making epoch {@code epoch}'s inputs on the second thread. */
        void ahead(int epoch, NDArray hidden, int row) {
            settleAhead();
            NDManager out = parent.newSubManager();
            aheadEpoch = epoch;
            aheadManager = out;
            aheadInputs = pool.submit(() -> make(out, hidden, row, epoch));
        }

        private NDArray[] make(NDManager out, NDArray hidden, int row, int epoch) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                return maker.make(out, hidden.get(row), epoch);
            }
        }

        /** {@code a}, made by a {@link Maker}, kept in {@code out} beyond the maker's scope. */
        static NDArray keep(NDArray a, NDManager out) {
            NDScope.unregister(a);
            a.attach(out);
            return a;
        }

        /** Waits for the epoch made ahead, if any, and frees it (it is not the one asked for). */
        private void settleAhead() {
            if (aheadManager != null) {
                try {
                    await(aheadInputs);
                } finally {
                    aheadManager.close();
                    aheadManager = null;
                    aheadEpoch = -1;
                }
            }
        }

        private void closeCurrent() {
            if (current != null) {
                current.close();
                current = null;
            }
        }

        /**
         * The second thread's result, waited for even when this thread is interrupted (the interrupt is kept for
         * the caller): its arrays' managers are freed only after it is done with them. A cancelled training stops
         * at its next epoch ({@link NnSupport#fit} checks the progress).
         */
        private static NDArray[] await(Future<NDArray[]> f) {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return f.get();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        throw Tasks.unwrap(e);
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void close() {
            try {
                // the second thread must be done with the training's arrays before they are freed
                settleAhead();
            } finally {
                closeCurrent();
                pool.shutdownNow();
            }
        }
    }

    /**
     * Dropout augmentation (DAZZLE, Zhu &amp; Slonim 2025): each epoch a fresh share {@code p} of the expression
     * values is set to its gene's dropout level before the node features are projected, so that the encoder learns
     * from profiles with extra dropout zeros and cannot lean on any single cell's value. The dropout level of a gene
     * is its smallest rank-standardised value (where its zeros sit when it has any). Scoring uses the clean features.
     * The expression [n, g], the gene levels [g] and the projection [n, f] stay on the device.
     *
     * <p>Two ways to draw each epoch's mask [n, g] ({@code da-draw}), both seeded by (seed, epoch) only, so the
     * thread that draws does not matter:
     * <ul>
     * <li>{@code fresh}: n·g uniforms from the engine's generator, seeded from (seed, epoch) under the engine lock.
     * PyTorch's CPU generator costs 4–7 ns a value, half of the epoch-input thread's time on a 900-cell file.</li>
     * <li>{@code pool}: a Bernoulli(p) pool [{@value #POOL_BLOCKS}·n, g] drawn once; epoch e's mask is the pool's
     * rows [o, o + n) with the genes rotated by s, o and s drawn from (seed, e). Within an epoch the mask's values are
     * independent Bernoulli(p) as before; across epochs a cell meets rows other cells met (never the same row and
     * rotation twice unless (o, s) repeats: 3n·g choices). About a tenth of the cost (a slice, a rotation copy, a
     * conversion), on the device.</li>
     * </ul>
     */
    static final class Augmentation implements AutoCloseable {
        /** The mask pool's rows in units of the cells ({@code pool}). */
        static final int POOL_BLOCKS = 4;
        private final NDManager manager;
        private final NDArray z;
        private final NDArray gap;
        private final NDArray proj;
        private final NDArray pool;
        private final float p;
        private final long seed;

        private Augmentation(NDManager manager, NDArray z, NDArray gap, NDArray proj, NDArray pool, float p,
                             long seed) {
            this.manager = manager;
            this.z = z;
            this.gap = gap;
            this.proj = proj;
            this.pool = pool;
            this.p = p;
            this.seed = seed;
        }

        /**
         * Uploads what the augmented features need into a sub-manager of {@code parent} (closed by {@link #close}).
         *
         * @param z      rank-standardised expression, row-major [n, g]
         * @param proj   the features' projection, row-major [n, f]
         * @param pooled draw each epoch's mask from a pool drawn here ({@code da-draw=pool}) instead of anew
         */
        static Augmentation upload(NDManager parent, float[] z, int n, int g, float[] proj, int f, double p,
                                   long seed, boolean pooled) {
            NDManager m = parent.newSubManager();
            NDArray zd = m.create(z, new Shape(n, g));
            // level - z per value: adding it where the mask is set moves the value to the gene's dropout level
            NDArray gap = zd.min(new int[] {0}, true).sub(zd);
            NDArray pool = pooled ? pool(m, n, g, (float) p, seed) : null;
            return new Augmentation(m, zd, gap, m.create(proj, new Shape(n, f)), pool, (float) p, seed);
        }

        /** The features [g, f] of epoch {@code epoch}: the projection of {@link #expression}. */
        NDArray features(int epoch) {
            return expression(epoch).transpose().matMul(proj);
        }

        /** The expression [n, g] of epoch {@code epoch}: a share {@code p} of the values moved to their level. */
        NDArray expression(int epoch) {
            NDArray mask = pool != null ? window(pool, z.getShape().get(0), seed, epoch)
                    : freshMask(manager, z.getShape(), p, seed, epoch);
            // in place on the fresh mask: two [n, g] allocations fewer per epoch (each a page-faulting block on
            // the CPU), the same values bit for bit (IEEE products and sums commute)
            return mask.toType(z.getDataType(), false).muli(gap).addi(z);
        }

        /** Epoch {@code epoch}'s mask [shape] (boolean) drawn anew from the engine seeded by (seed, epoch). */
        static NDArray freshMask(NDManager m, Shape shape, float p, long seed, int epoch) {
            NDArray[] u = new NDArray[1];
            NnSupport.withEngineSeed(NnSupport.stepSeed(seed, epoch), () -> u[0] = m.randomUniform(0, 1, shape));
            NDArray mask = u[0].lt(p);
            u[0].close();
            return mask;
        }

        /** The mask pool [{@value #POOL_BLOCKS}·n, g] (boolean) of a run seeded {@code seed}, in {@code m}. */
        static NDArray pool(NDManager m, long n, long g, float p, long seed) {
            // step −1: a seed no epoch's draw uses
            return freshMask(m, new Shape(POOL_BLOCKS * n, g), p, seed, -1);
        }

        /**
         * Epoch {@code epoch}'s mask [n, g] (boolean, a new array or a view of the pool): rows [o, o + n) of
         * {@code pool} with the genes rotated left by s, (o, s) drawn from (seed, epoch).
         */
        static NDArray window(NDArray pool, long n, long seed, int epoch) {
            long rows = pool.getShape().get(0);
            long g = pool.getShape().get(1);
            SplittableRandom r = new SplittableRandom(NnSupport.stepSeed(seed, epoch));
            long o = r.nextLong(rows - n + 1);
            long s = r.nextLong(g);
            NDArray w = pool.get(new NDIndex("{}:{}", o, o + n));
            if (s == 0) {
                return w;
            }
            return w.get(new NDIndex(":, {}:", s)).concat(w.get(new NDIndex(":, :{}", s)), 1);
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /**
     * The random choices of masked-edge training, drawn on the host from the run's {@link Random} in epoch order
     * (so a seed fixes them, whatever else runs in the process) and uploaded in chunks.
     */
    private static final class MaskPlan {
        private final List<int[]> edges;
        private final int nMask;
        private final int g;
        private final MaskedGraph graph;
        private final Random rnd;

        MaskPlan(List<int[]> edges, int nMask, int g, MaskedGraph graph, Random rnd) {
            this.edges = edges;
            this.nMask = nMask;
            this.g = g;
            this.graph = graph;
            this.rnd = rnd;
        }

        long bytesPerEpoch() {
            return 2L * nMask * Long.BYTES + 8L * nMask * Integer.BYTES;
        }

        /**
         * The next {@code epochs} epochs: hidden [e, 2·nMask] positions in the graph's entry list (int64, both
         * directions, {@link MaskedGraph#position}), src and dst [e, 4·nMask] (int32): hidden edges in both
         * directions (label 1), then as many uniformly random ordered pairs (label 0).
         */
        NDArray[] upload(NDManager manager, int first, int epochs) {
            long[] hidden = new long[epochs * 2 * nMask];
            int[] src = new int[epochs * 4 * nMask];
            int[] dst = new int[epochs * 4 * nMask];
            for (int e = 0; e < epochs; e++) {
                int h = e * 2 * nMask;
                int o = e * 4 * nMask;
                // Partial Fisher-Yates: the first nMask entries become a uniform sample of edges to hide.
                for (int q = 0; q < nMask; q++) {
                    int[] edge = swapIn(edges, q, rnd);
                    hidden[h + 2 * q] = graph.position(edge[0], edge[1]);
                    hidden[h + 2 * q + 1] = graph.position(edge[1], edge[0]);
                    src[o + 2 * q] = edge[0];
                    dst[o + 2 * q] = edge[1];
                    src[o + 2 * q + 1] = edge[1];
                    dst[o + 2 * q + 1] = edge[0];
                }
                for (int q = 2 * nMask; q < 4 * nMask; q++) {
                    int a = rnd.nextInt(g);
                    int b = rnd.nextInt(g - 1);
                    src[o + q] = a;
                    dst[o + q] = b >= a ? b + 1 : b;
                }
            }
            return new NDArray[] {manager.create(hidden, new Shape(epochs, 2L * nMask)),
                manager.create(src, new Shape(epochs, 4L * nMask)), manager.create(dst, new Shape(epochs, 4L * nMask))};
        }
    }
}
