package io.scgrn.models.perturb;

/**
 * Which of a target's candidate regulators enter its model: a weighted lasso path on the standardised regulators,
 * computed from sufficient statistics only (XᵀX, Xᵀy, yᵀy of centred data), the point on the path chosen by a
 * Bayesian information criterion.
 *
 * <p>Why it was tried: in a regulatory network a gene has a few regulators, and an inferred network's top candidates
 * of a target are mostly correlated TFs that do not regulate it; ridge over all candidates spreads the real
 * regulator's effect over them. Measured (docs/benchmarks.md, "In-silico perturbation: round 4"), it neither helps
 * nor hurts the knock-out predictions on simulated data, so it is an option ({@code PerturbOptions.regression
 * "lasso"}), not the default: the fitted coefficients on kNN-smoothed rows already give decoys little weight.
 *
 * <p>Objective, with S the regulators' correlation matrix, r their correlation-scaled covariance with the target
 * (all divided by n) and w the penalty factors: {@code ½bᵀSb − rᵀb + λ Σ w_j |b_j|}, by cyclic coordinate descent
 * along a log grid of λ from λ_max (nothing enters) down to λ_max·{@value #PATH_END}, warm-started. Criterion:
 * {@code n·log(RSS/n) + c·df·log(n)} with df the number of non-zero coefficients (the lasso's unbiased degrees of
 * freedom, Zou, Hastie &amp; Tibshirani 2007) and c the penalty multiplier (c = 1 is BIC). Penalty factors let an
 * edge the network scores higher enter earlier (an adaptive lasso whose weights come from the network). Cost
 * O(path × sweeps × p²), independent of the number of cells.
 */
final class LassoSelection {
    /** λ grid points from λ_max down. */
    static final int PATH = 40;
    /** Smallest λ as a fraction of λ_max. */
    static final double PATH_END = 1e-3;

    private LassoSelection() {
    }

    /**
     * The selected regulators.
     *
     * @param gram    p × p row-major XᵀX of the centred regulators
     * @param xty     Xᵀy
     * @param yty     yᵀy of the centred target
     * @param n       rows the statistics were summed over
     * @param factor  penalty factor per regulator (&gt; 0; 1 = plain lasso), or null for all 1
     * @param bic     multiplier c of the BIC's df·log(n) term
     * @return which regulators are in the chosen model (all false when none improves the criterion)
     */
    static boolean[] select(double[] gram, double[] xty, double yty, int n, double[] factor, double bic) {
        return select(gram, xty, yty, n, factor, bic, true);
    }

    /**
     * As {@link #select(double[], double[], double, int, double[], double)}; {@code relaxed} scores each active set
     * by its least-squares refit's RSS (the model that is used afterwards) instead of the shrunken lasso RSS,
     * which would favour the later, denser points of the path.
     */
    static boolean[] select(double[] gram, double[] xty, double yty, int n, double[] factor, double bic,
                            boolean relaxed) {
        int p = xty.length;
        boolean[] none = new boolean[p];
        if (p == 0 || n < 3 || yty <= 0) {
            return none;
        }
        double[] sd = new double[p];
        for (int j = 0; j < p; j++) {
            sd[j] = Math.sqrt(Math.max(0, gram[j * p + j]) / n);
        }
        double[] s = new double[p * p];
        double[] r = new double[p];
        double lambdaMax = 0;
        for (int j = 0; j < p; j++) {
            if (sd[j] <= 0) {
                continue; // a constant regulator never enters
            }
            for (int k = 0; k < p; k++) {
                s[j * p + k] = sd[k] <= 0 ? 0 : gram[j * p + k] / (n * sd[j] * sd[k]);
            }
            r[j] = xty[j] / (n * sd[j]);
            double w = factor == null ? 1 : factor[j];
            lambdaMax = Math.max(lambdaMax, Math.abs(r[j]) / w);
        }
        double yy = yty / n;
        double floor = 1e-12 * yy;
        double logN = Math.log(n);
        double best = n * Math.log(yy); // the empty model
        boolean[] chosen = none;
        if (lambdaMax <= 0) {
            return none;
        }
        double[] b = new double[p];
        for (int i = 1; i <= PATH; i++) {
            double lambda = lambdaMax * Math.pow(PATH_END, (double) i / PATH);
            descend(s, r, b, p, lambda, factor, sd);
            double rss = yy;
            int df = 0;
            for (int j = 0; j < p; j++) {
                if (b[j] == 0) {
                    continue;
                }
                df++;
                double sb = 0;
                for (int k = 0; k < p; k++) {
                    sb += s[j * p + k] * b[k];
                }
                rss += b[j] * sb - 2 * b[j] * r[j];
            }
            if (relaxed && df > 0) {
                rss = refitRss(s, r, yy, b, p, df);
            }
            double crit = n * Math.log(Math.max(floor, rss)) + bic * df * logN;
            if (crit < best - 1e-9) {
                best = crit;
                chosen = new boolean[p];
                for (int j = 0; j < p; j++) {
                    chosen[j] = b[j] != 0;
                }
            }
        }
        return chosen;
    }

