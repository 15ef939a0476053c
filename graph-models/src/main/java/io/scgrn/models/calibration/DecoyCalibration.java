package io.scgrn.models.calibration;

import io.scgrn.models.CanonicalOrder;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Network;
import io.scgrn.models.PairSlots;
import io.scgrn.models.Progress;
import io.scgrn.models.numerics.DenseOperator;
import io.scgrn.models.numerics.KMeans;
import io.scgrn.models.numerics.RandomizedSvd;
import io.scgrn.models.numerics.Ranks;
import io.scgrn.models.numerics.Sampling;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-edge false-discovery estimates (q-values) for any {@link GrnModel}, by target–decoy competition in one model
 * run.
 *
 * <p>Before the model runs, {@code D} decoy genes are appended to the prepared matrix: each is a copy of a randomly
 * chosen non-constant gene whose values are shuffled over the cells (one independent permutation per decoy), so it
 * keeps that gene's distribution (zeros, scale, outliers) but is independent of every other gene. Decoys are never
 * regulators (their names are not in the TF list), only candidate targets, and they are added after preparation, so
 * gene selection cannot drop them. The model scores real and decoy targets in the same run, so the scores need not
 * mean anything absolute: models that rank-normalise within a dataset ({@code gnn}) rank decoy edges on the same
 * scale as real ones.
 *
 * <p>Every TF → decoy edge is a null edge. With {@code R(t)} real edges and {@code D(t)} decoy edges scoring at least
 * {@code t}, and {@code ratio} = real candidates / decoy candidates = (genes − 1) / decoys:
 * <pre>
 *   FDR(t) = min(1, (1 + D(t)) · ratio / R(t))        q(edge) = min over t ≤ score(edge) of FDR(t)
 * </pre>
 * The +1 (as in knockoff+ and target–decoy proteomics) keeps the estimate conservative when few decoys pass: on data
 * without structure decoys and real edges are exchangeable and every q is about 1. It also sets the resolution: the
 * smallest network that can reach q ≤ Q has {@code ratio / Q} edges (ratio 8: 160 edges at 5 %; ratio 1, the
 * finest, 20 edges). The null is
 * "target independent of every gene": edges explained by shared cell state, co-regulation or indirect regulation are
 * real associations to it, so q bounds the false discoveries of association, not of direct regulation
 * (docs/benchmarks.md, "Calibration", measures precision against known networks).
 *
 * <p>No null can be built, and the network gets q = NaN with a reason, when there are fewer than
 * {@value #MIN_CELLS} cells (a permutation of so few values is too coarse a null) or when every gene is constant.
 */
public final class DecoyCalibration {
    /** Decoy genes are named with this prefix and their index; never in the returned network. */
    public static final String DECOY_PREFIX = "scgrn:decoy:";
    /** Below this many cells (rows of the prepared matrix) no null is built. */
    public static final int MIN_CELLS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(DecoyCalibration.class);
    /** Mixed into the seed so decoy permutations do not reuse the model's random stream. */
    private static final long SEED_SALT = 0x5DEECE66DL;
    /** Principal components the cell-state strata are clustered on. */
    static final int STRATA_PCS = 10;
    /** At most this many strata, bounding k-means' cost on large data. */
    static final int MAX_STRATA = 64;
    /** k-means as the strata have always used it: at most 25 rounds, an emptied cluster re-drawn. */
    private static final KMeans.Options STRATA_KMEANS = new KMeans.Options(25, false,
            KMeans.EmptyCluster.RANDOM_COORDINATES);

    private DecoyCalibration() {
    }

    /**
     * How many decoys: {@code min(maxDecoys, max(ceil(fraction · genes), min(genes, minDecoys)))}; fraction 0
     * turns calibration off.
     *
     * @param fraction  decoys per real gene (0..4)
     * @param minDecoys at least this many (at most one per gene), so that small data, where decoys cost next to
     *                  nothing, gets a ratio near 1. Not more than one per gene: a model whose behaviour depends on
     *                  the number of genes (gnn drops its learned term on a handful of genes) must see data of
     *                  about the same size as without decoys.
     * @param maxDecoys at most this many, bounding the extra cost on large data
     */
    public record Settings(double fraction, int minDecoys, int maxDecoys, int cellsPerStratum)
            implements Serializable {
        public Settings {
            if (!(fraction >= 0 && fraction <= 4) || minDecoys < 1 || maxDecoys < minDecoys || cellsPerStratum < 0) {
                throw new IllegalArgumentException("decoy settings: fraction in 0..4, 1 <= min <= max, cells per "
                        + "stratum >= 0; got " + fraction + ", " + minDecoys + ", " + maxDecoys + ", "
                        + cellsPerStratum);
            }
        }

        /** Plain permutation over all cells (no strata). */
        public Settings withCellsPerStratum(int c) {
            return new Settings(fraction, minDecoys, maxDecoys, c);
        }

        /**
         * 1 decoy per 8 genes, at least 100 (or one per gene), at most 1,000: a 1,000-gene set gets 125 decoys
         * (ratio 8, 12.5 % more genes for the model; q ≤ 0.05 is reachable from 160 edges on), a 100-gene set 100
         * (ratio 1: from 20 edges on), a 19-gene set 19.
         */
        public static Settings defaults() {
            return new Settings(0.125, 100, 1000, 0);
        }

        /** Number of decoys for {@code genes} real genes (0 when off). */
        public int decoys(int genes) {
            if (fraction == 0 || genes == 0) {
                return 0;
            }
            int d = (int) Math.ceil(fraction * genes);
            return Math.min(maxDecoys, Math.max(d, Math.min(genes, minDecoys)));
        }
    }

    /**
     * What the calibration did.
     *
     * @param available whether edges carry q-values
     * @param reason    why not (null when available)
     * @param decoys    decoy genes added
     * @param ratio     real candidates per decoy candidate ((genes − 1) / decoys); NaN when not available
     * @param decoyEdgesScored decoy edges the model returned (models may omit zero-score pairs)
     * @param atFdr05   real edges with q ≤ 0.05 (−1 when not available)
     * @param atFdr10   real edges with q ≤ 0.10 (−1 when not available)
     * @param strata    cell-state strata the decoys were permuted within (1: all cells)
     * @param rankings  rankings an edge may be found by ({@link GrnModel#inferRanked}: 1, or more where the model
     *                  re-ranks a base model's ranking; see {@code eitherRanking})
     */
    public record Summary(boolean available, String reason, int decoys, double ratio, int decoyEdgesScored,
                          int atFdr05, int atFdr10, int strata, int rankings) implements Serializable {
        /** A summary without q-values, saying why. */
        public static Summary unavailable(String reason) {
            return new Summary(false, reason, 0, Double.NaN, 0, -1, -1, 0, 0);
        }

        /** For a manifest: method, available, reason or decoys / ratio / counts. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", "target-decoy (cell-permuted decoy genes as extra targets)");
            m.put("available", available);
            if (!available) {
                m.put("reason", reason);
                return m;
            }
            m.put("null", strata > 1 ? "cells permuted within " + strata + " cell-state strata (k-means on "
                    + STRATA_PCS + " principal components)" : "cells permuted");
            m.put("decoys", decoys);
            m.put("decoy_ratio", ratio);
            m.put("decoy_edges_scored", decoyEdgesScored);
            m.put("edges_fdr_05", atFdr05);
            m.put("edges_fdr_10", atFdr10);
            if (rankings > 1) {
                m.put("rankings", rankings);
                m.put("q", "an edge counts as found by the network's ranking or by the " + (rankings - 1)
                        + " ranking(s) it re-ranks: q = min(1, " + rankings + " × the smallest of their own q)");
            }
            return m;
        }
    }

    /**
     * A network with q-values and how they were obtained.
     *
     * @param network the model's network over the real genes only, edges carrying q (NaN when not available)
     */
    public record Result(Network network, Summary summary) {
        /** The edges with q ≤ {@code maxQ}; the whole network when q is not available. */
        public Network filter(double maxQ) {
            if (!summary.available()) {
                return network;
            }
            return new Network(network.edges().stream().filter(e -> e.q() <= maxQ).toList());
        }
    }

    /**
     * Runs {@code model} on {@code data} plus decoys and returns its network over the real genes with q-values.
     * When no null can be built the model runs on {@code data} alone and a one-line warning is logged. The model and
     * the decoys see {@code data} in its {@link CanonicalOrder}, so the file's cell and gene order does not change the
     * network.
     *
     * @param data cells × genes, prepared
     */
    public static Result infer(GrnModel model, ExpressionMatrix data, List<String> tfs, InferenceOptions options,
                               Progress progress, Settings settings) {
        data = CanonicalOrder.of(data);
        int nDecoys = settings.decoys(data.nGenes());
        String reason = null;
        List<Integer> sources = nonConstantGenes(data);
        if (nDecoys == 0) {
            reason = "calibration turned off";
        } else if (data.nCells() < MIN_CELLS) {
            reason = "fewer than " + MIN_CELLS + " cells (" + data.nCells() + ")";
        } else if (sources.isEmpty()) {
            reason = "every gene is constant";
        }
        if (reason != null) {
            if (nDecoys > 0) {
                LOG.warn("no false-discovery estimate (q = NaN): {}", reason);
            }
            return new Result(model.infer(data, tfs, options, progress), Summary.unavailable(reason));
        }
        int[] strata = strata(data, settings.cellsPerStratum(), options.seed() ^ SEED_SALT);
        int nStrata = Arrays.stream(strata).max().orElse(0) + 1;
        Augmented aug = augment(data, sources, nDecoys, strata, new Random(options.seed() ^ SEED_SALT));
        ExpressionMatrix augmented = aug.data();
        GrnModel.Ranked ranked = model.inferRanked(augmented, tfs, withDecoyPrior(options, aug.sources())
                .withDecoySources(aug.sources()), progress);
        Set<String> decoyNames = new HashSet<>(augmented.genes().subList(data.nGenes(), augmented.nGenes()));
        Split split = split(ranked.network(), decoyNames);
        List<Edge> real = split.real();
        double ratio = (data.nGenes() - 1) / (double) nDecoys;
        double[] q = qValues(real.stream().mapToDouble(Edge::score).toArray(), split.decoyScores(), ratio);
        if (!ranked.parts().isEmpty()) {
            q = eitherRanking(real, q, ranked.parts(), decoyNames, ratio);
        }
        List<Edge> out = new ArrayList<>(real.size());
        int at05 = 0;
        int at10 = 0;
        for (int i = 0; i < real.size(); i++) {
            out.add(real.get(i).withQ(q[i]));
            at05 += q[i] <= 0.05 ? 1 : 0;
            at10 += q[i] <= 0.10 ? 1 : 0;
        }
        return new Result(new Network(out), new Summary(true, null, nDecoys, ratio, split.decoyScores().length, at05,
                at10, nStrata, 1 + ranked.parts().size()));
    }

    /** A network's edges to real targets, and the scores of its edges to decoy targets. */
    private record Split(List<Edge> real, double[] decoyScores) {
    }

    private static Split split(Network all, Set<String> decoyNames) {
        List<Edge> real = new ArrayList<>();
        List<Double> decoyScores = new ArrayList<>();
        for (Edge e : all.edges()) {
            if (decoyNames.contains(e.tf())) {
                continue; // a model that ignores the TF list: decoy regulators are not part of the null
            }
            if (decoyNames.contains(e.target())) {
                decoyScores.add(e.score());
            } else {
                real.add(e);
            }
        }
        return new Split(real, decoyScores.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * q of an edge found by the network's ranking or by any of {@code parts} (rankings of the same pairs it was
     * combined from): each ranking's own target–decoy q, and {@code min(1, k · min_i q_i)} over the k rankings. The
     * edges with that q ≤ Q are the union of every ranking's edges at q_i ≤ Q / k, and a union's false-discovery
     * proportion is at most the sum of its parts' (V/R ≤ Σ V_i / R_i when R ≥ every R_i), so it is at most Q. A pair
     * a part does not score counts as not found by it.
     *
     * @param real  the network's real edges
     * @param q     their q in the network's own ranking
     * @return q per real edge, in the order of {@code real}
     */
    static double[] eitherRanking(List<Edge> real, double[] q, List<Network> parts, Set<String> decoyNames,
                                  double ratio) {
        int k = 1 + parts.size();
        double[] best = q.clone();
        for (Network part : parts) {
            Split s = split(part, decoyNames);
            double[] qp = qValues(s.real().stream().mapToDouble(Edge::score).toArray(), s.decoyScores(), ratio);
            PairSlots slots = new PairSlots(List.of(real, s.real()));
            double[] byPair = slots.none();
            for (int i = 0; i < qp.length; i++) {
                byPair[slots.of(s.real().get(i))] = qp[i];
            }
            for (int i = 0; i < best.length; i++) {
                double v = byPair[slots.of(real.get(i))];
                if (v < best[i]) {
                    best[i] = v;
                }
            }
        }
        double[] out = new double[best.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(1.0, k * best[i]);
        }
        return out;
    }

    /**
     * q-values of real edges by target–decoy competition (see the class comment).
     *
     * @param real  real edge scores, in any order
     * @param decoy decoy edge scores
     * @param ratio real candidates per decoy candidate
     * @return q per real edge, in the order of {@code real}; non-increasing in score, ties share one value
     */
    public static double[] qValues(double[] real, double[] decoy, double ratio) {
        int n = real.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Best first; NaN scores rank last.
        Arrays.sort(order, (a, b) -> Double.compare(key(real[b]), key(real[a])));
        double[] d = decoy.clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = key(d[i]);
        }
        Arrays.sort(d); // ascending; decoys ≥ t = d.length − (first index with d ≥ t)
        double[] fdr = new double[n];
        int i = 0;
        while (i < n) {
            double t = key(real[order[i]]);
            int k = i;
            while (k + 1 < n && key(real[order[k + 1]]) == t) {
                k++;
            }
            int decoysAbove = d.length - Ranks.lowerBound(d, t);
            double f = Math.min(1.0, (1 + decoysAbove) * ratio / (k + 1));
            for (int j = i; j <= k; j++) {
                fdr[j] = f;
            }
            i = k + 1;
        }
        double[] q = new double[n];
        double running = 1.0;
        for (int j = n - 1; j >= 0; j--) {
            running = Math.min(running, fdr[j]);
            q[order[j]] = running;
        }
        return q;
    }

    private static double key(double score) {
        return Double.isNaN(score) ? Double.NEGATIVE_INFINITY : score;
    }

    /**
     * Cell-state strata: k-means (Lloyd, k-means++ start, 25 rounds) on {@value #STRATA_PCS} principal components
     * of the prepared matrix, {@code n / cellsPerStratum} clusters (at most {@value #MAX_STRATA}); all cells in
     * stratum 0 when {@code cellsPerStratum} is 0 or there are too few cells for two strata.
     */
    static int[] strata(ExpressionMatrix data, int cellsPerStratum, long seed) {
        int n = data.nCells();
        int k = cellsPerStratum == 0 ? 1 : Math.min(MAX_STRATA, n / cellsPerStratum);
        if (k < 2) {
            return new int[n];
        }
        float[] v = data.values();
        int g = data.nGenes();
        RandomizedSvd.Result svd = RandomizedSvd.compute(new DenseOperator(v, n, g,
                DenseOperator.columnMeans(v, n, g)), STRATA_PCS, 10, 2, seed);
        return kMeans(svd.scores(), n, svd.k(), k, new Random(seed));
    }

    /**
     * {@link KMeans} of {@code n} points of dimension {@code d} (row-major) into {@code k} clusters, labels
     * compacted to 0..K−1 (empty clusters dropped).
     */
    static int[] kMeans(double[] x, int n, int d, int k, Random rnd) {
        int[] label = KMeans.cluster(x, n, d, k, rnd, STRATA_KMEANS);
        // Compact labels (empty clusters dropped) so that strata are 0..K-1.
        int[] map = new int[k];
        Arrays.fill(map, -1);
        int next = 0;
        for (int i = 0; i < n; i++) {
            if (map[label[i]] < 0) {
                map[label[i]] = next++;
            }
            label[i] = map[label[i]];
        }
        return label;
    }

    /** Genes whose values are finite and not all equal: a permuted copy of a constant gene is no null. */
    static List<Integer> nonConstantGenes(ExpressionMatrix data) {
        int n = data.nCells();
        int g = data.nGenes();
        float[] v = data.values();
        float[] first = new float[g];
        boolean[] varies = new boolean[g];
        boolean[] bad = new boolean[g];
        for (int c = 0; c < n; c++) {
            int row = c * g;
            for (int j = 0; j < g; j++) {
                float x = v[row + j];
                if (!Float.isFinite(x)) {
                    bad[j] = true;
                } else if (c == 0) {
                    first[j] = x;
                } else if (x != first[j]) {
                    varies[j] = true;
                }
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int j = 0; j < g; j++) {
            if (varies[j] && !bad[j]) {
                out.add(j);
            }
        }
        return out;
    }

    /**
     * {@code options} whose prior also gives every decoy its source gene's prior edges (the same TF, score and sign):
     * a prior (a user's {@code --prior}, or any side information a model turns into TF → target edges) raises the
     * pairs it names, and a decoy without them would lose to every real target the prior names, true or not, so q
     * would count the prior as discovery (a random prior on permuted expression put 259 of 15,960 pairs at q ≤ 0.05;
     * docs/benchmarks.md, "Calibration: the model is told which gene each decoy copies, and decoys get their
     * sources' prior (lead, session 24)").
     * Unchanged without a prior.
     *
     * @param sources decoy name → the gene it copies
     */
    static InferenceOptions withDecoyPrior(InferenceOptions options, Map<String, String> sources) {
        if (options.prior().isEmpty() || sources.isEmpty()) {
            return options;
        }
        return options.withPrior(decoyPrior(options.prior(), sources));
    }

    /**
     * {@code prior} followed by, for every decoy of {@code sources}, its source gene's prior edges under the decoy's
     * name (same TF, score and sign; decoys of one source in name order): the null meets the same side information
     * as the gene it copies. {@code prior} itself when there are no decoys.
     *
     * @param sources decoy name → the gene it copies ({@link InferenceOptions#decoySources})
     */
    public static List<Edge> decoyPrior(List<Edge> prior, Map<String, String> sources) {
        if (sources.isEmpty()) {
            return prior;
        }
        Map<String, List<String>> decoysOf = new HashMap<>();
        sources.forEach((decoy, src) -> decoysOf.computeIfAbsent(src, k -> new ArrayList<>()).add(decoy));
        decoysOf.values().forEach(Collections::sort);
        List<Edge> out = new ArrayList<>(prior);
        for (Edge e : prior) {
            for (String decoy : decoysOf.getOrDefault(e.target(), List.of())) {
                out.add(new Edge(e.tf(), decoy, e.score(), e.sign(), e.stability()));
            }
        }
        return out;
    }

    /**
     * {@code data} with {@code nDecoys} columns appended, each a cell-permuted copy of a gene from {@code sources}
     * (sampled without replacement while they last).
     */
    static ExpressionMatrix withDecoys(ExpressionMatrix data, List<Integer> sources, int nDecoys, int[] strata,
                                       Random rnd) {
        return augment(data, sources, nDecoys, strata, rnd).data();
    }

    /**
     * Data with decoy columns appended, and the real gene each decoy copies.
     *
     * @param data    cells × (genes + decoys)
     * @param sources decoy name → name of the gene it is a cell-permuted copy of
     */
    record Augmented(ExpressionMatrix data, Map<String, String> sources) {
    }

    /** {@link #withDecoys}, with each decoy's source gene. */
    static Augmented augment(ExpressionMatrix data, List<Integer> sources, int nDecoys, int[] strata, Random rnd) {
        int n = data.nCells();
        int g = data.nGenes();
        int w = g + nDecoys;
        List<Integer> pool = new ArrayList<>(sources);
        int[] src = new int[nDecoys];
        for (int k = 0; k < nDecoys; k++) {
            if (k % pool.size() == 0) {
                Collections.shuffle(pool, rnd);
            }
            src[k] = pool.get(k % pool.size());
        }
        float[] v = data.values();
        float[] out = new float[n * w];
        for (int c = 0; c < n; c++) {
            System.arraycopy(v, c * g, out, c * w, g);
        }
        // Cells grouped by stratum: a permutation within each group keeps every cell's stratum.
        int nStrata = Arrays.stream(strata).max().orElse(0) + 1;
        int[][] members = new int[nStrata][];
        int[] size = new int[nStrata];
        for (int st : strata) {
            size[st]++;
        }
        for (int t = 0; t < nStrata; t++) {
            members[t] = new int[size[t]];
            size[t] = 0;
        }
        for (int c = 0; c < n; c++) {
            members[strata[c]][size[strata[c]]++] = c;
        }
        int[] perm = new int[n];
        for (int k = 0; k < nDecoys; k++) {
            for (int[] m : members) {
                int[] shuffled = m.clone();
                Sampling.shuffle(shuffled, rnd);
                for (int i = 0; i < m.length; i++) {
                    perm[m[i]] = shuffled[i];
                }
            }
            for (int c = 0; c < n; c++) {
                out[c * w + g + k] = v[perm[c] * g + src[k]];
            }
        }
        Set<String> taken = new HashSet<>(data.genes());
        List<String> genes = new ArrayList<>(data.genes());
        Map<String, String> copies = new HashMap<>();
        for (int k = 0; k < nDecoys; k++) {
            String name = DECOY_PREFIX + k;
            while (!taken.add(name)) {
                name = name + "'";
            }
            genes.add(name);
            copies.put(name, data.genes().get(src[k]));
        }
        return new Augmented(new ExpressionMatrix(out, data.cells(), genes), copies);
    }
}
