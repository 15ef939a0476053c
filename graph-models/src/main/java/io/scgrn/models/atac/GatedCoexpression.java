package io.scgrn.models.atac;

import io.scgrn.models.numerics.Distributions;

/**
 * Chromatin-gated co-expression of a TF → peak → gene triplet, cell by cell: does the TF track the gene more
 * closely in the cells where the peak is seen open than in the others? If the TF regulates the gene through that
 * enhancer, its effect exists only where the enhancer is open, so the TF–gene correlation among the cells with
 * the peak observed open ({@code r1}, n1 cells) exceeds that among the other cells ({@code r0}, n0 cells, a
 * mixture of closed cells and open ones the assay missed). A TF that merely co-varies with the gene (same cell
 * type, a co-regulated TF) or has a motif in a peak it does not use shows no such difference.
 *
 * <p>The statistic is the Fisher z-test of the difference, in the direction of the TF–gene correlation over all
 * cells: {@code z = sign(r) · (atanh r1 − atanh r0) / sqrt(1/(n1 − 3) + 1/(n0 − 3))}, and the evidence is
 * {@code 2Φ(z) − 1} for z &gt; 0 and 0 otherwise (0 also when either group has fewer than {@link #MIN_CELLS}
 * cells): a probability-like weight with no free scale. Expression is centred within cell states when states are
 * given, so that a peak open in one cell type does not turn between-type differences into a gating signal.
 */
public final class GatedCoexpression {
    /** Smallest group (cells with the peak open, or not) that gives a correlation. */
    public static final int MIN_CELLS = 10;

    private final int n;
    private final int g;
    private final float[] x;
    private final double[] sum;
    private final double[] sumSq;
    private final int[][] csc;

    /**
     * @param rna   cells × genes log expression, row-major (not modified)
     * @param nGenes genes
     * @param atac  binarised accessibility of the same cells
     * @param state state (0..k−1) of each cell to centre expression within, or null for none
     */
    public GatedCoexpression(float[] rna, int nGenes, PeakMatrix atac, int[] state) {
        this.n = atac.nCells();
        this.g = nGenes;
        if ((long) n * g != rna.length) {
            throw new IllegalArgumentException("rna has " + rna.length + " values for " + n + " x " + g);
        }
        this.x = state == null ? rna : CellStates.residual(rna.clone(), n, g, state);
        this.sum = new double[g];
        this.sumSq = new double[g];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                double v = x[c * g + j];
                sum[j] += v;
                sumSq[j] += v * v;
            }
        }
        this.csc = atac.toCsc();
    }

    /** The evidence 2Φ(z) − 1 (z &gt; 0), else 0, of the triplet tf → peak → gene (gene indices, peak index). */
    public double evidence(int tf, int peak, int gene) {
        double z = z(tf, peak, gene);
        return z > 0 ? 1 - 2 * Distributions.normalUpper(z) : 0;
    }

    /** The signed Fisher z of the class comment; 0 when a group is too small or a variance is zero. */
    public double z(int tf, int peak, int gene) {
        int from = csc[0][peak];
        int to = csc[0][peak + 1];
        int n1 = to - from;
        int n0 = n - n1;
        if (n1 < MIN_CELLS || n0 < MIN_CELLS) {
            return 0;
        }
        double st = 0;
        double sg = 0;
        double stt = 0;
        double sgg = 0;
        double stg = 0;
        for (int k = from; k < to; k++) {
            int o = csc[1][k] * g;
            double a = x[o + tf];
            double b = x[o + gene];
            st += a;
            sg += b;
            stt += a * a;
            sgg += b * b;
            stg += a * b;
        }
        double stgAll = 0;
        for (int c = 0; c < n; c++) {
            stgAll += (double) x[c * g + tf] * x[c * g + gene];
        }
        double rAll = corr(n, sum[tf], sum[gene], sumSq[tf], sumSq[gene], stgAll);
        double r1 = corr(n1, st, sg, stt, sgg, stg);
        double r0 = corr(n0, sum[tf] - st, sum[gene] - sg, sumSq[tf] - stt, sumSq[gene] - sgg, stgAll - stg);
        if (Double.isNaN(rAll) || Double.isNaN(r1) || Double.isNaN(r0) || rAll == 0) {
            return 0;
        }
        double d = atanh(r1) - atanh(r0);
        return Math.signum(rAll) * d / Math.sqrt(1.0 / (n1 - 3) + 1.0 / (n0 - 3));
    }

    private static double corr(int n, double sa, double sb, double saa, double sbb, double sab) {
        double va = saa - sa * sa / n;
        double vb = sbb - sb * sb / n;
        if (va <= 1e-12 || vb <= 1e-12) {
            return Double.NaN;
        }
        return (sab - sa * sb / n) / Math.sqrt(va * vb);
    }

    private static double atanh(double r) {
        double c = Math.max(-0.999999, Math.min(0.999999, r));
        return 0.5 * Math.log((1 + c) / (1 - c));
    }
}
