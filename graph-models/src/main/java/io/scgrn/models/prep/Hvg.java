package io.scgrn.models.prep;

import io.scgrn.anndata.Matrix;

import java.util.Arrays;

/** Highly-variable-gene scores as scanpy computes them (flavours "seurat_v3" and "seurat"). */
final class Hvg {
    private Hvg() {
    }

    /**
     * Seurat v3 VST on raw counts: fit log10(variance) against log10(mean) with a local quadratic regression (span
     * 0.3), standardise each gene by the fitted deviation, clip at √N and return the variance of the clipped
     * standardised values (scanpy's {@code variances_norm}). Genes that do not vary score NaN.
     */
    static double[] seuratV3(Matrix m, int[] rowMap, int n, double[] sum, double[] sumSq, boolean[] varies) {
        SeuratV3 s = new SeuratV3(n, sum, sumSq, varies);
        Preparation.forEachEntry(m, (r, c, v) -> {
            if (rowMap[r] >= 0) {
                s.accept(c, v);
            }
        });
        return s.scores();
    }

    /**
     * Seurat v3 in two steps, so that the clipped sums can be gathered in any pass over the entries: the
     * constructor fits the mean–variance trend from the count sums, {@link #accept} takes each stored entry of the
     * cells concerned, {@link #scores} gives the result.
     */
    static final class SeuratV3 {
        private final int n;
        private final double[] mean;
        private final double[] var;
        private final int[] which;
        private final double[] regStd;
        private final double[] clip;
        private final double[] cSum;
        private final double[] cSumSq;

        SeuratV3(int n, double[] sum, double[] sumSq, boolean[] varies) {
            this.n = n;
            int g = sum.length;
            mean = new double[g];
            var = new double[g];
            int nv = 0;
            for (int j = 0; j < g; j++) {
                mean[j] = sum[j] / n;
                var[j] = n > 1 ? (sumSq[j] - n * mean[j] * mean[j]) / (n - 1) : 0;
                nv += varies[j] && var[j] > 0 ? 1 : 0;
            }
            double[] x = new double[nv];
            double[] y = new double[nv];
            which = new int[nv];
            int k = 0;
            for (int j = 0; j < g; j++) {
                if (varies[j] && var[j] > 0) {
                    x[k] = Math.log10(mean[j]);
                    y[k] = Math.log10(var[j]);
                    which[k++] = j;
                }
            }
            double[] fit = loess(x, y, 0.3);
            regStd = new double[g];
            clip = new double[g];
            Arrays.fill(regStd, Double.NaN);
            for (int i = 0; i < nv; i++) {
                int j = which[i];
                regStd[j] = Math.sqrt(Math.pow(10, fit[i]));
                clip[j] = regStd[j] * Math.sqrt(n) + mean[j];
            }
            cSum = new double[g];
            cSumSq = new double[g];
        }

        /** Whether {@code varies} selects the same genes as the set this trend was fitted on. */
        boolean sameGenes(boolean[] varies) {
            for (int j = 0; j < varies.length; j++) {
                if ((varies[j] && var[j] > 0) == Double.isNaN(regStd[j])) {
                    return false;
                }
            }
            return true;
        }

        void accept(int c, double v) {
            if (Double.isNaN(regStd[c])) {
                return;
            }
            double w = Math.min(v, clip[c]);
            cSum[c] += w;
            cSumSq[c] += w * w;
        }

        double[] scores() {
            double[] out = new double[mean.length];
            Arrays.fill(out, Double.NaN);
            for (int j : which) {
                double mu = mean[j];
                out[j] = (n * mu * mu + cSumSq[j] - 2 * cSum[j] * mu) / ((n - 1) * regStd[j] * regStd[j]);
            }
            return out;
        }
    }

