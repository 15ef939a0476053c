package io.scgrn.models.nn;

import io.scgrn.models.numerics.Ranks;

import java.util.Arrays;
import java.util.List;

/**
 * How {@link CrowdModel} combines its terms, and the label-free transformations of the combination measured in
 * {@code docs/benchmarks.md} ("GRN accuracy: round 4"). Every matrix is a TF × gene score, row-major
 * {@code [nTf, g]}, with self-loops (TF → itself, marked in {@code self}) scored 0.
 *
 * <ol>
 * <li>{@link #combine}: weighted mean of the terms' ranks (each already rank-scaled to (0, 1] over all pairs),
 * optionally a power mean ({@code power} p: {@code (Σ w r^p / Σ w)^(1/p)}; p = 1 is the plain mean, p &gt; 1
 * favours an edge that is near the top of any one term).</li>
 * <li>{@link #agreementWeights}: a per-term reliability without labels, the DREAM5 observation that evidence agreeing
 * with the crowd is more reliable: each term's Pearson correlation of ranks with the weighted mean of the OTHER
 * terms (clipped at 0) multiplies its weight.</li>
 * <li>{@link #hub}: a regulator prior, {@code (1-a) s + a · mean over targets of s for the same TF}.</li>
 * <li>{@link #targetRank}: {@code (1-a) s + a · rank of s among the TFs of the same target}, scaled to (0, 1].</li>
 * <li>{@link #context}: {@code (1-a) s + a · rank of CLR(s)} ({@link CrowdModel#clr}: z within TF row and target
 * column, negatives clipped, {@code sqrt(z_r² + z_c²)}).</li>
 * </ol>
 */
final class RankEnsemble {
    private RankEnsemble() {
    }

    /**
     * The whole combination, in {@link CrowdModel}'s order: agreement weights (when {@code agreement}), the (power)
     * mean, then the hub, target-rank and context blends (each only when its share is above 0).
     *
     * @param ranks   terms, each [nTf, g] rank-scaled to (0, 1]
     * @param weights one non-negative weight per term, not all 0
     * @param tfIdx   gene index of each TF row
     * @param g       genes (columns)
     * @param self    self-loop mask; those positions are 0 in the result
     * @return [nTf, g] combined score
     */
    static float[] score(List<float[]> ranks, double[] weights, boolean agreement, double power, double hub,
                         double targetRank, double context, int[] tfIdx, int g, boolean[] self) {
        double[] w = agreement ? agreementWeights(ranks, weights, self) : weights;
        float[] s = combine(ranks, w, power, self);
        if (hub > 0) {
            s = hub(s, tfIdx.length, g, self, hub);
        }
        if (targetRank > 0) {
            s = targetRank(s, tfIdx.length, g, self, targetRank);
        }
        if (context > 0) {
            s = context(s, tfIdx, g, self, context);
        }
        return s;
    }

    /**
     * Weighted (power) mean of rank-scaled terms.
     *
     * @param ranks   terms, each [nTf, g] rank-scaled to (0, 1]
     * @param weights one non-negative weight per term, not all 0
     * @param power   p ≥ 1 (1: arithmetic mean)
     * @param self    self-loop mask; those positions are 0 in the result
     */
    static float[] combine(List<float[]> ranks, double[] weights, double power, boolean[] self) {
        int n = self.length;
        double wSum = 0;
        for (double w : weights) {
            wSum += w;
        }
        double[] acc = new double[n];
        for (int k = 0; k < ranks.size(); k++) {
            double w = weights[k] / wSum;
            if (w == 0) {
                continue;
            }
            float[] r = ranks.get(k);
            for (int i = 0; i < n; i++) {
                acc[i] += w * (power == 1 ? r[i] : Math.pow(r[i], power));
            }
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = self[i] ? 0 : (float) (power == 1 ? acc[i] : Math.pow(acc[i], 1 / power));
        }
        return out;
    }

