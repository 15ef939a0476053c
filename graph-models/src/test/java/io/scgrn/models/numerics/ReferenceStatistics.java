package io.scgrn.models.numerics;

import java.util.Arrays;

/**
 * Statistics written the plain textbook way, for tests and benchmarks to check the fast implementations against
 * (and to score with): one copy for the whole test tree.
 */
public final class ReferenceStatistics {
    private ReferenceStatistics() {
    }

    /** Pearson's r of two equally long vectors, two passes over the data; 0 when either is constant. */
    public static double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    /** {@link #pearson(double[], double[])} of float vectors. */
    public static double pearson(float[] a, float[] b) {
        return pearson(toDouble(a), toDouble(b));
    }

    /** Column {@code j} of a rows × cols row-major matrix. */
    public static double[] column(float[] x, int rows, int cols, int j) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = x[r * cols + j];
        }
        return out;
    }

    private static double[] toDouble(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
