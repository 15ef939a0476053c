package io.scgrn.models.perturb;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.Progress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;

/**
 * Per-group linear models of each target gene on its network regulators: for group k and target j,
 * {@code x_j ≈ a_kj + Σ_r b_kjr · x_r} fitted by {@link RidgeGcv} on the cells of group k. The edges (regulator →
 * target) are the same in every group; their coefficients differ.
 *
 * <p>One pass over the cells accumulates per group the sufficient statistics: gene sums, sums of squares, the
 * products regulator × target of every edge and regulator × regulator of every pair that co-regulates a target.
 * Memory is O(groups × (genes + edges + pairs)), independent of the number of cells; time O(cells × (edges +
 * pairs)).
 *
 * @param genes    gene names (the expression matrix's columns)
 * @param groups   group names
 * @param edgeReg  regulator gene index of each edge
 * @param edgeTgt  target gene index of each edge (edges sorted by target)
 * @param coef     groups × edges coefficients
 * @param lambda   groups × genes: penalty chosen for each target (NaN for genes without regulators)
 * @param r2       groups × genes: in-sample R² of each target's model (NaN without regulators)
 * @param cells    cells per group
 */
public record GroupModels(List<String> genes, List<String> groups, int[] edgeReg, int[] edgeTgt, double[][] coef,
                          double[][] lambda, double[][] r2, int[] cells) {

    /**
     * Fits the models.
     *
     * @param x          cells × genes expression (log-normalised)
     * @param groupOf    group index of each cell, or -1 to leave the cell out
     * @param groups     group names
     * @param regulators per target gene: its regulator gene indices (no self-loops, no duplicates)
     * @param lambda     fixed ridge penalty, or NaN for GCV per target
     */
    public static GroupModels fit(ExpressionMatrix x, int[] groupOf, List<String> groups, int[][] regulators,
                                  double lambda, Progress progress) {
        return fit(x, groupOf, groups, regulators, null, Selection.NONE, lambda, progress);
    }

    /**
     * How a target's regulators are chosen among its candidates before the ridge fit.
     *
     * @param lasso  select by {@link LassoSelection} (false: every candidate enters, round 3's plain ridge)
     * @param bic    multiplier of the criterion's df·log(n) term
     * @param pooled select once per target on the groups' pooled within-group statistics (the same regulators in
     *               every group, their coefficients still per group) instead of per group
     * @param relaxed score each point of the lasso path by its least-squares refit (see {@link LassoSelection})
     */
    public record Selection(boolean lasso, double bic, boolean pooled, boolean relaxed) {
        /** Every candidate enters. */
        public static final Selection NONE = new Selection(false, 1, false, true);
    }

    /**
     * Fits the models, choosing each target's regulators among its candidates first.
     *
     * @param x          cells × genes expression (log-normalised)
     * @param groupOf    group index of each cell, or -1 to leave the cell out
     * @param groups     group names
     * @param regulators per target gene: its candidate regulator gene indices (no self-loops, no duplicates)
     * @param factors    per target, a lasso penalty factor per candidate (same order; smaller enters earlier), or
     *                   null for equal factors
     * @param selection  how regulators are selected
     * @param lambda     fixed ridge penalty of the fit on the selected regulators, or NaN for GCV per target
     */
    public static GroupModels fit(ExpressionMatrix x, int[] groupOf, List<String> groups, int[][] regulators,
                                  double[][] factors, Selection selection, double lambda, Progress progress) {
        GroupModels m = fit(Stats.accumulate(x, groupOf, groups.size(), regulators, progress), x.genes(), groups,
                factors, selection, lambda);
        progress.fraction(1);
        return m;
    }

    /** Within-group pooled normal equations of one target ({@link Stats#pooledCentred}). */
    record Pooled(double[] gram, double[] xty, double yty, int n) {
    }

    /**
     * Per-group sufficient statistics of the candidate edges: one pass over the rows, after which every fit (per
     * group, pooled, or leaving groups out via {@link #merge}) needs no rows.
     *
     * @param nG        genes
     * @param eReg      regulator of each edge (edges sorted by target)
     * @param eTgt      target of each edge
     * @param pairIndex index of each co-regulator pair, keyed {@code lo · nG + hi}
     * @param sum       groups × genes sums of the genes as regulators
     * @param sumSq     groups × genes sums of squares (as regulators)
     * @param edgeProd  groups × edges sums of regulator × target
     * @param pairProd  groups × pairs sums of regulator × regulator
     * @param count     rows per group
     * @param tSum      groups × genes sums of the genes as targets (the same arrays as {@code sum} when regulators
     *                  and targets are read from the same rows)
     * @param tSumSq    groups × genes sums of squares as targets
     */
    record Stats(int nG, int[] eReg, int[] eTgt, Map<Long, Integer> pairIndex, double[][] sum, double[][] sumSq,
                 double[][] edgeProd, double[][] pairProd, int[] count, double[][] tSum, double[][] tSumSq) {

        /**
         * @param x          rows × genes
         * @param groupOf    group of each row, -1 to leave it out
         * @param nK         groups
         * @param regulators per target gene its candidate regulators
         */
        static Stats accumulate(ExpressionMatrix x, int[] groupOf, int nK, int[][] regulators, Progress progress) {
            return accumulate(x, x, groupOf, nK, regulators, progress);
        }

        /**
         * As above, the regulators read from {@code x} and the targets from the same rows of {@code y} (e.g.
         * smoothed regulators, single-cell targets).
         */
        static Stats accumulate(ExpressionMatrix x, ExpressionMatrix y, int[] groupOf, int nK, int[][] regulators,
                                Progress progress) {
            int nG = x.nGenes();
            boolean same = x == y;
            // Edges sorted by target; pairs of co-regulators.
            List<int[]> edges = new ArrayList<>();
            Map<Long, Integer> pairIndex = new HashMap<>();
            List<int[]> pairs = new ArrayList<>();
            for (int t = 0; t < nG; t++) {
                int[] regs = regulators[t] == null ? new int[0] : regulators[t];
                for (int a = 0; a < regs.length; a++) {
                    edges.add(new int[]{regs[a], t});
                    for (int b = a; b < regs.length; b++) {
                        int lo = Math.min(regs[a], regs[b]);
                        int hi = Math.max(regs[a], regs[b]);
                        long key = (long) lo * nG + hi;
                        if (!pairIndex.containsKey(key)) {
                            pairIndex.put(key, pairs.size());
                            pairs.add(new int[]{lo, hi});
                        }
                    }
                }
            }
            int nE = edges.size();
            int nP = pairs.size();
            int[] eReg = new int[nE];
            int[] eTgt = new int[nE];
            for (int e = 0; e < nE; e++) {
                eReg[e] = edges.get(e)[0];
                eTgt[e] = edges.get(e)[1];
            }
            int[] pA = new int[nP];
            int[] pB = new int[nP];
            for (int p = 0; p < nP; p++) {
                pA[p] = pairs.get(p)[0];
                pB[p] = pairs.get(p)[1];
            }
            double[][] sum = new double[nK][nG];
            double[][] sumSq = new double[nK][nG];
            double[][] edgeProd = new double[nK][nE];
            double[][] pairProd = new double[nK][nP];
            int[] count = new int[nK];
            double[][] tSum = same ? sum : new double[nK][nG];
            double[][] tSumSq = same ? sumSq : new double[nK][nG];
            float[] v = x.values();
            float[] w = y.values();
            int nC = x.nCells();
            for (int c = 0; c < nC; c++) {
                int k = groupOf[c];
                if (k < 0) {
                    continue;
                }
                count[k]++;
                int off = c * nG;
                addRow(v, off, nG, sum[k], sumSq[k]);
                if (!same) {
                    addRow(w, off, nG, tSum[k], tSumSq[k]);
                }
                double[] ep = edgeProd[k];
                for (int e = 0; e < nE; e++) {
                    ep[e] += (double) v[off + eReg[e]] * w[off + eTgt[e]];
                }
                double[] pp = pairProd[k];
                for (int p = 0; p < nP; p++) {
                    pp[p] += (double) v[off + pA[p]] * v[off + pB[p]];
                }
                if ((c & 4095) == 4095) {
                    progress.fraction(0.8 * c / nC);
                    if (progress.cancelled()) {
                        throw new CancellationException("cancelled");
                    }
                }
            }
            return new Stats(nG, eReg, eTgt, pairIndex, sum, sumSq, edgeProd, pairProd, count, tSum, tSumSq);
        }

        /** Adds the row of {@code nG} values at {@code off} to the per-gene sums and sums of squares. */
        private static void addRow(float[] values, int off, int nG, double[] sum, double[] sumSq) {
            for (int g = 0; g < nG; g++) {
                double val = values[off + g];
                sum[g] += val;
                sumSq[g] += val * val;
            }
        }

        /**
         * The statistics of merged groups: group k's rows go to group {@code into[k]} of {@code nOut} (-1: left
         * out). A merged group is not centred per source group, so its models also see the differences between
         * the groups it pools.
         */
        Stats merge(int[] into, int nOut) {
            double[][] s = new double[nOut][nG];
            double[][] sq = new double[nOut][nG];
            double[][] ep = new double[nOut][eReg.length];
            double[][] pp = new double[nOut][pairIndex.size()];
            int[] n = new int[nOut];
            boolean same = tSum == sum;
            double[][] ts = same ? s : new double[nOut][nG];
            double[][] tsq = same ? sq : new double[nOut][nG];
            for (int k = 0; k < count.length; k++) {
                int o = into[k];
                if (o < 0) {
                    continue;
                }
                n[o] += count[k];
                add(s[o], sum[k]);
                add(sq[o], sumSq[k]);
                add(ep[o], edgeProd[k]);
                add(pp[o], pairProd[k]);
                if (!same) {
                    add(ts[o], tSum[k]);
                    add(tsq[o], tSumSq[k]);
                }
            }
            return new Stats(nG, eReg, eTgt, pairIndex, s, sq, ep, pp, n, ts, tsq);
        }

        /**
         * The statistics of the same rows, each moved towards its group's mean so that, merged afterwards
         * ({@link #merge}), a model pooled over groups sees the within-group co-variation whole and only
         * {@code keep} of the between-group one: row x becomes {@code x − a · x̄_k} with {@code a = 1 − √keep},
         * so sums are × √keep and sums of squares and products lose {@code (1 − keep) · n · x̄_k · ȳ_k}. With
         * {@code keep} 0 every group is centred on its own means (group fixed effects): a gene that co-varies with
         * a regulator only because both mark the same cell type gets no coefficient on it; with 1 the statistics
         * are unchanged.
         */
        Stats centred(double keep) {
            double root = Math.sqrt(keep);
            double drop = 1 - keep;
            int nK = count.length;
            boolean same = tSum == sum;
            double[][] s = new double[nK][nG];
            double[][] sq = new double[nK][nG];
            double[][] ep = new double[nK][eReg.length];
            double[][] pp = new double[nK][pairIndex.size()];
            double[][] ts = same ? s : new double[nK][nG];
            double[][] tsq = same ? sq : new double[nK][nG];
            int[] pA = new int[pairIndex.size()];
            int[] pB = new int[pairIndex.size()];
            for (Map.Entry<Long, Integer> e : pairIndex.entrySet()) {
                pA[e.getValue()] = (int) (e.getKey() / nG);
                pB[e.getValue()] = (int) (e.getKey() % nG);
            }
            for (int k = 0; k < nK; k++) {
                int n = count[k];
                for (int g = 0; g < nG; g++) {
                    double m = mean(k, g);
                    s[k][g] = root * sum[k][g];
                    sq[k][g] = sumSq[k][g] - drop * n * m * m;
                    if (!same) {
                        double tm = targetMean(k, g);
                        ts[k][g] = root * tSum[k][g];
                        tsq[k][g] = tSumSq[k][g] - drop * n * tm * tm;
                    }
                }
                for (int e = 0; e < eReg.length; e++) {
                    ep[k][e] = edgeProd[k][e] - drop * n * mean(k, eReg[e]) * targetMean(k, eTgt[e]);
                }
                for (int p = 0; p < pA.length; p++) {
                    pp[k][p] = pairProd[k][p] - drop * n * mean(k, pA[p]) * mean(k, pB[p]);
                }
            }
            return new Stats(nG, eReg, eTgt, pairIndex, s, sq, ep, pp, count.clone(), ts, tsq);
        }

        /** Mean of gene g as a regulator in group k (0 for an empty group). */
        double mean(int k, int g) {
            return count[k] == 0 ? 0 : sum[k][g] / count[k];
        }

        /** Mean of gene g as a target in group k (0 for an empty group). */
        double targetMean(int k, int g) {
            return count[k] == 0 ? 0 : tSum[k][g] / count[k];
        }

        /**
         * One target's candidate statistics pooled within groups: each group with at least
         * {@link PoolingChoice#MIN_ROWS} rows centred on its own means ({@link #addCentred}), then summed.
         *
         * @return gram p × p (row-major), xty p, Σ (y − ȳ)² and the pooled row count
         */
        Pooled pooledCentred(int e0, int p) {
            double[] gram = new double[p * p];
            double[] xty = new double[p];
            double yty = 0;
            int n = 0;
            for (int k = 0; k < count.length; k++) {
                if (count[k] >= PoolingChoice.MIN_ROWS) {
                    n += count[k];
                    yty += addCentred(k, e0, p, gram, xty);
                }
            }
            return new Pooled(gram, xty, yty, n);
        }

        /**
         * Adds group k's statistics of one target's candidates, centred on the group's means, to {@code gram}
         * (p × p, row-major: Σ (x_a − x̄_a)(x_b − x̄_b)) and {@code xty} (p: Σ (x_a − x̄_a)(y − ȳ)), and returns
         * Σ (y − ȳ)². The candidates are the target's run of edges {@code [e0, e0 + p)} ({@link #targetEnd}).
         */
        double addCentred(int k, int e0, int p, double[] gram, double[] xty) {
            int n = count[k];
            int t = eTgt[e0];
            double tm = targetMean(k, t);
            for (int a = 0; a < p; a++) {
                int ra = eReg[e0 + a];
                xty[a] += edgeProd[k][e0 + a] - n * mean(k, ra) * tm;
                for (int b = 0; b < p; b++) {
                    int rb = eReg[e0 + b];
                    int lo = Math.min(ra, rb);
                    int hi = Math.max(ra, rb);
                    gram[a * p + b] += pairProd[k][pairIndex.get((long) lo * nG + hi)]
                            - n * mean(k, lo) * mean(k, hi);
                }
            }
            return tSumSq[k][t] - n * tm * tm;
        }

        private static void add(double[] to, double[] from) {
            for (int i = 0; i < to.length; i++) {
                to[i] += from[i];
            }
        }
    }

    /**
     * Fits the models from accumulated statistics, one per group of {@code stats}.
     *
     * @param genes  gene names
     * @param groups names of the statistics' groups
     */
    static GroupModels fit(Stats stats, List<String> genes, List<String> groups, double[][] factors,
                           Selection selection, double lambda) {
        return fit(stats, genes, groups, factors, selection, lambda, null);
    }

    /**
     * As above; {@code lambdas} (groups × genes, or null) fixes each group's and target's penalty where it is not
     * NaN, e.g. the λ GCV chose without penalty factors, so that the factors are not undone by a new GCV choice.
     */
    static GroupModels fit(Stats stats, List<String> genes, List<String> groups, double[][] factors,
                           Selection selection, double lambda, double[][] lambdas) {
        int nG = stats.nG();
        int nK = groups.size();
        int[] eReg = stats.eReg();
        int[] eTgt = stats.eTgt();
        int nE = eReg.length;
        int[] count = stats.count();
        double[][] coef = new double[nK][nE];
        double[][] lam = new double[nK][nG];
        double[][] r2 = new double[nK][nG];
        for (int k = 0; k < nK; k++) {
            Arrays.fill(lam[k], Double.NaN);
            Arrays.fill(r2[k], Double.NaN);
        }
        int e0 = 0;
        while (e0 < nE) {
            int t = eTgt[e0];
            int e1 = targetEnd(eTgt, e0);
            int p = e1 - e0;
            // per group: centred Gram, Xᵀy, yᵀy of this target's candidates (null: too few cells for a model,
            // coefficients stay 0 and the group does not respond)
            double[][] gram = new double[nK][];
            double[][] xty = new double[nK][];
            double[] yty = new double[nK];
            for (int k = 0; k < nK; k++) {
                if (count[k] < 3) {
                    continue;
                }
                gram[k] = new double[p * p];
                xty[k] = new double[p];
                yty[k] = stats.addCentred(k, e0, p, gram[k], xty[k]);
            }
            double[] factor = factors == null ? null : factors[t];
            boolean[] pooledSel = null;
            if (selection.lasso() && selection.pooled()) {
                double[] pg = new double[p * p];
                double[] px = new double[p];
                double py = 0;
                int pn = 0;
                for (int k = 0; k < nK; k++) {
                    if (gram[k] == null) {
                        continue;
                    }
                    for (int i = 0; i < p * p; i++) {
                        pg[i] += gram[k][i];
                    }
                    for (int i = 0; i < p; i++) {
                        px[i] += xty[k][i];
                    }
                    py += yty[k];
                    pn += count[k];
                }
                pooledSel = LassoSelection.select(pg, px, py, pn, factor, selection.bic(), selection.relaxed());
            }
            for (int k = 0; k < nK; k++) {
                if (gram[k] == null) {
                    continue;
                }
                double lk = lambdas != null && !Double.isNaN(lambdas[k][t]) ? lambdas[k][t] : lambda;
                boolean[] sel = !selection.lasso() ? null : pooledSel != null ? pooledSel
                        : LassoSelection.select(gram[k], xty[k], yty[k], count[k], factor, selection.bic(),
                        selection.relaxed());
                RidgeGcv.Fit f = sel != null ? fitSubset(gram[k], xty[k], yty[k], count[k], lk, sel)
                        : factor != null ? RidgeGcv.fitWeighted(gram[k], xty[k], yty[k], count[k], lk, factor)
                        : RidgeGcv.fit(gram[k], xty[k], yty[k], count[k], lk);
                System.arraycopy(f.coef(), 0, coef[k], e0, p);
                lam[k][t] = f.lambda();
                r2[k][t] = f.r2();
            }
            e0 = e1;
        }
        return new GroupModels(genes, List.copyOf(groups), eReg, eTgt, coef, lam, r2, count.clone());
    }

    /** Ridge on the selected candidates only; the others get coefficient 0. */
    private static RidgeGcv.Fit fitSubset(double[] gram, double[] xty, double yty, int n, double lambda,
                                          boolean[] sel) {
        int p = xty.length;
        int[] idx = IntStream.range(0, p).filter(i -> sel[i]).toArray();
        RidgeGcv.Fit f = RidgeGcv.fit(LassoSelection.subMatrix(gram, p, idx), LassoSelection.subVector(xty, idx), yty,
                n, lambda);
        double[] coef = new double[p];
        for (int a = 0; a < idx.length; a++) {
            coef[idx[a]] = f.coef()[a];
        }
        return new RidgeGcv.Fit(coef, f.lambda(), f.r2());
    }

    /** Index of a group by name, or -1. */
    public int groupIndex(String name) {
        return groups.indexOf(name);
    }

    /** The coefficient of regulator → target in group k, 0 when there is no such edge. */
    public double coefficient(int k, String regulator, String target) {
        int r = genes.indexOf(regulator);
        int t = genes.indexOf(target);
        for (int e = 0; e < edgeReg.length; e++) {
            if (edgeReg[e] == r && edgeTgt[e] == t) {
                return coef[k][e];
            }
        }
        return 0;
    }

    /**
     * End (exclusive) of the run of edges that share edge {@code e0}'s target: the fit's edges are sorted by target, so
     * each target's regulators are one run {@code [e0, targetEnd(eTgt, e0))}.
     */
    static int targetEnd(int[] eTgt, int e0) {
        int e1 = e0;
        while (e1 < eTgt.length && eTgt[e1] == eTgt[e0]) {
            e1++;
        }
        return e1;
    }
}
