package io.scgrn.models.perturb;

/**
 * Ridge regression of one centred target on p centred regulators, from sufficient statistics only (the p × p
 * Gram matrix XᵀX, Xᵀy and yᵀy), so its cost does not depend on the number of cells once those are accumulated.
 *
 * <p>The penalty λ is chosen by generalised cross-validation (Golub, Heath &amp; Wahba 1979):
 * {@code GCV(λ) = n·RSS(λ) / (n − df(λ))²} with {@code df(λ) = tr(X(XᵀX + λI)⁻¹Xᵀ)}, over a log grid of λ
 * relative to the mean regulator variance × n. GCV is a rotation-invariant approximation of leave-one-out CV that
 * needs no data split, so it is deterministic and cheap (p ≤ a few tens here); CellOracle itself uses a fixed
 * α = 1 ridge or Bayesian ridge, which does not adapt to the noise level of each target.
 */
public final class RidgeGcv {
    /** λ grid as multiples of trace(XᵀX)/p: 1e-4 … 1e3. */
    static final double[] GRID;

    static {
        GRID = new double[15];
        for (int i = 0; i < GRID.length; i++) {
            GRID[i] = Math.pow(10, -4 + i * 0.5);
        }
    }

    private RidgeGcv() {
    }

    /**
     * A fitted target.
     *
     * @param coef   p coefficients (regulator order of the input)
     * @param lambda the penalty used
     * @param r2     in-sample R² (1 − RSS/yᵀy), 0 when y is constant
     */
    public record Fit(double[] coef, double lambda, double r2) {
    }

    /**
     * @param gram   p × p row-major XᵀX of the centred regulators
     * @param xty    Xᵀy, length p
     * @param yty    yᵀy of the centred target
     * @param n      number of cells
     * @param lambda a fixed penalty (≥ 0), or NaN to choose it by GCV
     */
    public static Fit fit(double[] gram, double[] xty, double yty, int n, double lambda) {
        int p = xty.length;
        if (p == 0 || yty <= 0) {
            return new Fit(new double[p], Double.isNaN(lambda) ? 0 : lambda, 0);
        }
        double scale = 0;
        for (int i = 0; i < p; i++) {
            scale += gram[i * p + i];
        }
        scale /= p;
        if (scale <= 0) {
            return new Fit(new double[p], Double.isNaN(lambda) ? 0 : lambda, 0);
        }
        if (!Double.isNaN(lambda)) {
            double[] b = solve(gram, xty, p, lambda);
            return new Fit(b == null ? new double[p] : b, lambda, r2(gram, xty, yty, b, p));
        }
        double best = Double.POSITIVE_INFINITY;
        double[] bestCoef = new double[p];
        double bestLambda = 0;
        for (double g : GRID) {
            double l = g * scale;
            double[] b = solve(gram, xty, p, l);
            if (b == null) {
                continue;
            }
            double rss = rss(gram, xty, yty, b, p);
            double df = df(gram, p, l);
            double denom = n - df;
            if (denom <= 0) {
                continue;
            }
            double gcv = n * rss / (denom * denom);
            if (gcv < best) {
                best = gcv;
                bestCoef = b;
                bestLambda = l;
            }
        }
        return new Fit(bestCoef, bestLambda, r2(gram, xty, yty, bestCoef, p));
    }

    /**
     * Ridge with a penalty of its own per coefficient, {@code λ · Σ_a f_a b_a²} (adaptive ridge): the same fit as
     * {@link #fit} on regulators rescaled by {@code 1/√f_a}, whose coefficients are then scaled back, so GCV chooses
     * λ as there and the in-sample R² is that of the weighted fit.
     *
     * @param factors p penalty factors, each &gt; 0 and finite (1 everywhere is {@link #fit})
     */
    public static Fit fitWeighted(double[] gram, double[] xty, double yty, int n, double lambda, double[] factors) {
        int p = xty.length;
        double[] s = new double[p];
        for (int a = 0; a < p; a++) {
            s[a] = 1 / Math.sqrt(factors[a]);
        }
        double[] g = new double[p * p];
        double[] v = new double[p];
        for (int a = 0; a < p; a++) {
            v[a] = xty[a] * s[a];
            for (int b = 0; b < p; b++) {
                g[a * p + b] = gram[a * p + b] * s[a] * s[b];
            }
        }
        Fit f = fit(g, v, yty, n, lambda);
        double[] coef = new double[p];
        for (int a = 0; a < p; a++) {
            coef[a] = f.coef()[a] * s[a];
        }
        return new Fit(coef, f.lambda(), f.r2());
    }

    private static double r2(double[] gram, double[] xty, double yty, double[] b, int p) {
        if (b == null) {
            return 0;
        }
        return Math.max(0, 1 - rss(gram, xty, yty, b, p) / yty);
    }

    /** RSS = yᵀy − 2bᵀXᵀy + bᵀXᵀXb (clamped at 0 against rounding). */
    static double rss(double[] gram, double[] xty, double yty, double[] b, int p) {
        double s = yty;
        for (int i = 0; i < p; i++) {
            s -= 2 * b[i] * xty[i];
            double gi = 0;
            for (int j = 0; j < p; j++) {
                gi += gram[i * p + j] * b[j];
            }
            s += b[i] * gi;
        }
        return Math.max(0, s);
    }

    /** Effective degrees of freedom tr((XᵀX + λI)⁻¹ XᵀX). */
    static double df(double[] gram, int p, double lambda) {
        double[] l = cholesky(gram, p, lambda);
        if (l == null) {
            return p;
        }
        double tr = 0;
        double[] col = new double[p];
        for (int j = 0; j < p; j++) {
            for (int i = 0; i < p; i++) {
                col[i] = gram[i * p + j];
            }
            double[] x = cholSolve(l, col, p);
            tr += x[j];
        }
        return tr;
    }

    /** (XᵀX + λI)⁻¹ Xᵀy, or null when the system is singular (λ = 0 with collinear regulators). */
    static double[] solve(double[] gram, double[] xty, int p, double lambda) {
        double[] l = cholesky(gram, p, lambda);
        return l == null ? null : cholSolve(l, xty, p);
    }

    private static double[] cholesky(double[] a, int p, double lambda) {
        double[] l = new double[p * p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * p + j] + (i == j ? lambda : 0);
                for (int k = 0; k < j; k++) {
                    s -= l[i * p + k] * l[j * p + k];
                }
                if (i == j) {
                    if (s <= 1e-12 * Math.max(1, Math.abs(a[i * p + i]))) {
                        return null;
                    }
                    l[i * p + i] = Math.sqrt(s);
                } else {
                    l[i * p + j] = s / l[j * p + j];
                }
            }
        }
        return l;
    }

    private static double[] cholSolve(double[] l, double[] b, int p) {
        double[] y = new double[p];
        for (int i = 0; i < p; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i * p + k] * y[k];
            }
            y[i] = s / l[i * p + i];
        }
        double[] x = new double[p];
        for (int i = p - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < p; k++) {
                s -= l[k * p + i] * x[k];
            }
            x[i] = s / l[i * p + i];
        }
        return x;
    }
}
