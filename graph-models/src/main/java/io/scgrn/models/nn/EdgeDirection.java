package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The direction of an edge between two candidate regulators ({@code crowd}'s {@code direction=lag}).
 *
 * <p>Where both genes of a pair are TFs the network scores a → b and b → a separately, and BEELINE counts only the
 * true direction. {@code crowd}'s own order of the two is worse than a coin on the tuning sets (the MI term's CLR
 * context normalisation scores a hub regulator's out-edges against its own crowded row, so they fall below the
 * reverse edges of its targets). This step keeps each pair's two scores and gives the higher one to the direction
 * the data favour: {@code d(a → b) = R²(a | b) − R²(b | a)}, where {@code R²(v | u)} is the share of v's variance
 * explained by its mean within {@link #BINS} equal-frequency bins of u (tied values share the bin of their lowest
 * rank). d &gt; 0 favours a → b: the regulator is predicted better from its target than the target from its
 * regulator. In snapshot cells of a dynamic process a target turns on only after its regulator, so "target high"
 * implies "regulator high" while "regulator high" also holds in cells whose target has not followed yet; in steady
 * state there is no lag and d is at chance (docs/benchmarks.md, "GRN accuracy: the direction of TF–TF edges (lead,
 * session 23)").
 *
 * <p>An option, off by default: it was crowd's default in session 23, but on fresh BoolODE-like dynamic networks
 * (random topologies, not the tuning sets') the statistic is right for about half of the true edges (55 % and 46 %
 * on two draws) and the step's gain did not hold (docs/benchmarks.md, "GRN accuracy: direction=lag on fresh dynamic
 * simulations (lead, session 24)").
 */
public final class EdgeDirection {
    /** Equal-frequency bins of the predicting gene. */
    static final int BINS = 16;

    private EdgeDirection() {
    }

    /**
     * Re-orders, in place, the two scores of every pair of TFs whose two directions are both scored (&gt; 0): the
     * higher goes to the direction with d &gt; 0, the lower to the other; a pair with d = 0 (e.g. a constant gene)
     * is left as it is. Every pair touches only its own two entries, so the result does not depend on threads.
     *
     * @param score [tfIdx.length, genes] edge scores, row-major (TF row t, target column j)
     * @param tfIdx gene index of each TF row
     * @param data  cells × genes values the statistic is computed on
     * @param rows  the cells of {@code data} to use, ascending (crowd's {@link CrowdModel#sampleRows}), or null for all
     * @return {@code score}
     */
    public static float[] apply(float[] score, int[] tfIdx, ExpressionMatrix data, int[] rows) {
        int n = rows == null ? data.nCells() : rows.length;
        int g = data.nGenes();
        int r = tfIdx.length;
        if (n < 2 || r < 2) {
            return score;
        }
        int[] cells = rows != null ? rows : IntStream.range(0, n).toArray();
        float[] x = data.values();
        float[][] v = new float[r][];
        byte[][] bins = new byte[r][];
        double[] total = new double[r];
        double[] ss = new double[r];
        IntStream.range(0, r).parallel().forEach(t -> {
            float[] f = new float[n];
            double sum = 0;
            for (int c = 0; c < n; c++) {
                f[c] = x[cells[c] * g + tfIdx[t]];
                sum += f[c];
            }
            double mean = sum / n;
            double sq = 0;
            for (int c = 0; c < n; c++) {
                sq += (f[c] - mean) * (f[c] - mean);
            }
            // equal-frequency bins, tied values in the bin of their lowest rank: the MI term's binning
            byte[] b = new byte[n];
            CrowdModel.binGene(data, cells, tfIdx[t], BINS, false, new long[n], b);
            v[t] = f;
            bins[t] = b;
            total[t] = sum;
            ss[t] = sq;
        });
        IntStream.range(0, r).parallel().forEach(a -> {
            double[] sumA = new double[BINS]; // a's values summed within b's bins
            double[] sumB = new double[BINS]; // b's values summed within a's bins
            int[] countA = new int[BINS]; // cells per bin of a
            int[] countB = new int[BINS]; // cells per bin of b
            float[] va = v[a];
            byte[] ba = bins[a];
            for (int c = 0; c < n; c++) {
                countA[ba[c]]++;
            }
            for (int b = a + 1; b < r; b++) {
                int ab = a * g + tfIdx[b];
                int ba2 = b * g + tfIdx[a];
                if (!(score[ab] > 0) || !(score[ba2] > 0) || tfIdx[a] == tfIdx[b]) {
                    continue;
                }
                Arrays.fill(sumA, 0);
                Arrays.fill(sumB, 0);
                Arrays.fill(countB, 0);
                float[] vb = v[b];
                byte[] bb = bins[b];
                for (int c = 0; c < n; c++) {
                    sumA[bb[c]] += va[c];
                    sumB[ba[c]] += vb[c];
                    countB[bb[c]]++;
                }
                double d = explained(sumA, countB, total[a], ss[a], n) - explained(sumB, countA, total[b], ss[b], n);
                if (d == 0) {
                    continue;
                }
                float hi = Math.max(score[ab], score[ba2]);
                float lo = Math.min(score[ab], score[ba2]);
                score[ab] = d > 0 ? hi : lo;
                score[ba2] = d > 0 ? lo : hi;
            }
        });
        return score;
    }

    /**
     * R² of a variable on its means within bins, from its sums and counts per bin: the between-bin sum of squares
     * {@code Σ S_k² / n_k − (Σ y)² / n} over the total {@code ss}; 0 for a constant variable.
     */
    static double explained(double[] binSum, int[] binCount, double total, double ss, int n) {
        if (!(ss > 0)) {
            return 0;
        }
        double between = 0;
        for (int k = 0; k < binSum.length; k++) {
            if (binCount[k] > 0) {
                between += binSum[k] * binSum[k] / binCount[k];
            }
        }
        return (between - total * total / n) / ss;
    }
}
