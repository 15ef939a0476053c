package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.baseline.GrnBoostModel;

import io.scgrn.models.numerics.Sampling;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Tree evidence on {@link CrowdModel}'s own candidates (crowd's {@code tree-k}, {@code w-ktree}, {@code tree-rerank};
 * off by default, measured in docs/benchmarks.md, "GRN accuracy: round 6 (helper a9c)"). Per target gene, boosted
 * trees ({@link GrnBoostModel#importancesAmong}: {@link #TREES} depth-3 trees, learning rate 0.1, 90 % of the cells
 * per tree, a third of the candidates tried per split) are fitted on its top {@code k} regulators by the crowd score
 * only, so the cost grows with genes × k instead of genes × TFs; their gain importances say which of the candidates
 * predict the target jointly, nonlinearly — the evidence of GRNBoost2 / GENIE3, which lead on the SERGIO
 * simulations.
 *
 * <p>Two ways to use it: as one more rank term ({@link #importances}: 0 outside the candidates; crowd's
 * {@code w-ktree}), or as a re-ranking inside each target's candidates ({@link #rerank}: the target's candidate
 * scores are handed out again in the order of the trees' importances and blended with the original scores, so the
 * set of scores per target — and thus the global ranking between targets — is kept; crowd's {@code tree-rerank}).
 * All matrices are TF × gene, row-major {@code [nTf, g]}.
 */
final class CandidateTrees {
    /** Boosted trees per target. */
    static final int TREES = 50;
    /** Share of the candidates tried per split (at least one). */
    static final double FEATURES = 1.0 / 3;

    private CandidateTrees() {
    }

    /**
     * Each target's {@code k} best-scored regulators (TF rows), best first; ties go to the lower row; the target
     * itself (a TF regulating itself, marked in {@code self}) is never a candidate.
     *
     * @return [g][≤ k] TF rows
     */
    static int[][] candidates(float[] score, int nt, int g, boolean[] self, int k) {
        int[][] out = new int[g][];
        Integer[] rows = new Integer[nt];
        for (int j = 0; j < g; j++) {
            final int col = j;
            int m = 0;
            for (int t = 0; t < nt; t++) {
                if (!self[t * g + j]) {
                    rows[m++] = t;
                }
            }
            Integer[] r = Arrays.copyOf(rows, m);
            Arrays.sort(r, (a, b) -> {
                int c = Float.compare(score[b * g + col], score[a * g + col]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            int kk = Math.min(k, m);
            out[j] = new int[kk];
            for (int q = 0; q < kk; q++) {
                out[j][q] = r[q];
            }
        }
        return out;
    }

    /**
     * Importances of each target's candidates, normalised to sum 1 per target; 0 outside the candidates.
     *
     * @return [nTf, g]
     */
    static float[] importances(ExpressionMatrix data, int[] tfIdx, int[][] candidates, long seed) {
        double[][] imp = GrnBoostModel.importancesAmong(data, tfIdx, candidates,
                new GrnBoostModel.Settings(0.1, TREES, FEATURES, 0.9, 3, 0, 64), seed);
        int g = data.nGenes();
        int nt = tfIdx.length;
        float[] out = new float[nt * g];
        for (int j = 0; j < g; j++) {
            double sum = 0;
            for (int t : candidates[j]) {
                sum += imp[j][t];
            }
            for (int t : candidates[j]) {
                out[t * g + j] = sum > 0 ? (float) (imp[j][t] / sum) : 0;
            }
        }
        return out;
    }

    /**
     * A label-free test of whether the data hold structure the trees can use beyond a linear fit: over a seeded
     * sample of at most {@code maxTargets} targets, the mean of [held-out R² of the candidate trees − held-out R² of
     * a ridge regression (λ = 0.05 · training cells, standardised values) on the same candidates], each fitted on one
     * seeded half of the cells and scored on the other, then the halves swapped. Positive: the trees predict held-out
     * cells better than the linear fit (crowd's {@code tree-gate}).
     */
    static double nonlinearGain(ExpressionMatrix data, int[] tfIdx, int[][] candidates, long seed, int maxTargets) {
        int n = data.nCells();
        int g = data.nGenes();
        if (n < 4) {
            return 0;
        }
        int[] targets = Sampling.sortedSample(g, Math.min(g, maxTargets), seed);
        byte[][] bins = GrnBoostModel.binnedGenes(data, tfIdx, 64);
        float[] z = NnSupport.standardise(data);
        int[] perm = Sampling.permutation(n, new Random(seed));
        int[] a = Arrays.copyOf(perm, n / 2);
        int[] b = Arrays.copyOfRange(perm, n / 2, n);
        GrnBoostModel.Settings s = new GrnBoostModel.Settings(0.1, TREES, FEATURES, 0.9, 3, 0, 64);
        double[] diff = new double[targets.length];
        IntStream.range(0, targets.length).parallel().forEach(q -> {
            int j = targets[q];
            int[] c = candidates[j];
            if (c.length == 0) {
                return;
            }
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = z[i * g + j];
            }
            double trees = (GrnBoostModel.heldOutR2(y, c, bins, a, b, s, seed + j)
                    + GrnBoostModel.heldOutR2(y, c, bins, b, a, s, seed + j)) / 2;
            int[] genes = new int[c.length];
            for (int t = 0; t < c.length; t++) {
                genes[t] = tfIdx[c[t]];
            }
            double linear = (ridgeR2(z, g, y, genes, a, b) + ridgeR2(z, g, y, genes, b, a)) / 2;
            diff[q] = trees - linear;
        });
        return Arrays.stream(diff).average().orElse(0);
    }

    /** Held-out R² of a ridge regression of {@code y} on the given genes' standardised values (row-major z, [n, g]). */
    static double ridgeR2(float[] z, int g, double[] y, int[] genes, int[] train, int[] test) {
        int m = genes.length;
        double ym = 0;
        for (int c : train) {
            ym += y[c];
        }
        ym /= train.length;
        double[][] a = new double[m][m + 1];
        for (int c : train) {
            double r = y[c] - ym;
            for (int p = 0; p < m; p++) {
                double xp = z[c * g + genes[p]];
                for (int q = 0; q <= p; q++) {
                    a[p][q] += xp * z[c * g + genes[q]];
                }
                a[p][m] += xp * r;
            }
        }
        for (int p = 0; p < m; p++) {
            for (int q = p + 1; q < m; q++) {
                a[p][q] = a[q][p];
            }
            a[p][p] += 0.05 * train.length;
        }
        for (int p = 0; p < m; p++) {
            for (int r = p + 1; r < m; r++) {
                double f = a[r][p] / a[p][p];
                for (int c = p; c <= m; c++) {
                    a[r][c] -= f * a[p][c];
                }
            }
        }
        double[] beta = new double[m];
        for (int p = m - 1; p >= 0; p--) {
            double v = a[p][m];
            for (int c = p + 1; c < m; c++) {
                v -= a[p][c] * beta[c];
            }
            beta[p] = v / a[p][p];
        }
        double sse = 0;
        double sst = 0;
        for (int c : test) {
            double pred = ym;
            for (int p = 0; p < m; p++) {
                pred += beta[p] * z[c * g + genes[p]];
            }
            sse += (y[c] - pred) * (y[c] - pred);
            sst += (y[c] - ym) * (y[c] - ym);
        }
        return sst > 0 ? 1 - sse / sst : 0;
    }

    /**
     * {@code (1 − a) · score + a · reranked}, where {@code reranked} gives each target's candidates the same set of
     * scores they have, reassigned in decreasing order of {@code importance} (ties keep the score order); every
     * other entry is unchanged.
     */
    static float[] rerank(float[] score, float[] importance, int[][] candidates, int g, double a) {
        float[] out = score.clone();
        for (int j = 0; j < g; j++) {
            int[] c = candidates[j];
            float[] vals = new float[c.length];
            for (int q = 0; q < c.length; q++) {
                vals[q] = score[c[q] * g + j];
            }
            Arrays.sort(vals);
            Integer[] order = new Integer[c.length];
            for (int q = 0; q < c.length; q++) {
                order[q] = q;
            }
            final int col = j;
            // candidates are best-score-first, so a stable sort keeps the score order among equal importances
            Arrays.sort(order, (x, y) -> Float.compare(importance[c[y] * g + col], importance[c[x] * g + col]));
            for (int q = 0; q < c.length; q++) {
                int i = c[order[q]] * g + j;
                float re = vals[c.length - 1 - q];
                out[i] = (float) ((1 - a) * score[i] + a * re);
            }
        }
        return out;
    }
}
