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

    /**
     * @param x    cells × genes, row-major
     * @param n    cells (rows)
     * @param g    genes (columns)
     * @param mean per-gene means to subtract implicitly, or {@code null} for the matrix as it is
     */
    public DenseOperator(float[] x, int n, int g, double[] mean) {
        super(n, g, mean);
        this.x = x;
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
    void addTransposeTimes(double[] y, int l, double[] out) {
        IntStream.range(0, g).parallel().forEach(j -> {
            int ob = j * l;
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
