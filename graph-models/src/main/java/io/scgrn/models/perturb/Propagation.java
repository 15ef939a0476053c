package io.scgrn.models.perturb;

import java.util.Arrays;

/**
 * CellOracle's signal propagation in one cell: {@code δ(0)} is the perturbation (level − current level on the
 * perturbed genes, 0 elsewhere); then {@code steps} times {@code δ(t+1) = δ(t) · B_k} with B_k the cell's group
 * coefficient matrix (regulator → target), the perturbed genes clamped to their δ(0), and — for non-negative
 * expression — δ clipped so that x + δ ≥ 0. Unlike CellOracle, which clamps only where δ(0) ≠ 0, the perturbed
 * genes are always clamped: a cell whose TF is already 0 under a knock-out keeps it at 0.
 *
 * <p>With a pass-on share {@code p_r} per gene ({@link #Propagation(GroupModels, int[], double[], int, boolean,
 * double[])}), each step reads a regulator r that is not perturbed as {@code p_r · δ_r(t)}: a path
 * TF → r₁ → … → r_{k−1} → g of k edges is carried with weight {@code p_r₁ ⋯ p_r_{k−1}} (step damping: every
 * {@code p} = λ, a k-edge path × λ^(k−1); path gating: 0 for the regulators that may not pass a shift on). The
 * perturbed genes always pass their δ(0) on in full, so one step is unchanged.
 */
public final class Propagation {
    private final GroupModels models;
    private final int[] genes;
    private final double[] levels;
    private final int steps;
    private final boolean clipAtZero;
    /** Runs of consecutive edges with one target (edges are sorted by target): edges runStart[i] … runStart[i+1] − 1. */
    private final int[] runStart;
    private final int[] runTarget;
    /** Per gene, the share of its propagated shift passed on to its targets; null: all of it. */
    private final double[] passOn;

    /**
     * @param models     the fitted models
     * @param genes      perturbed gene indices
     * @param levels     their levels
     * @param steps      propagation steps (CellOracle: 3; default {@link PerturbOptions#STEPS})
     * @param clipAtZero keep x + δ ≥ 0 (when the expression is non-negative)
     */
    public Propagation(GroupModels models, int[] genes, double[] levels, int steps, boolean clipAtZero) {
        this(models, genes, levels, steps, clipAtZero, null);
    }

    /**
     * As above, each regulator passing on only a share of its propagated shift.
     *
     * @param passOn per gene (length genes), the share p of its shift δ(t) a regulator passes on to its targets in
     *               the next step, or null for 1 everywhere (the plain propagation, the same arithmetic); the
     *               perturbed genes' entries are ignored (they pass their δ(0) on in full)
     */
    public Propagation(GroupModels models, int[] genes, double[] levels, int steps, boolean clipAtZero,
                       double[] passOn) {
        this.models = models;
        this.genes = genes.clone();
        this.levels = levels.clone();
        this.steps = steps;
        this.clipAtZero = clipAtZero;
        int[] tgt = models.edgeTgt();
        int runs = 0;
        for (int e = 0; e < tgt.length; e++) {
            if (e == 0 || tgt[e] != tgt[e - 1]) {
                runs++;
            }
        }
        runStart = new int[runs + 1];
        runTarget = new int[runs];
        int r = 0;
        for (int e = 0; e < tgt.length; e++) {
            if (e == 0 || tgt[e] != tgt[e - 1]) {
                runStart[r] = e;
                runTarget[r++] = tgt[e];
            }
        }
        runStart[runs] = tgt.length;
        if (passOn == null) {
            this.passOn = null;
        } else {
            this.passOn = passOn.clone();
            for (int g : genes) {
                this.passOn[g] = 1;
            }
        }
    }

    /**
     * The shift of one cell.
     *
     * @param x     the cell's expression, length genes (read from {@code xs} at {@code off})
     * @param group the cell's group index, or -1 (the perturbed genes shift, nothing propagates)
     * @param out   receives δ, length genes
     * @param work  scratch, length genes
     */
    public void apply(float[] xs, int off, int group, double[] out, double[] work) {
        int nG = out.length;
        Arrays.fill(out, 0);
        for (int i = 0; i < genes.length; i++) {
            out[genes[i]] = levels[i] - xs[off + genes[i]];
        }
        if (group < 0) {
            return;
        }
        int[] reg = models.edgeReg();
        double[] coef = models.coef()[group];
        double[] read = out;
        if (passOn != null) {
            read = new double[nG];
        }
        for (int s = 0; s < steps; s++) {
            if (passOn != null) {
                for (int g = 0; g < nG; g++) {
                    read[g] = passOn[g] * out[g];
                }
            }
            Arrays.fill(work, 0);
            // one target at a time, its edges in order: the same sums as adding edge by edge into work
            for (int r = 0; r < runTarget.length; r++) {
                double sum = 0;
                for (int e = runStart[r]; e < runStart[r + 1]; e++) {
                    sum += read[reg[e]] * coef[e];
                }
                work[runTarget[r]] += sum;
            }
            for (int i = 0; i < genes.length; i++) {
                work[genes[i]] = levels[i] - xs[off + genes[i]];
            }
            if (clipAtZero) {
                for (int g = 0; g < nG; g++) {
                    double x = xs[off + g];
                    if (x + work[g] < 0) {
                        work[g] = -x;
                    }
                }
            }
            System.arraycopy(work, 0, out, 0, nG);
        }
    }
}
