package io.scgrn.models.atac;

/** Small numeric helpers shared by the linking steps. */
final class Stats {
    private Stats() {
    }

    /**
     * Columns of a rows × cols row-major matrix centred and scaled so that the dot product of two columns is their
     * Pearson correlation; constant columns become zero vectors (their correlation with anything is 0).
     *
     * @return cols arrays of length rows
     */
    static float[][] standardisedColumns(float[] x, int rows, int cols) {
        float[][] out = new float[cols][rows];
        java.util.stream.IntStream.range(0, cols).parallel().forEach(j -> {
            double mean = 0;
            for (int i = 0; i < rows; i++) {
                mean += x[i * cols + j];
            }
            mean /= rows;
            double ss = 0;
            for (int i = 0; i < rows; i++) {
                double v = x[i * cols + j] - mean;
                ss += v * v;
            }
            double norm = Math.sqrt(ss);
            float[] col = out[j];
            if (norm > 1e-12) {
                for (int i = 0; i < rows; i++) {
                    col[i] = (float) ((x[i * cols + j] - mean) / norm);
                }
            }
        });
        return out;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static boolean isZero(float[] a) {
        for (float v : a) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    /** Upper tail of the standard normal, P(Z > z), by the Abramowitz–Stegun erfc approximation (|error| < 1.5e-7). */
    static double normalUpper(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                + t * 1.061405429))));
        double erfc = poly * Math.exp(-x * x);
        return z >= 0 ? 0.5 * erfc : 1 - 0.5 * erfc;
    }
}
