package io.scgrn.models.perturb;

/**
 * Ensemble of the fitted models' predicted shift with the marginal-correlation shift, label-free. The fit puts much
 * of a knock-out's shift on genes the TF does not regulate (through its own coefficients, with many co-varying TFs
 * as candidates); the marginal shift (each gene's correlation with the TF × the TF's requested change) makes
 * different errors. Per gene g, with the perturbed genes left out of the standard deviations over genes:
 * <pre>
 *   blended_g = sd(fit) · ((1 − w) · fit_g / sd(fit) + w · marginal_g / sd(marginal))
 * </pre>
 * so the blend keeps the fit's overall size. See docs/benchmarks.md, "In-silico perturbation: round 6c".
 */
public final class MarginalBlend {
    private MarginalBlend() {
    }

    /**
     * Pearson correlation of every gene with gene {@code t} over the rows of a row-major matrix.
     *
     * @param x  rows × genes, row-major
     * @param nG genes
     * @return genes; 0 for a constant gene (and for every gene if {@code t} is constant)
     */
    public static double[] correlations(float[] x, int nG, int t) {
        // Not numerics.Correlations: that divides each centred column by its norm before the products (and
        // zeroes columns constant up to float rounding, and clips to [-1, 1]), which differs from
        // cov / √(ss_g · ss_t) in the last bits for nearly every gene (measured on 700 × 300 random counts: 299 of
        // 300), so reusing it would change the blend's numbers (docs/benchmarks.md, round 6c).
        int n = x.length / nG;
        double[] mean = new double[nG];
        for (int r = 0; r < n; r++) {
            for (int g = 0; g < nG; g++) {
                mean[g] += x[r * nG + g];
            }
        }
        for (int g = 0; g < nG; g++) {
            mean[g] /= n;
        }
        double[] cov = new double[nG];
        double[] ss = new double[nG];
        for (int r = 0; r < n; r++) {
            double dt = x[r * nG + t] - mean[t];
            for (int g = 0; g < nG; g++) {
                double d = x[r * nG + g] - mean[g];
                cov[g] += d * dt;
                ss[g] += d * d;
            }
        }
        double[] out = new double[nG];
        for (int g = 0; g < nG; g++) {
            double den = Math.sqrt(ss[g] * ss[t]);
            out[g] = den > 0 ? cov[g] / den : 0;
        }
        return out;
    }

    /**
     * Scale factors (a, b) such that {@code a · fit + b · marginal} is the blend above: a = 1 − w,
     * b = w · sd(fit) / sd(marginal) (b = 0 when the marginal shift is flat).
     *
     * @param fit      per gene, the fit's mean predicted shift
     * @param marginal per gene, the marginal shift
     * @param skip     genes left out of the standard deviations (the perturbed ones)
     */
    public static double[] factors(double[] fit, double[] marginal, boolean[] skip, double w) {
        if (!(w >= 0 && w <= 1)) {
            throw new IllegalArgumentException("blend weight must be in [0, 1], not " + w);
        }
        double sf = sd(fit, skip);
        double sm = sd(marginal, skip);
        return new double[]{1 - w, sm > 0 ? w * sf / sm : 0};
    }

    /** The blend of {@code fit} and {@code marginal} (per gene); genes in {@code skip} keep the fit's value. */
    public static double[] blend(double[] fit, double[] marginal, boolean[] skip, double w) {
        double[] f = factors(fit, marginal, skip, w);
        double[] out = new double[fit.length];
        for (int g = 0; g < fit.length; g++) {
            out[g] = skip[g] ? fit[g] : f[0] * fit[g] + f[1] * marginal[g];
        }
        return out;
    }

    /**
     * Blends the per-cell shift in place: per cell c and gene g not perturbed,
     * {@code δ[c,g] ← a · δ[c,g] + b · Σ_i ρ_i[g] · (level_i − x[c, gene_i])} with (a, b) of {@link #factors} on the
     * mean over cells of both, so the mean shift is exactly the blend of the means; then, for non-negative data, the
     * shift is clipped so that no value falls below 0 (as {@link Propagation} does).
     *
     * @param delta       cells × genes, the fit's propagated shift, row-major
     * @param x           cells × genes, the expression the shift applies to
     * @param genes       perturbed gene indices
     * @param levels      their requested levels
     * @param correlation per perturbed gene, every gene's correlation with it ({@link #correlations})
     */
    public static void apply(float[] delta, float[] x, int nG, int[] genes, double[] levels, double[][] correlation,
                             double w, boolean clipAtZero) {
        int nC = x.length / nG;
        double[] fitMean = new double[nG];
        double[] req = new double[genes.length];
        for (int c = 0; c < nC; c++) {
            for (int g = 0; g < nG; g++) {
                fitMean[g] += delta[c * nG + g] / (double) nC;
            }
            for (int i = 0; i < genes.length; i++) {
                req[i] += (levels[i] - x[c * nG + genes[i]]) / nC;
            }
        }
        double[] margMean = new double[nG];
        for (int i = 0; i < genes.length; i++) {
            for (int g = 0; g < nG; g++) {
                margMean[g] += correlation[i][g] * req[i];
            }
        }
        boolean[] skip = mask(nG, genes);
        double[] f = factors(fitMean, margMean, skip, w);
        for (int c = 0; c < nC; c++) {
            for (int g = 0; g < nG; g++) {
                if (skip[g]) {
                    continue;
                }
                double m = 0;
                for (int i = 0; i < genes.length; i++) {
                    m += correlation[i][g] * (levels[i] - x[c * nG + genes[i]]);
                }
                double d = f[0] * delta[c * nG + g] + f[1] * m;
                if (clipAtZero && x[c * nG + g] + d < 0) {
                    d = -x[c * nG + g];
                }
                delta[c * nG + g] = (float) d;
            }
        }
    }

    /** The genes left out of the standard deviations, and left unblended: true at each of {@code genes}. */
    static boolean[] mask(int nG, int[] genes) {
        boolean[] skip = new boolean[nG];
        for (int g : genes) {
            skip[g] = true;
        }
        return skip;
    }

    static double sd(double[] v, boolean[] skip) {
        double s = 0;
        double s2 = 0;
        int n = 0;
        for (int g = 0; g < v.length; g++) {
            if (!skip[g]) {
                s += v[g];
                s2 += v[g] * v[g];
                n++;
            }
        }
        if (n < 2) {
            return 0;
        }
        double m = s / n;
        return Math.sqrt(Math.max(0, (s2 - n * m * m) / (n - 1)));
    }
}
