package io.scgrn.models.numerics;

import java.util.stream.IntStream;

/**
 * A dense cells × genes float matrix (row-major) as a {@link RandomizedSvd.Operator}, optionally centred by column
 * means without materialising X − 1μᵀ. Zero entries are skipped, so log-normalised data with many zeros stays cheap.
 * Shared by the RNA metacells of preparation and of the multiome pipeline; the arithmetic order is fixed, so a
 * given seed gives the same embedding byte for byte.
 */
public final class DenseOperator extends CentredOperator {
    private final float[] x;
    /** With {@link #standardised}: per-column mean and sd of the z-scores, and their clip; else null. */
    private final double[] zMean;
    private final double[] zSd;
    private final double clip;

    /**
     * @param x    cells × genes, row-major
     * @param n    cells (rows)
     * @param g    genes (columns)
     * @param mean per-gene means to subtract implicitly, or {@code null} for the matrix as it is
     */
    public DenseOperator(float[] x, int n, int g, double[] mean) {
        this(x, n, g, mean, null, null, 0);
    }

    private DenseOperator(float[] x, int n, int g, double[] mean, double[] zMean, double[] zSd, double clip) {
        super(n, g, mean);
        this.x = x;
        this.zMean = zMean;
        this.zSd = zSd;
        this.clip = clip;
    }

    /**
     * The z-scores of x's columns, clipped at ±{@code clip} and rounded to float, computed entry by entry as the
     * products read them: the same operator as a float array holding {@code (float) clamp((x − mean) / sd)} (0 where
     * sd is 0), without that cells × genes copy.
     *
     * @param mean per-column means (length g)
     * @param sd   per-column standard deviations (length g)
     */
    public static DenseOperator standardised(float[] x, int n, int g, double[] mean, double[] sd, double clip) {
        return new DenseOperator(x, n, g, null, mean, sd, clip);
    }

    /** Entry (c, j) as the products use it: x's value, or its clipped z-score. */
    private double value(int c, int j) {
        float v = x[c * g + j];
        if (zSd == null) {
            return v;
        }
        double z = zSd[j] > 0 ? (v - zMean[j]) / zSd[j] : 0;
        return (float) Math.max(-clip, Math.min(clip, z));
    }

    /**
     * Sample standard deviations (n − 1; 1 for a single row) of a cells × genes row-major matrix's columns about
     * {@code mean} ({@link #columnMeans}), squares summed cell by cell in double.
     */
    public static double[] columnSds(float[] x, int n, int g, double[] mean) {
        double[] sd = new double[g];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                double v = x[c * g + j] - mean[j];
                sd[j] += v * v;
            }
        }
        for (int j = 0; j < g; j++) {
            sd[j] = Math.sqrt(sd[j] / Math.max(1, n - 1));
        }
        return sd;
    }

    /** Column means of a cells × genes row-major matrix, summed cell by cell in double. */
    public static double[] columnMeans(float[] x, int n, int g) {
        double[] mean = new double[g];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                mean[j] += x[c * g + j];
            }
        }
        for (int j = 0; j < g; j++) {
            mean[j] /= n;
        }
        return mean;
    }

    @Override
    void addTimes(double[] in, int l, double[] out) {
        IntStream.range(0, n).parallel().forEach(c -> {
            int ob = c * l;
            for (int j = 0; j < g; j++) {
                double a = value(c, j);
                if (a != 0) {
                    int ib = j * l;
                    for (int t = 0; t < l; t++) {
                        out[ob + t] += a * in[ib + t];
                    }
                }
            }
        });
    }

    @Override
    void addTransposeTimes(double[] y, int l, double[] out) {
        IntStream.range(0, g).parallel().forEach(j -> {
            int ob = j * l;
            for (int c = 0; c < n; c++) {
                double a = value(c, j);
                if (a != 0) {
                    int yb = c * l;
                    for (int t = 0; t < l; t++) {
                        out[ob + t] += a * y[yb + t];
                    }
                }
            }
        });
    }

    /** μᵀ·in for in (len(μ) × l, row-major): the shift that centring subtracts from every row of X·in. */
    public static double[] meanTimes(double[] mean, double[] in, int l) {
        double[] mu = new double[l];
        for (int j = 0; j < mean.length; j++) {
            for (int t = 0; t < l; t++) {
                mu[t] += mean[j] * in[j * l + t];
            }
        }
        return mu;
    }

    /** 1ᵀ·y for y (rows × l, row-major): the column sums that centring multiplies by μ in Xᵀ·y. */
    public static double[] columnSums(double[] y, int rows, int l) {
        double[] s = new double[l];
        for (int c = 0; c < rows; c++) {
            for (int t = 0; t < l; t++) {
                s[t] += y[c * l + t];
            }
        }
        return s;
    }
}
