package io.scgrn.models.nn;

import ai.djl.ndarray.NDManager;

import java.util.stream.IntStream;

/**
 * Partial correlation of each regulator t with each gene j given every gene EXCEPT t's neighbourhood {@code N_k(t)}
 * (t's k genes of largest |r|, its likely targets), computed from the shrunk correlation
 * {@code S = (1 - shrink) C + shrink I} (crowd's {@code condition=exclude}, round 16, helper e16).
 *
 * <p>Why: where a regulator's measured level is a noisy instantaneous copy of what its targets integrate
 * (errors in variables; SERGIO's steady state), its other targets ("siblings") explain a target better than the
 * regulator itself, so conditioning on them screens the true edge off. Leaving t's own neighbourhood out of the
 * conditioning set keeps the siblings from screening t, while every other gene (the target's other regulators, the
 * cell-state structure) is still conditioned on.
 *
 * <p>From the precision {@code P = S⁻¹} by the Schur complement: the precision of the marginal over
 * {@code A = V \ B} is {@code P_AA − P_AB P_BB⁻¹ P_BA}. For j outside B (B = N_k(t)) this gives the entry directly;
 * for j inside B the set is {@code B \ {j}}, whose {@code P⁻¹} block is {@code P_BB⁻¹} with j's row and column
 * removed by the rank-one identity {@code M₋ⱼ₋ⱼ − m mᵀ / M_jj}. Cost O(g³) for P, then O(k² g + k³) per regulator.
 */
final class ExcludedPartialCorrelation {
    private ExcludedPartialCorrelation() {
    }

    /**
     * @param corr   [g, g] row-major correlation matrix
     * @param tfIdx  the regulators' gene indices
     * @param shrink weight of the identity in the shrunk correlation, in [0, 1)
     * @param k      neighbourhood size (capped at g − 1, where the result is Pearson r)
     * @return [tfIdx.length, g] row-major partial correlations, self-loops 0
     */
    static float[] of(NDManager manager, float[] corr, int g, int[] tfIdx, double shrink, int k) {
        double[] p = precision(manager, corr, g, shrink);
        int kk = Math.min(k, g - 1);
        float[] out = new float[tfIdx.length * g];
        if (kk < 1) {
            // nothing to leave out: the ordinary partial correlation
            for (int a = 0; a < tfIdx.length; a++) {
                int t = tfIdx[a];
                for (int j = 0; j < g; j++) {
                    out[a * g + j] = j == t ? 0 : (float) (-p[t * g + j] / Math.sqrt(p[t * g + t] * p[j * g + j]));
                }
            }
            return GeneGraph.requireFinite(out, "partial correlation");
        }
        // Regulators in parallel: each writes only its own row, so the result does not depend on the thread count.
        IntStream.range(0, tfIdx.length).parallel().forEach(a -> row(p, corr, g, tfIdx[a], kk, out, a * g));
        return GeneGraph.requireFinite(out, "partial correlation");
    }

    private static void row(double[] p, float[] corr, int g, int t, int k, float[] out, int off) {
        int[] b = GeneGraph.strongest(corr, g, t, k);
        double[][] pbb = new double[k][k];
        for (int q = 0; q < k; q++) {
            for (int r = 0; r < k; r++) {
                pbb[q][r] = p[b[q] * g + b[r]];
            }
        }
        double[][] m = TfPartialCorrelation.inverse(pbb);
        // W = M · P[B, :]  ([k, g])
        double[][] w = new double[k][g];
        for (int q = 0; q < k; q++) {
            double[] wq = w[q];
            for (int r = 0; r < k; r++) {
                double mqr = m[q][r];
                int base = b[r] * g;
                for (int j = 0; j < g; j++) {
                    wq[j] += mqr * p[base + j];
                }
            }
        }
        double[] u = new double[k];
        double[] mu = new double[k];
        double uMu = 0;
        for (int q = 0; q < k; q++) {
            u[q] = p[b[q] * g + t];
            mu[q] = w[q][t];
            uMu += u[q] * mu[q];
        }
        double ptt = p[t * g + t] - uMu;
        boolean[] inB = new boolean[g];
        for (int q = 0; q < k; q++) {
            inB[b[q]] = true;
        }
        // row t and the diagonal of the marginal precision, q outer so that the inner loops run along rows
        double[] ptj = new double[g];
        double[] pjj = new double[g];
        System.arraycopy(p, t * g, ptj, 0, g);
        for (int j = 0; j < g; j++) {
            pjj[j] = p[j * g + j];
        }
        for (int q = 0; q < k; q++) {
            double uq = u[q];
            double[] wq = w[q];
            int base = b[q] * g;
            for (int j = 0; j < g; j++) {
                ptj[j] -= uq * wq[j];
                pjj[j] -= p[base + j] * wq[j];
            }
        }
        for (int j = 0; j < g; j++) {
            if (j != t && !inB[j]) {
                out[off + j] = (float) (-ptj[j] / Math.sqrt(ptt * pjj[j]));
            }
        }
        for (int q = 0; q < k; q++) {
            int j = b[q];
            double mqq = m[q][q];
            double uMv = 0;
            double vMv = 0;
            for (int r = 0; r < k; r++) {
                uMv += u[r] * w[r][j];
                vMv += p[b[r] * g + j] * w[r][j];
            }
            double vq = p[j * g + j];
            double mvq = w[q][j];
            double tj = p[t * g + j] - drop(u[q], mu[q], vq, mvq, uMv, mqq);
            double tt = p[t * g + t] - drop(u[q], mu[q], u[q], mu[q], uMu, mqq);
            double jj = p[j * g + j] - drop(vq, mvq, vq, mvq, vMv, mqq);
            out[off + j] = (float) (-tj / Math.sqrt(tt * jj));
        }
        out[off + t] = 0;
    }

    /**
     * {@code x₋q ᵀ (M₋q₋q − m mᵀ / M_qq) y₋q} from {@code xᵀMy} and the q-th entries of x, Mx, y, My: the quadratic
     * form in the inverse of {@code P_BB} without its q-th row and column.
     */
    private static double drop(double xq, double mxq, double yq, double myq, double xMy, double mqq) {
        return xMy - xq * myq - mxq * yq + xq * mqq * yq - (mxq - xq * mqq) * (myq - mqq * yq) / mqq;
    }

    private static double[] precision(NDManager manager, float[] corr, int g, double shrink) {
        try (NDManager m = manager.newSubManager()) {
            float[] pf = GeneGraph.shrunkPrecision(m, corr, g, shrink).toFloatArray();
            double[] p = new double[pf.length];
            for (int i = 0; i < g; i++) {
                for (int j = 0; j < g; j++) {
                    // symmetrised (the float inverse is symmetric only up to rounding)
                    p[i * g + j] = 0.5 * ((double) pf[i * g + j] + pf[j * g + i]);
                }
            }
            return p;
        }
    }
}
