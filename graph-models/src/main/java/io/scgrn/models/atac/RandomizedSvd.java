package io.scgrn.models.atac;

import java.util.Random;

/**
 * Truncated SVD by the randomised range finder of Halko, Martinsson and Tropp (2011): a Gaussian sketch, a few
 * power iterations with re-orthonormalisation, then an exact SVD of the small projected matrix. It needs only
 * products with A and Aᵀ, so a sparse ATAC matrix is never densified.
 */
public final class RandomizedSvd {
    private RandomizedSvd() {
    }

    /** A matrix seen only through its products with thin dense blocks (row-major, {@code l} columns). */
    public interface Operator {
        int rows();

        int cols();

        /** out[rows × l] = A · x[cols × l]. */
        void times(double[] x, int l, double[] out);

        /** out[cols × l] = Aᵀ · y[rows × l]. */
        void transposeTimes(double[] y, int l, double[] out);
    }

    /**
     * The result: {@code u} is rows × k (row-major), {@code s} the k singular values, largest first, {@code v}
     * cols × k (row-major).
     */
    public record Result(int k, double[] u, double[] s, double[] v) {
        /** Row scores U·S (rows × k, row-major), e.g. the cell coordinates of a PCA. */
        public double[] scores() {
            int m = u.length / Math.max(1, k);
            double[] out = new double[m * k];
            for (int c = 0; c < m; c++) {
                for (int t = 0; t < k; t++) {
                    out[c * k + t] = u[c * k + t] * s[t];
                }
            }
            return out;
        }
    }

    /**
     * @param a          the matrix
     * @param k          components wanted (clipped to min(rows, cols))
     * @param oversample extra sketch columns (10 is usual)
     * @param powerIters power iterations (2–4 for slowly decaying spectra such as scATAC)
     * @param seed       seed of the Gaussian sketch
     */
    public static Result compute(Operator a, int k, int oversample, int powerIters, long seed) {
        int m = a.rows();
        int n = a.cols();
        k = Math.max(1, Math.min(k, Math.min(m, n)));
        int l = Math.min(k + oversample, Math.min(m, n));
        Random rnd = new Random(seed);
        double[] omega = new double[n * l];
        for (int i = 0; i < omega.length; i++) {
            omega[i] = rnd.nextGaussian();
        }
        double[] y = new double[m * l];
        a.times(omega, l, y);
        orthonormalise(y, m, l);
        double[] z = new double[n * l];
        for (int it = 0; it < powerIters; it++) {
            a.transposeTimes(y, l, z);
            orthonormalise(z, n, l);
            a.times(z, l, y);
            orthonormalise(y, m, l);
        }
        // B = Qᵀ A is l × n; we hold Bᵀ = Aᵀ Q (n × l).
        double[] bt = new double[n * l];
        a.transposeTimes(y, l, bt);
        // B Bᵀ (l × l) = (Bᵀ)ᵀ Bᵀ; its eigenvectors are B's left singular vectors.
        double[] bbt = new double[l * l];
        for (int r = 0; r < n; r++) {
            int off = r * l;
            for (int i = 0; i < l; i++) {
                double bi = bt[off + i];
                if (bi == 0) {
                    continue;
                }
                for (int j = i; j < l; j++) {
                    bbt[i * l + j] += bi * bt[off + j];
                }
            }
        }
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < i; j++) {
                bbt[i * l + j] = bbt[j * l + i];
            }
        }
        double[] evec = new double[l * l];
        double[] eval = jacobiEigen(bbt, l, evec);
        Integer[] order = new Integer[l];
        for (int i = 0; i < l; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (p, q) -> Double.compare(eval[q], eval[p]));
        double[] s = new double[k];
        double[] u = new double[m * k];
        double[] v = new double[n * k];
        for (int c = 0; c < k; c++) {
            int e = order[c];
            double sv = Math.sqrt(Math.max(0, eval[e]));
            s[c] = sv;
            // u = Q · ub
            for (int r = 0; r < m; r++) {
                double acc = 0;
                for (int j = 0; j < l; j++) {
                    acc += y[r * l + j] * evec[j * l + e];
                }
                u[r * k + c] = acc;
            }
            // v = Bᵀ ub / s
            for (int r = 0; r < n; r++) {
                double acc = 0;
                for (int j = 0; j < l; j++) {
                    acc += bt[r * l + j] * evec[j * l + e];
                }
                v[r * k + c] = sv > 0 ? acc / sv : 0;
            }
        }
        fixSigns(u, v, m, n, k);
        return new Result(k, u, s, v);
    }

    /** Makes the largest-magnitude entry of each u column positive, so results do not flip between runs. */
    private static void fixSigns(double[] u, double[] v, int m, int n, int k) {
        for (int c = 0; c < k; c++) {
            double best = 0;
            for (int r = 0; r < m; r++) {
                if (Math.abs(u[r * k + c]) > Math.abs(best)) {
                    best = u[r * k + c];
                }
            }
            if (best < 0) {
                for (int r = 0; r < m; r++) {
                    u[r * k + c] = -u[r * k + c];
                }
                for (int r = 0; r < n; r++) {
                    v[r * k + c] = -v[r * k + c];
                }
            }
        }
    }

    /**
     * Gram–Schmidt with re-orthogonalisation ("twice is enough") on the columns of a rows × l row-major block. A
     * column that is (numerically) in the span of the previous ones is set to zero rather than normalised, since
     * normalising rounding noise would give a vector that is not orthogonal to the others.
     */
    static void orthonormalise(double[] a, int rows, int l) {
        for (int c = 0; c < l; c++) {
            double orig = 0;
            for (int r = 0; r < rows; r++) {
                orig += a[r * l + c] * a[r * l + c];
            }
            orig = Math.sqrt(orig);
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < c; p++) {
                    double dot = 0;
                    for (int r = 0; r < rows; r++) {
                        dot += a[r * l + c] * a[r * l + p];
                    }
                    for (int r = 0; r < rows; r++) {
                        a[r * l + c] -= dot * a[r * l + p];
                    }
                }
            }
            double norm = 0;
            for (int r = 0; r < rows; r++) {
                norm += a[r * l + c] * a[r * l + c];
            }
            norm = Math.sqrt(norm);
            boolean degenerate = norm <= 1e-10 * orig || norm == 0;
            for (int r = 0; r < rows; r++) {
                a[r * l + c] = degenerate ? 0 : a[r * l + c] / norm;
            }
        }
    }

    /**
     * Cyclic Jacobi eigen-decomposition of a symmetric n × n matrix (destroyed). Eigenvectors go into the
     * columns of {@code vecs}.
     */
    static double[] jacobiEigen(double[] a, int n, double[] vecs) {
        java.util.Arrays.fill(vecs, 0);
        for (int i = 0; i < n; i++) {
            vecs[i * n + i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < n; i++) {
                diag += a[i * n + i] * a[i * n + i];
                for (int j = i + 1; j < n; j++) {
                    off += a[i * n + j] * a[i * n + j];
                }
            }
            if (off <= 1e-24 * Math.max(diag, 1e-300)) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p * n + q];
                    if (Math.abs(apq) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k * n + p];
                        double akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p * n + k];
                        double aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = vecs[k * n + p];
                        double vkq = vecs[k * n + q];
                        vecs[k * n + p] = c * vkp - s * vkq;
                        vecs[k * n + q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = a[i * n + i];
        }
        return out;
    }
}
