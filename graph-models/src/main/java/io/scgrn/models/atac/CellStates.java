package io.scgrn.models.atac;

import io.scgrn.models.Edge;
import io.scgrn.models.Network;
import io.scgrn.models.numerics.Correlations;
import io.scgrn.models.numerics.KMeans;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * TF → gene co-expression within cell states. Cell states are k-means clusters of the joint RNA + ATAC embedding
 * ({@link Metacells#jointEmbedding}); each gene's log expression is centred on its state's mean before the Pearson
 * correlation, so two genes that merely mark the same state (cell-type confounding) no longer correlate, while a
 * TF and its target that co-vary inside states still do. Chromatin helps define the states: the ATAC block of the
 * embedding separates states whose RNA differs little.
 */
public final class CellStates {
    /** States by default: enough to split the major cell types without leaving a few cells per state. */
    public static final int DEFAULT_STATES = 8;
    /** k-means as the cell states have always used it: at most 50 rounds, an emptied cluster keeps its centre. */
    private static final KMeans.Options STATE_KMEANS = new KMeans.Options(50, true, KMeans.EmptyCluster.KEEP_CENTRE);

    private CellStates() {
    }

    /** State (0..k−1) of each cell: k-means on the joint embedding. */
    public static int[] states(MultiomeData data, int k, AtacSettings s) {
        double[] emb = Metacells.jointEmbedding(data, s.dims(), s.rnaWeight(), s.seed());
        return cluster(emb, data.nCells(), emb.length / data.nCells(), k, s.seed());
    }

    /**
     * State (0..k−1) of each cell from its chromatin alone: k-means on the ATAC LSI ({@link AtacTransforms#lsi},
     * {@code dims} components, the joint embedding's ATAC block).
     */
    public static int[] atacStates(MultiomeData data, int k, AtacSettings s) {
        double[] lsi = AtacTransforms.lsi(data.atac(), s.dims(), s.seed() + 1);
        return cluster(lsi, data.nCells(), lsi.length / data.nCells(), k, s.seed());
    }

    /**
     * State (0..k−1) of each cell from its RNA alone: k-means on the first {@code dims} principal components of the
     * standardised log expression ({@link Metacells#rnaPca}); for data without ATAC (crowd's within-state terms).
     *
     * @param x cells × genes log expression, row-major
     */
    public static int[] rnaStates(float[] x, int n, int g, int k, int dims, long seed) {
        return rnaStates(x, n, g, k, dims, seed, 1);
    }

    /**
     * {@link #rnaStates(float[], int, int, int, int, long)} with the lowest-inertia clustering of {@code starts}
     * k-means++ starts ({@link KMeans#clusterBest}); one start gives the same states.
     */
    public static int[] rnaStates(float[] x, int n, int g, int k, int dims, long seed, int starts) {
        double[] emb = Metacells.rnaPca(x, n, g, dims, seed);
        return cluster(emb, n, emb.length / n, k, seed, starts);
    }

    /**
     * kNN-smoothed expression (crowd's {@code smooth}, round 8): each cell's row replaced by the mean of itself and
     * its {@code k} nearest cells (Euclidean, in the first {@code dims} principal components of the standardised log
     * expression, {@link Metacells#rnaPca}; brute force, O(n² dims)), the imputation that metacell methods use
     * against dropout.
     *
     * @param x cells × genes log expression, row-major (not modified)
     * @return a new cells × genes matrix
     */
    public static float[] knnSmooth(float[] x, int n, int g, int k, int dims, long seed) {
        double[] emb = Metacells.rnaPca(x, n, g, dims, seed);
        int[][] nb = Metacells.knn(emb, n, emb.length / n, Math.min(n, k + 1));
        float[] out = new float[n * g];
        double[] acc = new double[g];
        for (int c = 0; c < n; c++) {
            Arrays.fill(acc, 0);
            for (int o : nb[c]) {
                for (int j = 0; j < g; j++) {
                    acc[j] += x[o * g + j];
                }
            }
            for (int j = 0; j < g; j++) {
                out[c * g + j] = (float) (acc[j] / nb[c].length);
            }
        }
        return out;
    }

    /**
     * Seeded {@link KMeans} of {@code n} rows × {@code d} (row-major) into {@code k} states (at most {@code n}).
     *
     * @return state 0..k−1 of each row
     */
    static int[] cluster(double[] x, int n, int d, int k, long seed) {
        return cluster(x, n, d, k, seed, 1);
    }

    /** {@link #cluster(double[], int, int, int, long)} keeping the lowest-inertia of {@code starts} runs. */
    private static int[] cluster(double[] x, int n, int d, int k, long seed, int starts) {
        return KMeans.clusterBest(x, n, d, k, new SplittableRandom(seed * 977 + 13), STATE_KMEANS, starts);
    }

    /** x (rows × cols, row-major) minus the mean of its row's state, in place (sums in double); returns x. */
    public static float[] residual(float[] x, int rows, int cols, int[] state) {
        int k = KMeans.clusters(state);
        double[] sum = new double[k * cols];
        int[] count = new int[k];
        for (int r = 0; r < rows; r++) {
            count[state[r]]++;
            for (int j = 0; j < cols; j++) {
                sum[state[r] * cols + j] += x[r * cols + j];
            }
        }
        for (int r = 0; r < rows; r++) {
            int o = state[r] * cols;
            for (int j = 0; j < cols; j++) {
                x[r * cols + j] -= (float) (sum[o + j] / count[state[r]]);
            }
        }
        return x;
    }

    /** State of each metacell: the most common state among its member cells (a tie goes to the lowest state). */
    public static int[] metacellStates(int[][] members, int[] cellState) {
        int k = KMeans.clusters(cellState);
        int[] out = new int[members.length];
        int[] count = new int[k];
        for (int m = 0; m < members.length; m++) {
            Arrays.fill(count, 0);
            for (int c : members[m]) {
                count[cellState[c]]++;
            }
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (count[j] > count[best]) {
                    best = j;
                }
            }
            out[m] = best;
        }
        return out;
    }

    /**
     * The metacells' RNA and ATAC profiles each centred within the metacells' states ({@link #metacellStates}); the
     * members stay. Between-state differences (a TF and a peak both higher in one cell type) leave the profiles.
     */
    public static Metacells withinStates(Metacells meta, int[] cellState, int nGenes, int nPeaks) {
        int[] ms = metacellStates(meta.members(), cellState);
        return new Metacells(meta.nMeta(), meta.members(), residual(meta.rna().clone(), meta.nMeta(), nGenes, ms),
                residual(meta.atac().clone(), meta.nMeta(), nPeaks, ms));
    }

    /**
     * Signed within-state correlation of every TF (among the RNA genes) with every other gene, best |r| first.
     *
     * @param data  paired data (cells × genes log expression)
     * @param tfs   candidate regulators
     * @param state state of each cell, from {@link #states}
     * @return edges with score |r| and sign of r
     */
    public static List<Edge> withinStateCorrelation(MultiomeData data, List<String> tfs, int[] state) {
        return withinStateCorrelation(data.rna(), data.nCells(), data.genes(), tfs, state, null);
    }

    /**
     * {@link #withinStateCorrelation(MultiomeData, List, int[])} of a cells × genes row-major log-expression matrix,
     * for the target genes in {@code targets} only (null: every gene).
     *
     * @param x       cells × genes values, row-major
     * @param n       cells
     * @param genes   gene names (columns)
     * @param tfs     candidate regulators
     * @param state   state of each cell
     * @param targets gene names to correlate the TFs with, or null for all
     * @return edges with score |r| and sign of r, best first
     */
    public static List<Edge> withinStateCorrelation(float[] x, int n, List<String> genes, List<String> tfs,
                                                    int[] state, Set<String> targets) {
        int g = genes.size();
        int[] tfCols = tfColumns(genes, tfs);
        boolean[] wanted = new boolean[g];
        for (int j = 0; j < g; j++) {
            wanted[j] = targets == null || targets.contains(genes.get(j));
        }
        double[][] r = tfCorrelations(x, n, g, tfCols, state, false, wanted)[0];
        List<Edge> out = new ArrayList<>();
        for (int a = 0; a < tfCols.length; a++) {
            int t = tfCols[a];
            for (int j = 0; j < g; j++) {
                if (j != t && wanted[j]) {
                    double v = r[a][j];
                    out.add(new Edge(genes.get(t), genes.get(j), Math.abs(v), v >= 0 ? 1 : -1, Double.NaN));
                }
            }
        }
        out.sort(Network.RANKING);
        return out;
    }

    /**
     * Pearson r of each TF column {@code tfCols[a]} with every gene over all cells, centred within states
     * ({@code [0][a][j]}), and, when {@code alsoAll}, without the centring ({@code [1][a][j]}). Column by column: one
     * standardised column per thread and the TFs' columns, never a copy of the cells × genes matrix. The same
     * arithmetic as {@link #residual} then {@link Correlations#standardisedColumns} and {@link Correlations#dot}.
     */
    private static double[][][] tfCorrelations(float[] x, int n, int g, int[] tfCols, int[] state, boolean alsoAll,
                                               boolean[] wanted) {
        int k = KMeans.clusters(state);
        int[] count = new int[k];
        for (int c = 0; c < n; c++) {
            count[state[c]]++;
        }
        float[][] tfWithin = new float[tfCols.length][];
        float[][] tfAll = new float[alsoAll ? tfCols.length : 0][];
        for (int a = 0; a < tfCols.length; a++) {
            tfWithin[a] = withinColumn(x, n, g, tfCols[a], state, count, k);
            if (alsoAll) {
                tfAll[a] = Correlations.standardisedColumn(x, n, g, tfCols[a], new float[n]);
            }
        }
        double[][] within = new double[tfCols.length][g];
        double[][] all = new double[alsoAll ? tfCols.length : 0][g];
        IntStream.range(0, g).parallel().filter(j -> wanted == null || wanted[j]).forEach(j -> {
            double[] r = new double[tfCols.length];
            float[] col = withinColumn(x, n, g, j, state, count, k);
            Correlations.dots(tfWithin, col, r);
            for (int a = 0; a < tfCols.length; a++) {
                within[a][j] = r[a];
            }
            if (alsoAll) {
                Correlations.standardisedColumn(x, n, g, j, col);
                Correlations.dots(tfAll, col, r);
                for (int a = 0; a < tfCols.length; a++) {
                    all[a][j] = r[a];
                }
            }
        });
        return new double[][][] {within, all};
    }

    /** The gene column of each distinct TF of {@code tfs} among the RNA genes (its first), in {@code tfs} order. */
    private static int[] tfColumns(List<String> genes, List<String> tfs) {
        Map<String, Integer> index = new HashMap<>();
        for (int j = 0; j < genes.size(); j++) {
            index.putIfAbsent(genes.get(j), j);
        }
        return tfs.stream().distinct().map(index::get).filter(t -> t != null).mapToInt(Integer::intValue).toArray();
    }

    /**
     * Column {@code j} of x (n × g) minus its cell's state mean ({@link #residual}'s sums, in the same order), then
     * standardised ({@link Correlations#standardisedColumn}).
     */
    private static float[] withinColumn(float[] x, int n, int g, int j, int[] state, int[] count, int k) {
        double[] sum = new double[k];
        for (int c = 0; c < n; c++) {
            sum[state[c]] += x[c * g + j];
        }
        float[] col = new float[n];
        for (int c = 0; c < n; c++) {
            col[c] = x[c * g + j] - (float) (sum[state[c]] / count[state[c]]);
        }
        return Correlations.standardisedColumn(col, n, 1, 0, col);
    }

    /**
     * How much of the TF–gene co-expression the cell states carry: the mean r² over every TF (among the RNA genes)
     * × other gene pair, Pearson over all cells, ÷ the same with each gene centred on its state's mean (as
     * {@link #withinStateCorrelation}). Near 1 when the pairs co-vary inside states as much as across them; large
     * when the co-expression is mostly between states (cell-type confounding, which the within-state ranking
     * removes); NaN when there is no pair.
     *
     * @param data  paired data (cells × genes log expression)
     * @param tfs   candidate regulators
     * @param state state of each cell, from {@link #states}
     */
    public static double coexpressionInflation(MultiomeData data, List<String> tfs, int[] state) {
        int g = data.nGenes();
        int[] tfCols = tfColumns(data.genes(), tfs);
        double[][][] r = tfCorrelations(data.rna(), data.nCells(), g, tfCols, state, true, null);
        double a = 0;
        double w = 0;
        for (int t = 0; t < tfCols.length; t++) {
            for (int j = 0; j < g; j++) {
                if (j != tfCols[t]) {
                    double ra = r[1][t][j];
                    double rw = r[0][t][j];
                    a += ra * ra;
                    w += rw * rw;
                }
            }
        }
        return w > 0 ? a / w : Double.NaN;
    }
}
