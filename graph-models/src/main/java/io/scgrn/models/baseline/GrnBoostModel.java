package io.scgrn.models.baseline;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelInputs;
import io.scgrn.models.ModelParams;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * GRNBoost2-equivalent: for every target gene, stochastic gradient boosting of depth-3 regression trees on the
 * expression of the TFs (the target itself excluded), with arboreto's settings — learning rate 0.01, 10 % of the
 * features tried at each split, 90 % of the cells per tree, up to 5,000 trees with early stopping when the mean
 * out-of-bag improvement over the last 25 trees turns negative. The score of TF → target is the TF's gain-based
 * importance (squared-error decrease summed over the target's trees, normalised to sum to the number of trees, as
 * arboreto reports scikit-learn's {@code feature_importances_ × n_estimators}); pairs with zero importance are
 * left out, as arboreto does. The sign is that of the Pearson correlation.
 *
 * <p>Unlike scikit-learn, split thresholds are searched on at most {@code bins} quantile bins per TF (exact when a
 * TF has fewer distinct values), computed once; targets are fitted in parallel, each with its own random stream
 * derived from the seed, so the result does not depend on the thread count.
 *
 * <p>Parameters: {@code learning-rate}, {@code max-trees}, {@code max-features} (fraction), {@code subsample},
 * {@code max-depth} (1..6), {@code early-stop-window}, {@code bins} (2..256), {@code max-edges}.
 */
public final class GrnBoostModel implements GrnModel {
    private static final List<String> PARAMS = List.of("learning-rate", "max-trees", "max-features", "subsample",
            "max-depth", "early-stop-window", "bins", "max-edges");

    /** Hyper-parameters; {@link #defaults()} are arboreto's GRNBoost2 settings. */
    public record Settings(double learningRate, int maxTrees, double maxFeatures, double subsample, int maxDepth,
                           int earlyStopWindow, int bins) {
        public static Settings defaults() {
            return new Settings(0.01, 5000, 0.1, 0.9, 3, 25, 64);
        }

        static Settings from(Map<String, String> p) {
            Settings d = defaults();
            return new Settings(ModelParams.doubleValue(p, "learning-rate", d.learningRate, 1e-6, 1),
                    ModelParams.intValue(p, "max-trees", d.maxTrees, 1, 1_000_000),
                    ModelParams.doubleValue(p, "max-features", d.maxFeatures, 1e-6, 1),
                    ModelParams.doubleValue(p, "subsample", d.subsample, 1e-3, 1),
                    ModelParams.intValue(p, "max-depth", d.maxDepth, 1, 6),
                    ModelParams.intValue(p, "early-stop-window", d.earlyStopWindow, 0, 1_000_000),
                    ModelParams.intValue(p, "bins", d.bins, 2, 256));
        }
    }

    @Override
    public String name() {
        return "grnboost";
    }

    @Override
    public void checkParams(Map<String, String> params) {
        ModelParams.check(params, PARAMS);
        Settings.from(params);
        ModelParams.intValue(params, "max-edges", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
    }

    /**
     * @param data cells × genes (log-normalised expression)
     * @return TF → target edges with positive importance, best first
     */
    @Override
    public Network infer(ExpressionMatrix data, List<String> tfs, InferenceOptions options, Progress progress) {
        checkParams(options.params());
        Settings s = Settings.from(options.params());
        int maxEdges = ModelParams.intValue(options.params(), "max-edges", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        int[] tfIdx = ModelInputs.tfIndices(data, tfs);
        double[][] r = CorrelationModel.correlations(data, tfIdx, false, Progress.NONE);
        double[][] importance = importances(data, tfIdx, s, options.seed(), progress);
        int nGenes = data.nGenes();

        List<Edge> edges = new ArrayList<>();
        List<String> genes = data.genes();
        for (int g = 0; g < nGenes; g++) {
            for (int t = 0; t < tfIdx.length; t++) {
                double imp = importance[g][t];
                if (imp > 0 && tfIdx[t] != g) {
                    edges.add(new Edge(genes.get(tfIdx[t]), genes.get(g), imp, (int) Math.signum(r[t][g]),
                            Double.NaN));
                }
            }
        }
        Network net = new Network(edges);
        return maxEdges < net.size() ? net.top(maxEdges) : net;
    }

    /**
     * Every target's boosted-tree importances of the regulators: targets in parallel, each with its own random
     * stream from {@code seed} (the result does not depend on the thread count).
     *
     * @param tfIdx gene indices of the regulators
     * @return [nGenes][tfIdx.length]: importance of TF {@code tfIdx[t]} for target g (0 for the target itself)
     */
    public static double[][] importances(ExpressionMatrix data, int[] tfIdx, Settings s, long seed,
                                         Progress progress) {
        progress.phase("bin");
        double[][] cols = columns(data);
        byte[][] bins = new byte[tfIdx.length][];
        IntStream.range(0, tfIdx.length).parallel().forEach(t -> bins[t] = bin(cols[tfIdx[t]], s.bins));
        progress.phase("train");
        int nGenes = data.nGenes();
        double[][] importance = new double[nGenes][];
        AtomicInteger done = new AtomicInteger();
        IntStream.range(0, nGenes).parallel().forEach(g -> {
            ModelInputs.checkCancelled(progress);
            importance[g] = fitTarget(cols[g], g, tfIdx, bins, s, seed);
            progress.fraction((double) done.incrementAndGet() / nGenes);
        });
        return importance;
    }

    /**
     * Like {@link #importances}, but each target's trees see only its own candidate regulators (rows of
     * {@code tfIdx}): cheap when the candidates are few, e.g. the top-ranked regulators of another method.
     *
     * @param candidates per target gene, the TF rows (indices into {@code tfIdx}) its trees may split on; the target
     *                   itself is skipped
     * @return [nGenes][tfIdx.length]: importance of TF row t for target g, 0 outside the target's candidates
     */
    public static double[][] importancesAmong(ExpressionMatrix data, int[] tfIdx, int[][] candidates, Settings s,
                                              long seed) {
        double[][] cols = columns(data);
        byte[][] bins = new byte[tfIdx.length][];
        IntStream.range(0, tfIdx.length).parallel().forEach(t -> bins[t] = bin(cols[tfIdx[t]], s.bins));
        int nGenes = data.nGenes();
        double[][] importance = new double[nGenes][tfIdx.length];
        IntStream.range(0, nGenes).parallel().forEach(g -> {
            int[] c = candidates[g];
            int[] sub = new int[c.length];
            byte[][] subBins = new byte[c.length][];
            for (int q = 0; q < c.length; q++) {
                sub[q] = tfIdx[c[q]];
                subBins[q] = bins[c[q]];
            }
            double[] imp = fitTarget(cols[g], g, sub, subBins, s, seed);
            for (int q = 0; q < c.length; q++) {
                importance[g][c[q]] = imp[q];
            }
        });
        return importance;
    }

    /**
     * Held-out R² of one target's boosted trees: fitted on the {@code train} cells only (bagging among them), scored on
     * the {@code test} cells against the training mean. {@code features} index {@code bins} (binned regulators).
     */
    public static double heldOutR2(double[] y, int[] features, byte[][] bins, int[] train, int[] test, Settings s,
                                   long seed) {
        int n = y.length;
        double mean = 0;
        for (int c : train) {
            mean += y[c];
        }
        mean /= train.length;
        double[] pred = new double[n];
        Arrays.fill(pred, mean);
        double[] resid = new double[n];
        int[] cells = train.clone();
        int nIn = Math.max(1, (int) (s.subsample * cells.length));
        int k = Math.max(1, (int) (s.maxFeatures * features.length));
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x2545F4914F6CDD1DL);
        Tree tree = new Tree(s.maxDepth, Math.min(s.bins, 256));
        double[] gain = new double[bins.length];
        for (int it = 0; it < s.maxTrees && features.length > 0; it++) {
            for (int c : cells) {
                resid[c] = y[c] - pred[c];
            }
            for (int i = 0; i < nIn && nIn < cells.length; i++) {
                int j = i + rnd.nextInt(cells.length - i);
                int tmp = cells[i];
                cells[i] = cells[j];
                cells[j] = tmp;
            }
            tree.fit(cells, nIn, resid, bins, features, k, rnd, gain);
            tree.update(pred, bins, s.learningRate);
        }
        double sse = 0;
        double sst = 0;
        for (int c : test) {
            sse += (y[c] - pred[c]) * (y[c] - pred[c]);
            sst += (y[c] - mean) * (y[c] - mean);
        }
        return sst > 0 ? 1 - sse / sst : 0;
    }

    /**
     * Quantile bins of one feature: bin codes 0..nb-1 (unsigned bytes), monotone in the value. With at most
     * {@code maxBins} distinct values every value gets its own bin.
     */
    static byte[] bin(double[] x, int maxBins) {
        int n = x.length;
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double[] distinct = new double[n];
        int nd = 0;
        for (int i = 0; i < n; i++) {
            if (nd == 0 || sorted[i] != distinct[nd - 1]) {
                distinct[nd++] = sorted[i];
            }
        }
        double[] upper; // inclusive upper edge of each bin
        if (nd <= maxBins) {
            upper = Arrays.copyOf(distinct, nd);
        } else {
            double[] edges = new double[maxBins];
            int ne = 0;
            for (int b = 1; b <= maxBins; b++) {
                double v = b == maxBins ? sorted[n - 1] : sorted[(int) Math.min(n - 1, (long) b * n / maxBins)];
                if (ne == 0 || v > edges[ne - 1]) {
                    edges[ne++] = v;
                }
            }
            upper = Arrays.copyOf(edges, ne);
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int b = Arrays.binarySearch(upper, x[i]);
            out[i] = (byte) (b >= 0 ? b : -b - 1);
        }
        return out;
    }

    /** One target's boosted trees; returns the per-TF importance (indexed like tfIdx). */
    static double[] fitTarget(double[] y, int target, int[] tfIdx, byte[][] bins, Settings s, long seed) {
        int n = y.length;
        int nTf = tfIdx.length;
        double[] imp = new double[nTf];
        int[] features = IntStream.range(0, nTf).filter(t -> tfIdx[t] != target).toArray();
        if (features.length == 0) {
            return imp;
        }
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= n;
        double[] pred = new double[n];
        Arrays.fill(pred, mean);
        double[] resid = new double[n];
        int nIn = Math.max(1, (int) (s.subsample * n));
        boolean oob = nIn < n;
        int k = Math.max(1, (int) (s.maxFeatures * features.length));
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L * (target + 1));
        int[] cells = IntStream.range(0, n).toArray();
        Tree tree = new Tree(s.maxDepth, Math.min(s.bins, 256));
        double[] window = new double[Math.max(1, s.earlyStopWindow)];
        double windowSum = 0;
        int trees = 0;
        double[] gainTotal = new double[nTf];
        for (int it = 0; it < s.maxTrees; it++) {
            for (int c = 0; c < n; c++) {
                resid[c] = y[c] - pred[c];
            }
            // partial Fisher-Yates: cells[0..nIn) is the bag, the rest out-of-bag
            for (int i = 0; i < nIn && oob; i++) {
                int j = i + rnd.nextInt(n - i);
                int tmp = cells[i];
                cells[i] = cells[j];
                cells[j] = tmp;
            }
            double oldOob = 0;
            for (int i = nIn; i < n; i++) {
                oldOob += resid[cells[i]] * resid[cells[i]];
            }
            // a tree without a split is still a stage (its leaf is the in-bag mean residual), as in scikit-learn
            tree.fit(cells, nIn, resid, bins, features, k, rnd, gainTotal);
            trees++;
            tree.update(pred, bins, s.learningRate);
            if (oob && s.earlyStopWindow > 0) {
                double newOob = 0;
                for (int i = nIn; i < n; i++) {
                    double d = y[cells[i]] - pred[cells[i]];
                    newOob += d * d;
                }
                double improvement = (oldOob - newOob) / (n - nIn);
                int slot = it % window.length;
                windowSum += improvement - (it >= window.length ? window[slot] : 0);
                window[slot] = improvement;
                if (windowSum / Math.min(it + 1, window.length) < 0) {
                    break;
                }
            }
        }
        double total = 0;
        for (double v : gainTotal) {
            total += v;
        }
        if (total > 0) {
            for (int t = 0; t < nTf; t++) {
                imp[t] = gainTotal[t] / total * trees;
            }
        }
        return imp;
    }

    /** A reusable depth-limited regression tree over binned features, stored as a complete binary tree. */
    static final class Tree {
        private final int maxDepth;
        private final int[] feature;
        private final int[] threshold;
        private final double[] value;
        private final double[] histSum;
        private final int[] histCount;
        private int[] featPool = new int[0];
        private double[] nodeResid = new double[0];

        Tree(int maxDepth, int maxBins) {
            this.maxDepth = maxDepth;
            int nodes = (1 << (maxDepth + 1)) - 1;
            feature = new int[nodes];
            threshold = new int[nodes];
            value = new double[nodes];
            histSum = new double[maxBins];
            histCount = new int[maxBins];
        }

        /**
         * Fits residuals on cells[0..nIn); adds each split's squared-error decrease to {@code gain}. Returns
         * whether any split was made.
         */
        boolean fit(int[] cells, int nIn, double[] resid, byte[][] bins, int[] features, int k,
                    SplittableRandom rnd, double[] gain) {
            if (featPool.length != features.length) {
                featPool = features.clone();
            }
            if (nodeResid.length < nIn) {
                nodeResid = new double[cells.length];
            }
            Arrays.fill(feature, -1);
            return grow(0, 0, cells, 0, nIn, resid, bins, k, rnd, gain);
        }

        private boolean grow(int node, int depth, int[] cells, int lo, int hi, double[] resid, byte[][] bins, int k,
                             SplittableRandom rnd, double[] gain) {
            int n = hi - lo;
            double sum = 0;
            for (int i = lo; i < hi; i++) {
                sum += resid[cells[i]];
            }
            value[node] = n == 0 ? 0 : sum / n;
            feature[node] = -1;
            if (depth >= maxDepth || n < 2) {
                return false;
            }
            double parentScore = sum * sum / n;
            // the node's residuals in cell order, read once instead of once per tried feature
            double[] rl = nodeResid;
            for (int i = lo; i < hi; i++) {
                rl[i - lo] = resid[cells[i]];
            }
            double bestGain = 1e-12 * Math.max(1, Math.abs(parentScore));
            int bestF = -1;
            int bestB = -1;
            // draw k features without replacement (partial Fisher-Yates over the pool)
            int m = featPool.length;
            for (int j = 0; j < k && j < m; j++) {
                int r = j + rnd.nextInt(m - j);
                int f = featPool[r];
                featPool[r] = featPool[j];
                featPool[j] = f;
                byte[] fb = bins[f];
                int nb = 0;
                for (int i = lo; i < hi; i++) {
                    int b = fb[cells[i]] & 0xFF;
                    histSum[b] += rl[i - lo];
                    histCount[b]++;
                    if (b >= nb) {
                        nb = b + 1;
                    }
                }
                double sl = 0;
                int nl = 0;
                for (int b = 0; b < nb - 1; b++) {
                    sl += histSum[b];
                    nl += histCount[b];
                    if (nl == 0 || nl == n) {
                        continue;
                    }
                    double sr = sum - sl;
                    int nr = n - nl;
                    double g = sl * sl / nl + sr * sr / nr - parentScore;
                    if (g > bestGain) {
                        bestGain = g;
                        bestF = f;
                        bestB = b;
                    }
                }
                Arrays.fill(histSum, 0, nb, 0);
                Arrays.fill(histCount, 0, nb, 0);
            }
            if (bestF < 0) {
                return false;
            }
            feature[node] = bestF;
            threshold[node] = bestB;
            gain[bestF] += bestGain;
            byte[] fb = bins[bestF];
            int i = lo;
            int j = hi - 1;
            while (i <= j) {
                if ((fb[cells[i]] & 0xFF) <= bestB) {
                    i++;
                } else {
                    int tmp = cells[i];
                    cells[i] = cells[j];
                    cells[j] = tmp;
                    j--;
                }
            }
            grow(2 * node + 1, depth + 1, cells, lo, i, resid, bins, k, rnd, gain);
            grow(2 * node + 2, depth + 1, cells, i, hi, resid, bins, k, rnd, gain);
            return true;
        }

        /** pred[c] += rate × leaf value, for every cell (in-bag and out-of-bag). */
        void update(double[] pred, byte[][] bins, double rate) {
            for (int c = 0; c < pred.length; c++) {
                int node = 0;
                while (feature[node] >= 0) {
                    node = (bins[feature[node]][c] & 0xFF) <= threshold[node] ? 2 * node + 1 : 2 * node + 2;
                }
                pred[c] += rate * value[node];
            }
        }
    }

    /** Quantile bins ({@link #bin}) of each of the given genes' values, 64 bins at most. */
    public static byte[][] binnedGenes(ExpressionMatrix data, int[] genes, int maxBins) {
        double[][] cols = columns(data);
        byte[][] out = new byte[genes.length][];
        IntStream.range(0, genes.length).parallel().forEach(t -> out[t] = bin(cols[genes[t]], maxBins));
        return out;
    }

    /** Gene-major copy: {@code out[g][c]}, as doubles. */
    static double[][] columns(ExpressionMatrix data) {
        int n = data.nCells();
        int g = data.nGenes();
        double[][] out = new double[g][n];
        float[] v = data.values();
        for (int c = 0; c < n; c++) {
            int base = c * g;
            for (int j = 0; j < g; j++) {
                out[j][c] = v[base + j];
            }
        }
        return out;
    }
}
