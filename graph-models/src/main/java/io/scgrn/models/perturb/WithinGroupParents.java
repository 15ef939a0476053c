package io.scgrn.models.perturb;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.Progress;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Each target's candidate regulators ranked and filtered by their within-group partial correlation with it: the
 * correlation of target and candidate over the single cells, each group centred on its own means (so the group, the
 * user's cell type, is adjusted for) and given the target's other candidates.
 *
 * <p>Why: a TF that merely co-varies with a target because both differ between cell types looks like a regulator in
 * every marginal or pooled statistic, and the network's scores — and the perturbation's pooled model — keep it.
 * Within a cell type that confounder is constant; a direct regulator still explains the target's variation there
 * beyond its co-regulators, a type marker does not. The groups the perturbation already has ({@code --groupby})
 * make this label-free for the network: no truth, only the user's grouping. Single cells rather than the fit's
 * smoothed rows: the counting noise of different genes is independent, so the candidates are not made collinear by
 * a shared smoothing (round 6: on smoothed rows every gene follows the same few principal components).
 *
 * <p>Unlike {@link CellSelection} (a lasso and BIC on the same statistics, which kept 0.1–0.6 regulators per target
 * and lost), the partial correlations only rank: each target keeps its candidates with |ρ| at least a threshold and
 * always its {@code min} best by |ρ|.
 *
 * <p>Cost: one pass over the cells accumulating the candidates' statistics ({@link GroupModels.Stats}, O(cells ×
 * (edges + pairs)) time, memory O(groups × (genes + edges + pairs)), independent of the cells), then one (p + 1)²
 * inversion per target (p candidates).
 */
final class WithinGroupParents {
    /** Relative ridge on the correlation matrix's diagonal, so constant or collinear candidates invert. */
    static final double RIDGE = 1e-6;

    private WithinGroupParents() {
    }

    /**
     * The kept candidates of each target.
     *
     * @param x          cells × genes, log-normalised (single cells)
     * @param groupOf    group per cell (-1: left out)
     * @param nK         groups
     * @param candidates per target its candidate regulators (best network edge first)
     * @param minPcor    smallest |partial correlation| kept beyond the first {@code min}
     * @param min        candidates kept per target whatever their partial correlation (the best by |ρ|)
     * @return per target the kept candidates, largest |ρ| first
     */
    static int[][] select(ExpressionMatrix x, int[] groupOf, int nK, int[][] candidates, double minPcor, int min,
                          Progress progress) {
        return select(partialCorrelations(GroupModels.Stats.accumulate(x, groupOf, nK, candidates, progress),
                candidates), candidates, minPcor, min);
    }

    /** As above, from the partial correlations ({@link #partialCorrelations}; per target, in candidate order). */
    static int[][] select(double[][] pcor, int[][] candidates, double minPcor, int min) {
        int[][] out = new int[candidates.length][];
        for (int t = 0; t < candidates.length; t++) {
            int[] c = candidates[t] == null ? new int[0] : candidates[t];
            double[] r = pcor[t];
            Integer[] order = IntStream.range(0, c.length).boxed().toArray(Integer[]::new);
            // stable: equal |ρ| keep the network's order
            Arrays.sort(order, Comparator.comparingDouble(a -> -Math.abs(r[a])));
            int[] kept = new int[c.length];
            int m = 0;
            for (int i = 0; i < order.length; i++) {
                int a = order[i];
                if (i < min || Math.abs(r[a]) >= minPcor) {
                    kept[m++] = c[a];
                }
            }
            out[t] = Arrays.copyOf(kept, m);
        }
        return out;
    }

    /**
     * Per target, the partial correlation of each candidate with it given the target's other candidates, over the
     * rows of every group with at least {@link PoolingChoice#MIN_ROWS} rows, each group centred on its own means
     * (in the candidates' order; 0 where a variance is 0).
     */
    static double[][] partialCorrelations(GroupModels.Stats stats, int[][] candidates) {
        int nG = stats.nG();
        int[] eTgt = stats.eTgt();
        double[][] out = new double[nG][];
        for (int g = 0; g < nG; g++) {
            out[g] = new double[candidates[g] == null ? 0 : candidates[g].length];
        }
        int e0 = 0;
        while (e0 < eTgt.length) {
            int t = eTgt[e0];
            int e1 = GroupModels.targetEnd(eTgt, e0);
            int p = e1 - e0;
            GroupModels.Pooled pooled = stats.pooledCentred(e0, p);
            out[t] = partialCorrelations(pooled.gram(), pooled.xty(), pooled.yty());
            e0 = e1;
        }
        return out;
    }

    /**
     * Partial correlations of y with each of p regressors given the others, from the centred cross-products
     * ({@code gram} p × p row-major, {@code xty}, {@code yty}): the precision matrix P of the (p + 1) × (p + 1)
     * correlation matrix of (x, y) gives {@code ρ_a = −P_ay / √(P_aa · P_yy)}.
     */
    static double[] partialCorrelations(double[] gram, double[] xty, double yty) {
        int p = xty.length;
        int q = p + 1;
        double[] sd = new double[q];
        for (int a = 0; a < p; a++) {
            sd[a] = Math.sqrt(Math.max(0, gram[a * p + a]));
        }
        sd[p] = Math.sqrt(Math.max(0, yty));
        double[] r = new double[p];
        if (sd[p] <= 0) {
            return r;
        }
        double[] m = new double[q * q];
        for (int a = 0; a < q; a++) {
            for (int b = 0; b < q; b++) {
                double v = a < p && b < p ? gram[a * p + b] : a < p ? xty[a] : b < p ? xty[b] : yty;
                m[a * q + b] = sd[a] > 0 && sd[b] > 0 ? v / (sd[a] * sd[b]) : a == b ? 1 : 0;
            }
            m[a * q + a] += RIDGE;
        }
        DMatrixRMaj mat = DMatrixRMaj.wrap(q, q, m);
        if (!CommonOps_DDRM.invert(mat)) {
            return r;
        }
        double[] inv = mat.data;
        for (int a = 0; a < p; a++) {
            double d = inv[a * q + a] * inv[p * q + p];
            r[a] = sd[a] > 0 && d > 0 ? -inv[a * q + p] / Math.sqrt(d) : 0;
        }
        return r;
    }
}
