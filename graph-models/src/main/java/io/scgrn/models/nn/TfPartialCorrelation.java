package io.scgrn.models.nn;

import io.scgrn.models.ModelException;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Partial correlation of each regulator with each gene given the OTHER REGULATORS only (not all genes): for a
 * TF → target pair, the partial correlation in the precision matrix of {@code [TFs + target]}, computed from the
 * shrunk correlation {@code S = (1 - shrink) C + shrink I}.
 *
 * <p>Why: conditioning on every gene ({@link GeneGraph#partialCorrelation}) explains a target by its co-expressed
 * non-regulator neighbours too; with few regulators among many genes that removes most of the TF → target signal.
 * Conditioning on the candidate regulators only is the regression view of a GRN: each target regressed on all
 * TFs with ridge shrinkage.
 *
 * <p>All targets at once from one inverse {@code A⁻¹} of the TF block {@code A = S[T,T]} ([k, k]) by the Schur
 * complement: for a non-TF target j with {@code b = S[T,j]}, {@code β = A⁻¹ b} (the ridge regression of j on the
 * TFs), {@code s = 1 - bᵀβ}; then {@code pcor(t, j) = β_t / sqrt(s · A⁻¹_tt + β_t²)}. For a TF target u it is
 * {@code -A⁻¹_tu / sqrt(A⁻¹_tt A⁻¹_uu)} (u is already in the conditioning block). Cost O(k³ + k² g).
 */
final class TfPartialCorrelation {
    private TfPartialCorrelation() {
    }

    /**
     * @param corr   [g, g] row-major correlation matrix
     * @param tfIdx  the regulators' gene indices (k of them, distinct)
     * @param shrink weight of the identity in the shrunk correlation, in [0, 1)
     * @return [k, g] row-major partial correlations, self-loops 0
     */
    static float[] of(float[] corr, int g, int[] tfIdx, double shrink) {
        int k = tfIdx.length;
        double keep = 1 - shrink;
        double[][] a = new double[k][k];
        for (int t = 0; t < k; t++) {
            for (int u = 0; u < k; u++) {
                a[t][u] = keep * corr[tfIdx[t] * g + tfIdx[u]] + (t == u ? shrink : 0);
            }
        }
        double[][] inv = inverse(a);
        int[] pos = new int[g];
        Arrays.fill(pos, -1);
        for (int t = 0; t < k; t++) {
            pos[tfIdx[t]] = t;
        }
        float[] out = new float[k * g];
        // Targets in parallel: each writes only its own column, so the result does not depend on the thread count.
        IntStream.range(0, g).parallel().forEach(j -> {
            if (pos[j] >= 0) {
                int u = pos[j];
                for (int t = 0; t < k; t++) {
                    out[t * g + j] = t == u ? 0 : (float) (-inv[t][u] / Math.sqrt(inv[t][t] * inv[u][u]));
                }
                return;
            }
            double[] b = new double[k];
            for (int t = 0; t < k; t++) {
                b[t] = keep * corr[tfIdx[t] * g + j];
            }
            double s = 1;
            double[] beta = new double[k];
            for (int t = 0; t < k; t++) {
                double x = 0;
                double[] row = inv[t];
                for (int u = 0; u < k; u++) {
                    x += row[u] * b[u];
                }
                beta[t] = x;
                s -= b[t] * x;
            }
            for (int t = 0; t < k; t++) {
                out[t * g + j] = (float) (beta[t] / Math.sqrt(s * inv[t][t] + beta[t] * beta[t]));
            }
        });
        return GeneGraph.requireFinite(out, "regulator partial correlation");
    }

    /** Inverse of a symmetric positive-definite matrix by Cholesky ({@code A = L Lᵀ}, then {@code L⁻ᵀ L⁻¹}). */
    static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int q = 0; q < j; q++) {
                    s -= l[i][q] * l[j][q];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new ModelException("X", "regulator correlation block is not positive definite"
                                + " (raise shrink)");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        // Columns of L⁻¹ (lower triangular) by forward substitution, then A⁻¹ = (L⁻¹)ᵀ L⁻¹.
        double[][] li = new double[n][n];
        for (int c = 0; c < n; c++) {
            li[c][c] = 1 / l[c][c];
            for (int i = c + 1; i < n; i++) {
                double s = 0;
                for (int q = c; q < i; q++) {
                    s -= l[i][q] * li[q][c];
                }
                li[i][c] = s / l[i][i];
            }
        }
        double[][] inv = new double[n][n];
        IntStream.range(0, n).parallel().forEach(i -> {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int q = i; q < n; q++) {
                    s += li[q][i] * li[q][j];
                }
                inv[i][j] = s;
            }
        });
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                inv[i][j] = inv[j][i];
            }
        }
        return inv;
    }
}
