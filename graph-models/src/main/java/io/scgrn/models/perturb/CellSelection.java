package io.scgrn.models.perturb;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.Progress;

/**
 * Each target's regulators chosen among its candidates on the single cells, before the models are fitted on the
 * smoothed rows ({@link FitRows}).
 *
 * <p>Why: smoothing a cell with its neighbours in the top principal components removes the counting noise that
 * attenuates a regulator's slope, but it also makes every smoothed gene a function of the same few components, so
 * the candidates — with an inferred network, every TF — become nearly collinear and the ridge hands a regulator's
 * effect to TFs that merely share its components (measured: most of the predicted shift of a knock-out lands on
 * genes that are not its targets). In single cells the counting noise of different genes is independent, so which
 * regulators a target depends on given the others is not blurred that way, only attenuated. So the choice of
 * regulators is made on the single cells — a lasso path and BIC ({@link LassoSelection}) on the groups' pooled
 * within-group statistics (one choice per target, every group's rows) — and their slopes are then fitted on the
 * smoothed rows as before.
 *
 * <p>Measured (docs/benchmarks.md, "In-silico perturbation: round 6"): not better — BIC keeps too few regulators
 * per target on single cells (0.1–0.6 at c ≥ 1), and at c = 0.5 the knock-outs' median r falls 0.455 → 0.334 on
 * the tuning simulations. Not used by {@link InSilicoPerturbation#run}; kept for the benchmark harness.
 *
 * <p>Cost: one pass over the cells accumulating the candidates' statistics ({@link GroupModels.Stats}), O(cells ×
 * (edges + pairs)) time and O(groups × (genes + edges + pairs)) memory, independent of the cells; the lasso paths
 * need no rows.
 */
final class CellSelection {
    private CellSelection() {
    }

    /**
     * The selected regulators of each target.
     *
     * @param x          cells × genes, log-normalised (single cells)
     * @param groupOf    group per cell (-1: left out)
     * @param nK         groups
     * @param candidates per target its candidate regulators
     * @param bic        multiplier of the criterion's df·log(n) term
     * @return per target the selected candidates, in the candidates' order (possibly none)
     */
    static int[][] select(ExpressionMatrix x, int[] groupOf, int nK, int[][] candidates, double bic,
                          Progress progress) {
        return select(GroupModels.Stats.accumulate(x, groupOf, nK, candidates, progress), candidates, bic);
    }

    /** As above, from the single cells' statistics. */
    static int[][] select(GroupModels.Stats stats, int[][] candidates, double bic) {
        int nG = stats.nG();
        int[] eReg = stats.eReg();
        int[] eTgt = stats.eTgt();
        int[][] out = new int[nG][];
        for (int g = 0; g < nG; g++) {
            out[g] = new int[0];
        }
        int e0 = 0;
        while (e0 < eReg.length) {
            int t = eTgt[e0];
            int e1 = GroupModels.targetEnd(eTgt, e0);
            int p = e1 - e0;
            GroupModels.Pooled pooled = stats.pooledCentred(e0, p);
            boolean[] sel = LassoSelection.select(pooled.gram(), pooled.xty(), pooled.yty(), pooled.n(), null, bic,
                    true);
            int m = 0;
            for (boolean s : sel) {
                m += s ? 1 : 0;
            }
            out[t] = new int[m];
            m = 0;
            for (int a = 0; a < p; a++) {
                if (sel[a]) {
                    out[t][m++] = eReg[e0 + a];
                }
            }
            e0 = e1;
        }
        return out;
    }
}