    /** RSS/n of the least-squares fit on the active set {b ≠ 0}: yy − r_Aᵀ S_AA⁻¹ r_A (a 1e-8 ridge if singular). */
    private static double refitRss(double[] s, double[] r, double yy, double[] b, int p, int df) {
        int[] idx = new int[df];
        int q = 0;
        for (int j = 0; j < p; j++) {
            if (b[j] != 0) {
                idx[q++] = j;
            }
        }
        double[] g = subMatrix(s, p, idx);
        double[] ra = subVector(r, idx);
        double[] coef = RidgeGcv.solve(g, ra, df, 0);
        if (coef == null) {
            coef = RidgeGcv.solve(g, ra, df, 1e-8);
        }
        if (coef == null) {
            return yy;
        }
        double fit = 0;
        for (int a = 0; a < df; a++) {
            fit += coef[a] * ra[a];
        }
        return yy - fit;
    }

    /**
     * Cyclic coordinate descent to convergence (warm start in {@code b}): sweeps over the active coefficients until
     * they settle, then one sweep over all to see whether another enters (Friedman, Hastie &amp; Tibshirani 2010).
     */
    private static void descend(double[] s, double[] r, double[] b, int p, double lambda, double[] factor,
                                double[] sd) {
        for (int round = 0; round < 100; round++) {
            if (sweep(s, r, b, p, lambda, factor, sd, false) < TOL) {
                return;
            }
            for (int it = 0; it < 30; it++) {
                if (sweep(s, r, b, p, lambda, factor, sd, true) < TOL) {
                    break;
                }
            }
            polish(s, r, b, p, lambda, factor);
        }
    }

    /**
     * Solves the active set's stationarity conditions exactly, {@code S_AA b_A = r_A − λ w_A sign(b_A)}, and takes
     * that solution when its signs agree: coordinate descent alone crawls when the regulators are nearly collinear
     * (as kNN-smoothed TFs are), and this step finishes it.
     */
    private static void polish(double[] s, double[] r, double[] b, int p, double lambda, double[] factor) {
        int q = 0;
        int[] idx = new int[p];
        for (int j = 0; j < p; j++) {
            if (b[j] != 0) {
                idx[q++] = j;
            }
        }
        if (q == 0) {
            return;
        }
        double[] g = new double[q * q];
        double[] rhs = new double[q];
        for (int a = 0; a < q; a++) {
            int j = idx[a];
            rhs[a] = r[j] - lambda * (factor == null ? 1 : factor[j]) * Math.signum(b[j]);
            for (int c = 0; c < q; c++) {
                g[a * q + c] = s[j * p + idx[c]];
            }
        }
        double[] sol = RidgeGcv.solve(g, rhs, q, 0);
        if (sol == null) {
            return;
        }
        for (int a = 0; a < q; a++) {
            if (Math.signum(sol[a]) != Math.signum(b[idx[a]])) {
                return;
            }
        }
        for (int a = 0; a < q; a++) {
            b[idx[a]] = sol[a];
        }
    }

    /** Convergence tolerance on a standardised coefficient. */
    private static final double TOL = 1e-7;

    /** One sweep (only over non-zero coefficients when {@code activeOnly}); returns the largest change. */
    private static double sweep(double[] s, double[] r, double[] b, int p, double lambda, double[] factor,
                                double[] sd, boolean activeOnly) {
        double change = 0;
        for (int j = 0; j < p; j++) {
            if (sd[j] <= 0 || (activeOnly && b[j] == 0)) {
                continue;
            }
            double z = r[j];
            for (int k = 0; k < p; k++) {
                if (k != j && b[k] != 0) {
                    z -= s[j * p + k] * b[k];
                }
            }
            double t = lambda * (factor == null ? 1 : factor[j]);
            double nb = z > t ? z - t : z < -t ? z + t : 0;
            nb /= s[j * p + j];
            change = Math.max(change, Math.abs(nb - b[j]));
            b[j] = nb;
        }
        return change;
    }

    /** Rows and columns {@code idx} of the symmetric {@code p × p} matrix {@code m} (row-major), in that order. */
    static double[] subMatrix(double[] m, int p, int[] idx) {
        int q = idx.length;
        double[] out = new double[q * q];
        for (int a = 0; a < q; a++) {
            for (int b = 0; b < q; b++) {
                out[a * q + b] = m[idx[a] * p + idx[b]];
            }
        }
        return out;
    }

    /** Entries {@code idx} of {@code v}, in that order. */
    static double[] subVector(double[] v, int[] idx) {
        double[] out = new double[idx.length];
        for (int a = 0; a < idx.length; a++) {
            out[a] = v[idx[a]];
        }
        return out;
    }
}
