package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.numerics.Sampling;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A label-free reliability of each of {@link CrowdModel}'s terms on the data at hand: predictive validity on held-out
 * cells. For every target gene, each term's top {@code k} regulators (the TFs with the highest score in the target's
 * column, self-loop excluded) predict the target's z-scored expression with an additive model of per-regulator
 * binned conditional means (equal-frequency bins as in crowd's MI, {@link CrowdModel#bins}; two back-fitting passes;
 * bin means shrunk towards 0 by {@code count / (count + }{@link #SHRINK}{@code )}), fitted on one half of the cells
 * (a seeded split) and scored by R² on the other half, and the halves swapped. The term's gain is its mean R² over
 * targets minus that of {@code k} random TFs per target (the same seeded control for every term), so a term that
 * ranks regulators no better than chance gains about 0. The additive bin model uses nonlinear evidence as fairly as
 * linear evidence (MI's strength on the simulations, correlation's on real data).
 *
 * <p>{@link CrowdModel} with {@code reliability=on} (an option, off by default) uses the conditional form
 * ({@code base} = |Pearson r|: what a term's regulators add to the marginal associations) for its statistical terms
 * only, with {@link #judgedWeights}; the unconditional form, and edge stability under resampling, were measured and
 * not chosen
 * (docs/benchmarks.md, "GRN accuracy: round 5 (helper a9)": neither names the truth's best term better than chance).
 */
final class TermReliability {
    /** Equal-frequency bins per regulator. */
    static final int BINS = 8;
    /** Pseudo-count that shrinks a bin mean towards 0. */
    static final double SHRINK = 5;
    /** Back-fitting passes of the additive model. */
    static final int PASSES = 2;

    private TermReliability() {
    }

    /**
     * Each term's held-out predictive gain over the random-regulator control.
     *
     * @param data  the expression, [n cells, g genes]
     * @param tfIdx gene index of each TF row
     * @param terms the terms, each [nTf, g] (any monotone score; higher = stronger)
     * @param k     regulators per target
     * @param seed  seeds the cell split and the control
     * @return one gain per term (may be negative)
     */
    static double[] gains(ExpressionMatrix data, int[] tfIdx, List<float[]> terms, int k, long seed) {
        return gains(data, tfIdx, terms, k, seed, null);
    }

    /**
     * As {@link #gains(ExpressionMatrix, int[], List, int, long)}; with a {@code base} term (e.g. |Pearson r|) the
     * control is the base term's top k per target and each term is scored on the union of its top k and the base's,
     * i.e. by what its regulators add to the base's (a conditional gain; measured in docs/benchmarks.md, round 5).
     */
    static double[] gains(ExpressionMatrix data, int[] tfIdx, List<float[]> terms, int k, long seed, float[] base) {
        int n = data.nCells();
        int g = data.nGenes();
        int nt = tfIdx.length;
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        byte[][] bins = CrowdModel.bins(data, all, BINS);
        float[] z = NnSupport.standardise(data);
        int[] perm = Sampling.permutation(n, new Random(seed));
        boolean[] foldA = new boolean[n];
        for (int i = 0; i < n / 2; i++) {
            foldA[perm[i]] = true;
        }
        int kk = Math.min(k, nt - 1);
        double[] out = new double[terms.size()];
        if (kk < 1 || n < 4) {
            return out;
        }
        // the control: k random TFs per target (not the target itself)
        Random rnd = new Random(seed + 1);
        int[][] control = new int[g][];
        for (int j = 0; j < g; j++) {
            if (base != null) {
                control[j] = top(base, tfIdx, g, j, kk);
                continue;
            }
            int[] cand = new int[nt];
            int m = 0;
            for (int t = 0; t < nt; t++) {
                if (tfIdx[t] != j) {
                    cand[m++] = tfIdx[t];
                }
            }
            for (int q = 0; q < kk; q++) {
                int r = q + rnd.nextInt(m - q);
                int x = cand[q];
                cand[q] = cand[r];
                cand[r] = x;
            }
            control[j] = java.util.Arrays.copyOf(cand, kk);
        }
        // targets in parallel, each into its own slot, summed in order: the result does not depend on the threads
        double[] per = new double[g];
        IntStream.range(0, g).parallel().forEach(j -> per[j] = r2(z, bins, n, g, j, control[j], foldA));
        double ref = mean(per);
        for (int q = 0; q < terms.size(); q++) {
            float[] s = terms.get(q);
            IntStream.range(0, g).parallel().forEach(j -> {
                int[] regs = top(s, tfIdx, g, j, kk);
                per[j] = r2(z, bins, n, g, j, base == null ? regs : union(control[j], regs), foldA);
            });
            out[q] = mean(per) - ref;
        }
        return out;
    }

    /**
     * Reliability-scaled weights: {@code w_q · max(0, gain_q)^gamma}. Where every scaled weight is 0 (no term beats the
     * control) the weights are kept.
     */
    static double[] weights(double[] w, double[] gains, double gamma) {
        double[] out = new double[w.length];
        double total = 0;
        for (int q = 0; q < w.length; q++) {
            out[q] = w[q] * Math.pow(Math.max(0, gains[q]), gamma);
            total += out[q];
        }
        return total > 0 ? out : w.clone();
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static int[] union(int[] a, int[] b) {
        return java.util.stream.IntStream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).distinct()
                .toArray();
    }

    /**
     * Soft reliability weights: {@code w_q · exp((gain_q − max gain) / tau)}, tau in R² units (a gain difference of
     * tau changes the weight e-fold; terms whose gains differ by much less than tau keep their weights).
     */
    static double[] softWeights(double[] w, double[] gains, double tau) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : gains) {
            max = Math.max(max, x);
        }
        double[] out = new double[w.length];
        for (int q = 0; q < w.length; q++) {
            out[q] = w[q] * Math.exp((gains[q] - max) / tau);
        }
        return out;
    }

    /**
     * crowd's reliability weights: the {@code judged} terms (the statistical ones) are re-weighted among themselves by
     * {@link #softWeights} and rescaled to their old total; the others (the learned term, whose value does not show
     * in held-out expression) keep their weights.
     */
    static double[] judgedWeights(double[] w, double[] gains, boolean[] judged, double tau) {
        double[] soft = softWeights(w, gains, tau);
        double before = 0;
        double after = 0;
        for (int q = 0; q < w.length; q++) {
            if (judged[q]) {
                before += w[q];
                after += soft[q];
            }
        }
        double[] out = w.clone();
        for (int q = 0; q < w.length; q++) {
            if (judged[q] && after > 0) {
                out[q] = soft[q] * before / after;
            }
        }
        return out;
    }

    /** Gene indices of the k TFs with the highest score for target j (ties: the lower TF row first). */
    static int[] top(float[] s, int[] tfIdx, int g, int j, int k) {
        int[] best = new int[k];
        float[] val = new float[k];
        int m = 0;
        for (int t = 0; t < tfIdx.length; t++) {
            if (tfIdx[t] == j) {
                continue;
            }
            float v = s[t * g + j];
            if (m == k && v <= val[k - 1]) {
                continue;
            }
            // insertion into the sorted top list: a new slot while it is not full, else over the smallest
            int p = m < k ? m++ : k - 1;
            while (p > 0 && val[p - 1] < v) {
                val[p] = val[p - 1];
                best[p] = best[p - 1];
                p--;
            }
            val[p] = v;
            best[p] = tfIdx[t];
        }
        return best;
    }

    /** Two-fold held-out R² of the additive bin-mean model of gene j on the regulators {@code regs}. */
    static double r2(float[] z, byte[][] bins, int n, int g, int j, int[] regs, boolean[] foldA) {
        double sse = 0;
        double sst = 0;
        for (int fold = 0; fold < 2; fold++) {
            boolean train = fold == 0;
            double mean = 0;
            int nTrain = 0;
            for (int c = 0; c < n; c++) {
                if (foldA[c] == train) {
                    mean += z[c * g + j];
                    nTrain++;
                }
            }
            mean /= Math.max(1, nTrain);
            // residuals of the training cells, updated by back-fitting
            double[] res = new double[n];
            for (int c = 0; c < n; c++) {
                res[c] = z[c * g + j] - mean;
            }
            double[][] f = new double[regs.length][BINS];
            double[] sum = new double[BINS];
            int[] cnt = new int[BINS];
            for (int pass = 0; pass < PASSES; pass++) {
                for (int r = 0; r < regs.length; r++) {
                    byte[] b = bins[regs[r]];
                    java.util.Arrays.fill(sum, 0);
                    java.util.Arrays.fill(cnt, 0);
                    for (int c = 0; c < n; c++) {
                        if (foldA[c] == train) {
                            // partial residual: add this regulator's current contribution back
                            sum[b[c]] += res[c] + f[r][b[c]];
                            cnt[b[c]]++;
                        }
                    }
                    double[] nf = new double[BINS];
                    for (int q = 0; q < BINS; q++) {
                        nf[q] = cnt[q] == 0 ? 0 : sum[q] / (cnt[q] + SHRINK);
                    }
                    for (int c = 0; c < n; c++) {
                        if (foldA[c] == train) {
                            res[c] += f[r][b[c]] - nf[b[c]];
                        }
                    }
                    f[r] = nf;
                }
            }
            for (int c = 0; c < n; c++) {
                if (foldA[c] != train) {
                    double pred = mean;
                    for (int r = 0; r < regs.length; r++) {
                        pred += f[r][bins[regs[r]][c]];
                    }
                    double y = z[c * g + j];
                    sse += (y - pred) * (y - pred);
                    sst += (y - mean) * (y - mean);
                }
            }
        }
        return sst > 0 ? 1 - sse / sst : 0;
    }
}
