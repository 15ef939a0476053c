package io.scgrn.models.numerics;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

import java.util.Random;

/**
 * Truncated SVD by the randomised range finder of Halko, Martinsson and Tropp (2011): a Gaussian sketch, a few
 * power iterations with re-orthonormalisation (EJML's Householder QR), then an exact SVD (EJML) of the small
 * projected matrix. It needs only products with A and Aᵀ, so a sparse ATAC matrix is never densified.
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
        // B = Qᵀ A is l × n; we hold Bᵀ = Aᵀ Q (n × l). Bᵀ = U' S V'ᵀ gives B = V' S U'ᵀ, so A ≈ (Q V') S U'ᵀ.
        double[] bt = new double[n * l];
        a.transposeTimes(y, l, bt);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, l, true, true, true);
        if (!svd.decompose(DMatrixRMaj.wrap(n, l, bt))) {
            throw new ArithmeticException("SVD of the projected " + n + " x " + l + " matrix did not converge");
        }
        DMatrixRMaj uPrime = svd.getU(null, false);
        DMatrixRMaj wPrime = svd.getW(null);
        DMatrixRMaj vPrime = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(uPrime, false, wPrime, vPrime, false);
        DMatrixRMaj qv = new DMatrixRMaj(m, l);
        CommonOps_DDRM.mult(DMatrixRMaj.wrap(m, l, y), vPrime, qv);
        double[] s = new double[k];
        double[] u = new double[m * k];
        double[] v = new double[n * k];
        for (int c = 0; c < k; c++) {
            s[c] = wPrime.get(c, c);
            for (int r = 0; r < m; r++) {
                u[r * k + c] = qv.get(r, c);
            }
            for (int r = 0; r < n; r++) {
                v[r * k + c] = s[c] > 0 ? uPrime.get(r, c) : 0;
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
     * Replaces the columns of a rows × l row-major block by the thin Q of its Householder QR: orthonormal columns
     * whose span contains the block's. A column already in the span of the previous ones makes EJML report
     * failure (a zero reflector), but Q is still a product of reflectors and so still orthonormal; the extra
     * direction it contributes is harmless to the range finder, hence the result of {@code decompose} is ignored.
     */
    static void orthonormalise(double[] a, int rows, int l) {
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(rows, l);
        qr.decompose(DMatrixRMaj.wrap(rows, l, a.clone()));
        DMatrixRMaj q = qr.getQ(null, true);
        System.arraycopy(q.data, 0, a, 0, rows * l);
    }
}