    /**
     * Reliability-scaled weights: {@code w_k · max(0, ρ_k)}, ρ_k the Pearson correlation (over non-self pairs) of term
     * k's ranks with the weighted mean of the other terms' ranks. A term alone, or every ρ ≤ 0, keeps the weights.
     */
    static double[] agreementWeights(List<float[]> ranks, double[] weights, boolean[] self) {
        int m = ranks.size();
        double[] out = weights.clone();
        int active = 0;
        for (double w : weights) {
            active += w > 0 ? 1 : 0;
        }
        if (active < 2) {
            return out;
        }
        double total = 0;
        for (int k = 0; k < m; k++) {
            if (weights[k] == 0) {
                continue;
            }
            double[] others = new double[self.length];
            double wo = 0;
            for (int q = 0; q < m; q++) {
                if (q == k || weights[q] == 0) {
                    continue;
                }
                wo += weights[q];
                float[] r = ranks.get(q);
                for (int i = 0; i < others.length; i++) {
                    others[i] += weights[q] * r[i];
                }
            }
            for (int i = 0; i < others.length; i++) {
                others[i] /= wo;
            }
            out[k] = weights[k] * Math.max(0, pearson(ranks.get(k), others, self));
            total += out[k];
        }
        return total > 0 ? out : weights.clone();
    }

    /** Pearson correlation of a and b over the positions not in {@code skip}. */
    static double pearson(float[] a, double[] b, boolean[] skip) {
        double sa = 0;
        double sb = 0;
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (!skip[i]) {
                sa += a[i];
                sb += b[i];
                n++;
            }
        }
        if (n < 2) {
            return 0;
        }
        double ma = sa / n;
        double mb = sb / n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            if (!skip[i]) {
                double x = a[i] - ma;
                double y = b[i] - mb;
                sab += x * y;
                saa += x * x;
                sbb += y * y;
            }
        }
        return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
    }

    /** {@code (1-a) s + a · m_t}, m_t the mean of s over TF t's targets (self-loop excluded). */
    static float[] hub(float[] s, int nt, int g, boolean[] self, double a) {
        float[] out = new float[s.length];
        for (int t = 0; t < nt; t++) {
            double sum = 0;
            int k = 0;
            for (int j = 0; j < g; j++) {
                if (!self[t * g + j]) {
                    sum += s[t * g + j];
                    k++;
                }
            }
            double m = k == 0 ? 0 : sum / k;
            for (int j = 0; j < g; j++) {
                int i = t * g + j;
                out[i] = self[i] ? 0 : (float) ((1 - a) * s[i] + a * m);
            }
        }
        return out;
    }

    /**
     * {@code (1-a) s + a · c}, c the rank of s among the TFs of the same target (ties share their mean rank, self-loop
     * excluded) divided by the number of ranked TFs.
     */
    static float[] targetRank(float[] s, int nt, int g, boolean[] self, double a) {
        float[] out = new float[s.length];
        float[] col = new float[nt];
        int[] pos = new int[nt];
        for (int j = 0; j < g; j++) {
            int k = 0;
            for (int t = 0; t < nt; t++) {
                if (!self[t * g + j]) {
                    pos[k] = t;
                    col[k++] = s[t * g + j];
                }
            }
            float[] r = Ranks.averageRanks(Arrays.copyOf(col, k));
            for (int q = 0; q < k; q++) {
                int i = pos[q] * g + j;
                out[i] = (float) ((1 - a) * s[i] + a * r[q] / k);
            }
        }
        return out;
    }

    /** {@code (1-a) s + a · rankScale(CLR(s))} (see {@link CrowdModel#clr}). */
    static float[] context(float[] s, int[] tfIdx, int g, boolean[] self, double a) {
        return blend(s, NnSupport.rankScale(CrowdModel.clr(s, tfIdx, g), self), a, self);
    }

    /** {@code (1 − b)·s + b·r} element-wise, as a new array, self-loops 0. */
    static float[] blend(float[] s, float[] r, double b, boolean[] self) {
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = self[i] ? 0 : (float) ((1 - b) * s[i] + b * r[i]);
        }
        return out;
    }
}
