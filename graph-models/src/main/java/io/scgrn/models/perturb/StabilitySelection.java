package io.scgrn.models.perturb;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.Progress;

import io.scgrn.models.numerics.Sampling;

import java.util.Arrays;
import java.util.Random;

/**
 * Each target's regulators kept only if a lasso chooses them in most random halves of the fit rows (stability
 * selection with complementary pairs: Meinshausen &amp; Bühlmann 2010, Shah &amp; Samworth 2013).
 *
 * <p>Why: with an inferred network every TF is a candidate of every target, and on kNN-smoothed rows the TFs
 * co-vary; the ridge then gives the knocked-out TF coefficients on genes it does not regulate and hands its effect
 * on its real targets to other TFs (docs/benchmarks.md, "In-silico perturbation: round 6": most of a knock-out's
 * predicted first-step shift lands on non-targets). A coefficient that only fits the sample's accidents should be
 * chosen in some halves of the rows and not in others; a real regulator's in nearly all. So each half's lasso + BIC
 * choice ({@link CellSelection#select(GroupModels.Stats, int[][], double)}) is counted, and a candidate stays
 * only if chosen in at least a fraction {@code threshold} of the halves; the default fit then runs on the kept
 * candidates.
 *
 * <p>Measured (docs/benchmarks.md, "In-silico perturbation: round 6b"): not better. On the tuning simulations the
 * kept edges are hardly more often true than the candidates (precision 0.06–0.13 against 0.05, while recall falls
 * to 0.34–0.77): a TF that co-varies with a target's regulator is chosen in nearly every half, as the regulator is,
 * so resampling cannot tell them apart; and the knock-outs' median r falls 0.472 → 0.461 at best. Off by default
 * ({@link PerturbOptions#stability}).
 *
 * <p>Cost: the rows are dealt at random into {@value #FOLDS} folds and one pass accumulates the candidates'
 * statistics per group and fold ({@link GroupModels.Stats}); each half is a merge of half the folds, so the
 * resamples need no second pass over the rows. Memory O(groups × folds × (genes + edges + pairs)), independent of
 * the cells; time one pass O(rows × (edges + pairs)) plus 2 · pairs lasso paths per target.
 */
final class StabilitySelection {
    /** Folds the rows are dealt into; a half is {@code FOLDS / 2} of them. */
    static final int FOLDS = 10;

    private StabilitySelection() {
    }

    /**
     * The kept regulators of each target.
     *
     * @param x          rows × genes the models are fitted on (e.g. {@link FitRows}' smoothed rows)
     * @param groupOf    group per row (-1: left out)
     * @param nK         groups
     * @param candidates per target its candidate regulators
     * @param pairs      complementary pairs of halves (2 · pairs selections per target)
     * @param threshold  fraction of the halves in which a candidate must be chosen to be kept, in (0, 1]
     * @param bic        multiplier of the lasso criterion's df·log(n) term
     * @param between    choose on all groups' rows as one group, not centred per group (the differences between
     *                   groups count as evidence); false: on the groups' pooled within-group statistics
     * @param seed       seed of the folds and halves
     * @return per target the kept candidates, in the candidates' order (possibly none)
     */
    static int[][] select(ExpressionMatrix x, int[] groupOf, int nK, int[][] candidates, int pairs,
                          double threshold, double bic, boolean between, long seed, Progress progress) {
        int nG = x.nGenes();
        Random rnd = new Random(seed);
        int[] foldGroup = new int[groupOf.length];
        for (int r = 0; r < groupOf.length; r++) {
            int f = rnd.nextInt(FOLDS);
            foldGroup[r] = groupOf[r] < 0 ? -1 : groupOf[r] * FOLDS + f;
        }
        GroupModels.Stats stats = GroupModels.Stats.accumulate(x, foldGroup, nK * FOLDS, candidates, progress);
        int[][] chosen = new int[nG][];
        for (int t = 0; t < nG; t++) {
            chosen[t] = new int[candidates[t] == null ? 0 : candidates[t].length];
        }
        int halves = 0;
        for (int b = 0; b < pairs; b++) {
            int[] order = Sampling.permutation(FOLDS, rnd);
            for (int side = 0; side < 2; side++) {
                int[] into = new int[nK * FOLDS];
                Arrays.fill(into, -1);
                for (int i = side * FOLDS / 2; i < (side + 1) * FOLDS / 2; i++) {
                    for (int k = 0; k < nK; k++) {
                        into[k * FOLDS + order[i]] = between ? 0 : k;
                    }
                }
                int[][] sel = CellSelection.select(stats.merge(into, between ? 1 : nK), candidates, bic);
                halves++;
                for (int t = 0; t < nG; t++) {
                    int[] cand = candidates[t];
                    int m = 0;
                    for (int a = 0; a < chosen[t].length && m < sel[t].length; a++) {
                        if (cand[a] == sel[t][m]) {
                            chosen[t][a]++;
                            m++;
                        }
                    }
                }
            }
        }
        int[][] out = new int[nG][];
        for (int t = 0; t < nG; t++) {
            int need = (int) Math.ceil(threshold * halves - 1e-9);
            int m = 0;
            for (int c : chosen[t]) {
                m += c >= need ? 1 : 0;
            }
            out[t] = new int[m];
            m = 0;
            for (int a = 0; a < chosen[t].length; a++) {
                if (chosen[t][a] >= need) {
                    out[t][m++] = candidates[t][a];
                }
            }
        }
        return out;
    }
}
