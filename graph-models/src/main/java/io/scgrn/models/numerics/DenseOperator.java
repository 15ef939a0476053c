package io.scgrn.models.numerics;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A dense cells × genes float matrix (row-major) as a {@link RandomizedSvd.Operator}, optionally centred by column
 * means without materialising X − 1μᵀ. Zero entries are skipped, so log-normalised data with many zeros stays cheap.
 * Shared by the RNA metacells of preparation and of the multiome pipeline; the arithmetic order is fixed, so a
 * given seed gives the same embedding byte for byte.
 */
public final class DenseOperator implements RandomizedSvd.Operator {
    private final float[] x;
    private final int n;
    private final int g;
    private final double[] mean;

    /**
     * @param x    cells × genes, row-major
     * @param n    cells (rows)
     * @param g    genes (columns)
     * @param mean per-gene means to subtract implicitly, or {@code null} for the matrix as it is
     */
    public DenseOperator(float[] x, int n, int g, double[] mean) {
        this.x = x;
        this.n = n;
        this.g = g;
        this.mean = mean;
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
    public int rows() {
        return n;
    }

    @Override
    public int cols() {
        return g;
    }

    @Override
    public void times(double[] in, int l, double[] out) {
        // (X − 1μᵀ)·in = X·in − 1·(μᵀ·in)
        double[] shift = mean == null ? null : meanTimes(mean, in, l);
        IntStream.range(0, n).parallel().forEach(c -> {
            int ob = c * l;
            if (shift == null) {
                Arrays.fill(out, ob, ob + l, 0);
            } else {
                for (int t = 0; t < l; t++) {
                    out[ob + t] = -shift[t];
                }
            }
            int vb = c * g;
            for (int j = 0; j < g; j++) {
                double a = x[vb + j];
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
    public void transposeTimes(double[] y, int l, double[] out) {
        // (X − 1μᵀ)ᵀ·y = Xᵀ·y − μ·(1ᵀ·y)
        double[] ySum = mean == null ? null : columnSums(y, n, l);
        IntStream.range(0, g).parallel().forEach(j -> {
            int ob = j * l;
            if (ySum == null) {
                Arrays.fill(out, ob, ob + l, 0);
            } else {
                for (int t = 0; t < l; t++) {
                    out[ob + t] = -mean[j] * ySum[t];
                }
            }
            for (int c = 0; c < n; c++) {
                double a = x[c * g + j];
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