    /**
     * Seurat dispersion (scanpy flavour "seurat"): on expm1 of log data, dispersion = variance / mean; its log is
     * z-scored within 20 equal-width bins of log1p(mean). Genes that do not vary score NaN.
     */
    static double[] dispersion(double[] sum, double[] sumSq, int n, boolean[] varies) {
        int g = sum.length;
        double[] logMean = new double[g];
        double[] logDisp = new double[g];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < g; j++) {
            double mean = sum[j] / n;
            double var = n > 1 ? (sumSq[j] - n * mean * mean) / (n - 1) : 0;
            if (!varies[j] || mean <= 0 || var <= 0) {
                logDisp[j] = Double.NaN;
                continue;
            }
            logMean[j] = Math.log1p(mean);
            logDisp[j] = Math.log(var / mean);
            lo = Math.min(lo, logMean[j]);
            hi = Math.max(hi, logMean[j]);
        }
        int bins = 20;
        double width = (hi - lo) / bins;
        int[] bin = new int[g];
        double[] bSum = new double[bins];
        double[] bSumSq = new double[bins];
        int[] bN = new int[bins];
        for (int j = 0; j < g; j++) {
            if (Double.isNaN(logDisp[j])) {
                continue;
            }
            int b = width > 0 ? Math.min(bins - 1, (int) ((logMean[j] - lo) / width)) : 0;
            bin[j] = b;
            bSum[b] += logDisp[j];
            bSumSq[b] += logDisp[j] * logDisp[j];
            bN[b]++;
        }
        double[] out = new double[g];
        for (int j = 0; j < g; j++) {
            if (Double.isNaN(logDisp[j])) {
                out[j] = Double.NaN;
                continue;
            }
            int b = bin[j];
            double mu = bSum[b] / bN[b];
            double sd = bN[b] > 1 ? Math.sqrt(Math.max(0, (bSumSq[b] - bN[b] * mu * mu) / (bN[b] - 1))) : 0;
            // a lone gene in its bin is as variable as its neighbours can tell: scanpy sets it to 1
            out[j] = sd > 0 ? (logDisp[j] - mu) / sd : bN[b] == 1 ? 1 : 0;
        }
        return out;
    }

    /**
     * The {@code nTop} best-scoring genes among the varying non-TFs (NaN last, ties by index).
     */
    static boolean[] top(double[] score, boolean[] varies, boolean[] isTf, int nTop) {
        Integer[] idx = new Integer[score.length];
        int k = 0;
        for (int j = 0; j < score.length; j++) {
            if (varies[j] && !isTf[j]) {
                idx[k++] = j;
            }
        }
        Integer[] cand = Arrays.copyOf(idx, k);
        Arrays.sort(cand, (a, b) -> {
            double sa = Double.isNaN(score[a]) ? Double.NEGATIVE_INFINITY : score[a];
            double sb = Double.isNaN(score[b]) ? Double.NEGATIVE_INFINITY : score[b];
            return Double.compare(sb, sa);
        });
        boolean[] out = new boolean[score.length];
        for (int i = 0; i < Math.min(nTop, cand.length); i++) {
            out[cand[i]] = true;
        }
        return out;
    }

    /**
     * Local quadratic regression with tricube weights over the nearest {@code span} fraction of points, evaluated
     * on up to 200 quantiles of x and interpolated linearly (the curve is smooth; fitting at every gene would cost
     * O(genes² · span)).
     */
    static double[] loess(double[] x, double[] y, double span) {
        int n = x.length;
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(x[a], x[b]));
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = x[order[i]];
            ys[i] = y[order[i]];
        }
        int q = Math.max(Math.min(n, 3), (int) Math.ceil(span * n));
        int nGrid = Math.min(n, 200);
        double[] gx = new double[nGrid];
        double[] gy = new double[nGrid];
        for (int k = 0; k < nGrid; k++) {
            gx[k] = xs[nGrid == 1 ? 0 : (int) ((long) k * (n - 1) / (nGrid - 1))];
            gy[k] = localFit(xs, ys, gx[k], q);
        }
        for (int i = 0; i < n; i++) {
            double xi = xs[i];
            int p = Arrays.binarySearch(gx, xi);
            double v;
            if (p >= 0) {
                v = gy[p];
            } else {
                int hiI = -p - 1;
                if (hiI <= 0) {
                    v = gy[0];
                } else if (hiI >= nGrid) {
                    v = gy[nGrid - 1];
                } else {
                    double t = (xi - gx[hiI - 1]) / (gx[hiI] - gx[hiI - 1]);
                    v = gy[hiI - 1] + t * (gy[hiI] - gy[hiI - 1]);
                }
            }
            out[order[i]] = v;
        }
        return out;
    }

    private static double localFit(double[] xs, double[] ys, double x0, int q) {
        int n = xs.length;
        // the q nearest points form a contiguous window of the sorted x: slide it from the insertion point
        int pos = Arrays.binarySearch(xs, x0);
        int lo = pos >= 0 ? pos : -pos - 1;
        int hi = lo; // window [lo, hi)
        while (hi - lo < q) {
            if (lo == 0) {
                hi++;
            } else if (hi == n) {
                lo--;
            } else if (x0 - xs[lo - 1] <= xs[hi] - x0) {
                lo--;
            } else {
                hi++;
            }
        }
        double maxD = Math.max(x0 - xs[lo], xs[hi - 1] - x0) * 1.0000001;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, t0 = 0, t1 = 0, t2 = 0;
        for (int i = lo; i < hi; i++) {
            double d = xs[i] - x0;
            double u = maxD > 0 ? Math.abs(d) / maxD : 0;
            double w = u >= 1 ? 0 : Math.pow(1 - u * u * u, 3);
            s0 += w;
            s1 += w * d;
            s2 += w * d * d;
            s3 += w * d * d * d;
            s4 += w * d * d * d * d;
            t0 += w * ys[i];
            t1 += w * d * ys[i];
            t2 += w * d * d * ys[i];
        }
        // solve [[s0 s1 s2][s1 s2 s3][s2 s3 s4]] · (a b c) = (t0 t1 t2) for a (Cramer's rule)
        double det = s0 * (s2 * s4 - s3 * s3) - s1 * (s1 * s4 - s3 * s2) + s2 * (s1 * s3 - s2 * s2);
        double scale = Math.abs(s0 * s2 * s4) + 1e-300;
        if (Math.abs(det) <= 1e-10 * scale) {
            return s0 > 0 ? t0 / s0 : 0;
        }
        double detA = t0 * (s2 * s4 - s3 * s3) - s1 * (t1 * s4 - s3 * t2) + s2 * (t1 * s3 - s2 * t2);
        return detA / det;
    }
}
