package io.scgrn.models.perturb;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A perturbation's total effect on each gene estimated directly, by back-door adjustment, instead of fitting every
 * gene's direct regulators and propagating them (IDA: Maathuis, Kalisch &amp; Bühlmann 2009, "Estimating
 * high-dimensional intervention effects from observational data").
 *
 * <p>Why: a knock-out's true change of gene g is the TF's total causal effect through the network. The direct fit
 * regresses g on every candidate TF, and with 30 TFs that co-vary across cell types it hands a TF's effect to
 * others and gives it effects on genes it does not regulate; the propagation then compounds every mis-assigned
 * coefficient (docs/benchmarks.md, rounds 4–6c). The total effect of X on Y is the coefficient of X in the
 * regression of Y on X and X's parents (its back-door adjustment set), which needs neither Y's other regulators nor
 * the graph between X and Y. Here the adjustment set is X's best-scoring in-edges in the network and the cell group:
 * the per-group models are centred per group (cell type drives both the TF and the gene, the confounding that hurts
 * the naive correlation baseline), blended per target with a pooled model as the default fit is
 * ({@link PoolingChoice}).
 *
 * <p>So for perturbed genes P with adjustment set A (the union of each perturbed gene's {@code parents} best
 * network regulators, P left out), every other gene g gets the regressors P ∪ A; the genes of A themselves get none
 * (IDA: a parent's total effect from its child is 0), nor do the perturbed genes. One propagation step through these
 * models gives each cell's shift {@code δ_g = Σ_{t∈P} β_gt · (level_t − x_t)} (A's shifts are 0, so only the
 * perturbed genes' coefficients act).
 */
final class TotalEffect {
    private TotalEffect() {
    }

    /**
     * The regressors of every gene for the total-effect fit.
     *
     * @param regs      per gene its network regulators, best first ({@link InSilicoPerturbation#regulators})
     * @param perturbed perturbed gene indices
     * @param parents   best network regulators of each perturbed gene adjusted for (0: only the group)
     * @return per gene: P then A for genes outside P ∪ A, empty for those in it
     */
    static int[][] regressors(int[][] regs, int[] perturbed, int parents) {
        int nG = regs.length;
        Set<Integer> p = new LinkedHashSet<>();
        for (int t : perturbed) {
            p.add(t);
        }
        Set<Integer> a = new LinkedHashSet<>();
        for (int t : perturbed) {
            int taken = 0;
            for (int r : regs[t]) {
                if (taken >= parents) {
                    break;
                }
                if (!p.contains(r)) {
                    a.add(r);
                    taken++;
                }
            }
        }
        int[] row = new int[p.size() + a.size()];
        int i = 0;
        for (int t : p) {
            row[i++] = t;
        }
        for (int r : a) {
            row[i++] = r;
        }
        int[][] out = new int[nG][];
        for (int g = 0; g < nG; g++) {
            out[g] = p.contains(g) || a.contains(g) ? new int[0] : row.clone();
        }
        return out;
    }

    /**
     * Blends the direct fit's per-cell shift with the total-effect shift in place, as {@link MarginalBlend}: per
     * cell and gene not perturbed, {@code δ ← (1 − w) · δ_direct + w · sd(direct) / sd(total) · δ_total}, the
     * standard deviations over genes of the mean shifts, so the blend keeps the direct shift's size and the mean is
     * exactly the blend of the means; then clipped at 0 for non-negative data. The total-effect shift is never
     * stored: one step of {@code total} per cell is cheap, so it is computed once for the means and again for the
     * blend, and memory stays one cells × genes array.
     *
     * @param direct    cells × genes, the direct fit's propagated shift (overwritten)
     * @param total     one step through the total-effect models
     * @param x         cells × genes expression
     * @param groupOf   group of each cell
     * @param perturbed perturbed gene indices (their shift is the same in both)
     */
    static void blend(float[] direct, Propagation total, float[] x, int[] groupOf, int nG, int[] perturbed, double w,
                      boolean clipAtZero) {
        int nC = groupOf.length;
        int chunks = (nC + CHUNK - 1) / CHUNK;
        double[][] dPart = new double[chunks][];
        double[][] tPart = new double[chunks][];
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            double[] out = new double[nG];
            double[] work = new double[nG];
            double[] ds = new double[nG];
            double[] ts = new double[nG];
            for (int c = ch * CHUNK; c < Math.min(nC, ch * CHUNK + CHUNK); c++) {
                total.apply(x, c * nG, groupOf[c], out, work);
                for (int g = 0; g < nG; g++) {
                    ds[g] += direct[c * nG + g];
                    ts[g] += out[g];
                }
            }
            dPart[ch] = ds;
            tPart[ch] = ts;
        });
        // chunk sums added in chunk order: the same means whatever the threading
        double[] dMean = new double[nG];
        double[] tMean = new double[nG];
        for (int ch = 0; ch < chunks; ch++) {
            for (int g = 0; g < nG; g++) {
                dMean[g] += dPart[ch][g] / nC;
                tMean[g] += tPart[ch][g] / nC;
            }
        }
        boolean[] skip = MarginalBlend.mask(nG, perturbed);
        double[] f = MarginalBlend.factors(dMean, tMean, skip, w);
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            double[] out = new double[nG];
            double[] work = new double[nG];
            for (int c = ch * CHUNK; c < Math.min(nC, ch * CHUNK + CHUNK); c++) {
                total.apply(x, c * nG, groupOf[c], out, work);
                for (int g = 0; g < nG; g++) {
                    if (skip[g]) {
                        continue;
                    }
                    int i = c * nG + g;
                    double d = f[0] * direct[i] + f[1] * out[g];
                    if (clipAtZero && x[i] + d < 0) {
                        d = -x[i];
                    }
                    direct[i] = (float) d;
                }
            }
        });
    }

    /** Cells per parallel chunk. */
    private static final int CHUNK = 1024;
}
