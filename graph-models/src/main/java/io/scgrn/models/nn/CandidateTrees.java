package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.baseline.GrnBoostModel;

import java.util.Arrays;

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
