package io.scgrn.models.perturb;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Per target, how much to trust the model pooled over all groups rather than each group's own model, judged by
 * which of the two predicts better how the target's mean differs between groups it has not seen.
 *
 * <p>Why: a knock-out is a large change of a regulator, larger than its spread within a cell type. Within-group
 * slopes (CellOracle's per-cluster models) are right when the regulators are right and the response is linear;
 * a model pooled over groups also sees the large differences between cell types, which helps where the response
 * saturates or the candidate set holds co-varying TFs that are not regulators, and hurts where groups differ for
 * other reasons (docs/benchmarks.md, "In-silico perturbation: round 4": each fit won on different knock-outs). The
 * group means are the only large changes the data show, so each fit is asked to extrapolate to them:
 *
 * <pre>
 *   E_group(t)  = Σ_k Σ_{j≠k} [ (ȳ_k − ȳ_j) − b_j · (x̄_k − x̄_j) ]²
 *   E_pooled(t) = Σ_k Σ_{j≠k} [ (ȳ_k − ȳ_j) − c_{−k} · (x̄_k − x̄_j) ]²
 * </pre>
 *
 * with ȳ_k, x̄_k group k's mean of the target and of its candidate regulators, b_j group j's slopes and c_{−k} the
 * slopes of the model pooled over every group but k: both predict group k's mean from group j's without having seen
 * group k. Rule "choose" gives the pooled model weight 1 when {@code E_pooled < E_group}, else 0; "blend" gives it
 * {@code E_group / (E_group + E_pooled)}. With fewer than three groups of at least 3 rows there is nothing to
 * extrapolate to that a pooled model has not seen, and the weight is 0 (per-group models).
 *
 * <p>Cost: one pooled fit per left-out group, from the accumulated statistics ({@link GroupModels.Stats#merge}), so
 * independent of the cells; O(groups² × edges) for the errors.
 */
final class PoolingChoice {
    /** Groups need this many rows to count (as {@link GroupModels}, which fits no model below it). */
    static final int MIN_ROWS = 3;

    private PoolingChoice() {
    }

    /**
     * The errors and weights of each target.
     *
     * @param pooledError per gene E_pooled (NaN for genes without candidates or too few groups)
     * @param groupError  per gene E_group (same)
     * @param weight      per gene the pooled model's weight in [0, 1] (0 where the errors are NaN)
     */
    record Weights(double[] pooledError, double[] groupError, double[] weight) {
    }

    /**
     * @param stats     per-group statistics of the fit rows
     * @param perGroup  the per-group models fitted from {@code stats}
     * @param selection how the left-out pooled models choose regulators (that of the pooled model)
     * @param factors   lasso penalty factors (or null)
     * @param lambda    ridge penalty (NaN: GCV)
     * @param rule      "choose" or "blend"
     */
    static Weights weights(GroupModels.Stats stats, GroupModels perGroup, GroupModels.Selection selection,
                           double[][] factors, double lambda, String rule) {
        return weights(stats, perGroup, selection, factors, lambda, rule, 1);
    }

    /** As above; rule "blend" with the errors raised to {@code power}: {@code E_group^a / (E_group^a + E_pooled^a)}. */
    static Weights weights(GroupModels.Stats stats, GroupModels perGroup, GroupModels.Selection selection,
                           double[][] factors, double lambda, String rule, double power) {
        return weights(stats, perGroup, selection, factors, lambda, rule, power, 1);
    }

    /**
     * As above; the left-out pooled models are fitted keeping {@code between} of the between-group co-variation
     * ({@link GroupModels.Stats#centred(double)}; 1: all of it), as the pooled model is.
     */
    static Weights weights(GroupModels.Stats stats, GroupModels perGroup, GroupModels.Selection selection,
                           double[][] factors, double lambda, String rule, double power, double between) {
        GroupModels.Stats source = between < 1 ? stats.centred(between) : stats;
        int nG = stats.nG();
        int nK = stats.count().length;
        double[] eP = new double[nG];
        double[] eG = new double[nG];
        double[] w = new double[nG];
        Arrays.fill(eP, Double.NaN);
        Arrays.fill(eG, Double.NaN);
        int[] usable = IntStream.range(0, nK).filter(k -> stats.count()[k] >= MIN_ROWS).toArray();
        if (usable.length < 3) {
            return new Weights(eP, eG, w);
        }
        double[][] leaveOut = new double[nK][];
        for (int k : usable) {
            int[] into = new int[nK];
            for (int j = 0; j < nK; j++) {
                into[j] = j == k || stats.count()[j] < MIN_ROWS ? -1 : 0;
            }
            leaveOut[k] = GroupModels.fit(source.merge(into, 1), perGroup.genes(), List.of("all but " + k), factors,
                    selection, lambda).coef()[0];
        }
        errors(stats, perGroup.coef(), leaveOut, usable, null, eP, eG);
        for (int t = 0; t < nG; t++) {
            if (Double.isNaN(eP[t])) {
                continue;
            }
            double a = Math.pow(eG[t], power);
            double b = Math.pow(eP[t], power);
            w[t] = rule.equals("choose") ? (eP[t] < eG[t] ? 1 : 0) : a + b > 0 ? a / (a + b) : 0;
        }
        return new Weights(eP, eG, w);
    }

    /**
     * For each target t with edges, into {@code eP[t]} and {@code eG[t]}: the squared errors, summed over the ordered
     * pairs (k, j) of usable groups, of predicting the change of t's mean from group j to group k from its
     * regulators' change by group j's own model ({@code perGroupCoef[j]}: E_group) and by the pooled model fitted
     * without group k ({@code leaveOut[k]}: E_pooled). {@code leaveOutColumn} maps an edge of {@code stats}' layout to
     * its column in the left-out models (null: the same layout; −1: not in them). Targets without edges are left as
     * they are.
     */
    static void errors(GroupModels.Stats stats, double[][] perGroupCoef, double[][] leaveOut, int[] usable,
                       int[] leaveOutColumn, double[] eP, double[] eG) {
        int[] eReg = stats.eReg();
        int[] eTgt = stats.eTgt();
        int e0 = 0;
        while (e0 < eReg.length) {
            int t = eTgt[e0];
            int e1 = GroupModels.targetEnd(eTgt, e0);
            double sp = 0;
            double sg = 0;
            for (int k : usable) {
                for (int j : usable) {
                    if (j == k) {
                        continue;
                    }
                    double dy = stats.targetMean(k, t) - stats.targetMean(j, t);
                    double predG = 0;
                    double predP = 0;
                    for (int e = e0; e < e1; e++) {
                        double dx = stats.mean(k, eReg[e]) - stats.mean(j, eReg[e]);
                        predG += perGroupCoef[j][e] * dx;
                        int c = leaveOutColumn == null ? e : leaveOutColumn[e];
                        if (c >= 0) {
                            predP += leaveOut[k][c] * dx;
                        }
                    }
                    sg += (dy - predG) * (dy - predG);
                    sp += (dy - predP) * (dy - predP);
                }
            }
            eP[t] = sp;
            eG[t] = sg;
            e0 = e1;
        }
    }
}
