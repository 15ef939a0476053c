package io.scgrn.models.nn;

import io.scgrn.models.ModelException;
import io.scgrn.models.numerics.Ranks;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import java.util.Arrays;

/**
 * Regulator-activity evidence (crowd's {@code w-activity}, round 10): a TF's mRNA is a dropout-ridden proxy for its
 * activity, so, as Inferelator's TF activity and VIPER / decoupler do, a regulator's activity in each cell is
 * estimated from its targets, and a gene is scored by how well it follows that activity.
 *
 * <p>A first pass (crowd's combination) gives TF t its top {@code k} targets S_t (its row's highest scores, the
 * TF itself excluded). Its activity is the signed sum of their standardised expression,
 * {@code a_t(c) = Σ_{j ∈ S_t} s_tj z_j(c)} (s_tj the sign of the edge, e.g. of the partial correlation); the
 * evidence for t → g is {@code |corr(z_g, a_t^(−g))|}, where {@code a_t^(−g)} leaves g itself out of S_t (no
 * self-evidence: a rank-one update of the covariance and variance, {@code cov − s·|z_g|²} and
 * {@code var − 2s·cov + |z_g|²}). Cost: one [cells, k] gather per TF and one [genes, cells] × [cells, TFs]
 * product.
 *
 * <p>What it cannot tell apart: genes that co-vary with a whole module link to every TF whose targets are in that
 * module (the module's score, not the TF's). Measured, not assumed, in docs/benchmarks.md, "GRN accuracy: round 10,
 * regulator activity (helper a9k)".
 */
final class TfActivity {
    private TfActivity() {
    }

    /**
     * Cross-fitted partial-correlation evidence ({@code activity-evidence=pcor}): the genes are split by index
     * parity, and a gene of one half is scored against activities built only from targets in the other half (each
     * TF's top {@code k} there), so no gene is ever part of the activities it is scored against. The evidence for
     * t → g is |partial correlation of z_g and a_t given all other TFs' activities|, on the correlation matrix of
     * [activities, z_g] shrunk towards the identity by {@code shrink} (crowd's {@code shrink}): with
     * {@code R = (1 − λ)·corr(A) + λI}, {@code c = (1 − λ)·corr(A, z_g)}, {@code β = R⁻¹c},
     * {@code p_gg = 1 / (1 − cᵀβ)}: {@code pcor_t = β_t √p_gg / √((R⁻¹)_tt + β_t² p_gg)}. One TF × TF inverse per half.
     *
     * @return TF × gene evidence in [0, 1], row-major [tfIdx.length, g]; 0 on the TF's own gene, constant genes and
     *     constant activities
     */
    static float[] partialEvidence(float[] z, int n, int g, int[] tfIdx, float[] firstPass, float[] sign, int k,
                                   double shrink) {
        int nt = tfIdx.length;
        float[] out = new float[nt * g];
        for (int half = 0; half < 2; half++) {
            // targets from the other half only: mask this half's genes out of the first pass
            float[] masked = firstPass.clone();
            for (int t = 0; t < nt; t++) {
                for (int j = half; j < g; j += 2) {
                    masked[t * g + j] = Float.NEGATIVE_INFINITY;
                }
            }
            int[][] targets = targets(masked, tfIdx, g, k);
            for (int t = 0; t < nt; t++) {
                int m = 0;
                for (int j : targets[t]) {
                    m += j % 2 != half ? 1 : 0;
                }
                targets[t] = Arrays.copyOf(targets[t], m);
            }
            double[] a = activities(z, n, g, targets, sign);
            // unit-variance activities (sums over cells: correlations below are sums / n)
            double[] norm = new double[nt];
            for (int c = 0; c < n; c++) {
                for (int t = 0; t < nt; t++) {
                    norm[t] += a[c * nt + t] * a[c * nt + t];
                }
            }
            for (int t = 0; t < nt; t++) {
                norm[t] = norm[t] > 1e-12 ? Math.sqrt(norm[t] / n) : 0;
            }
            for (int c = 0; c < n; c++) {
                for (int t = 0; t < nt; t++) {
                    a[c * nt + t] = norm[t] > 0 ? a[c * nt + t] / norm[t] : 0;
                }
            }
            DMatrixRMaj r = new DMatrixRMaj(nt, nt);
            for (int c = 0; c < n; c++) {
                int off = c * nt;
                for (int t = 0; t < nt; t++) {
                    double at = a[off + t];
                    if (at == 0) {
                        continue;
                    }
                    for (int u = t; u < nt; u++) {
                        r.data[t * nt + u] += at * a[off + u];
                    }
                }
            }
            for (int t = 0; t < nt; t++) {
                for (int u = t; u < nt; u++) {
                    double v = t == u ? 1 : (1 - shrink) * r.data[t * nt + u] / n;
                    r.data[t * nt + u] = v;
                    r.data[u * nt + t] = v;
                }
            }
            DMatrixRMaj inv = new DMatrixRMaj(nt, nt);
            if (!CommonOps_DDRM.invert(r, inv)) {
                throw new ModelException("activity-evidence", "the activities' shrunk correlation is singular");
            }
            // cz[t][j] = (1 − λ) corr(a_t, z_j) for the genes j of this half
            double[] zz = new double[g];
            double[][] cz = new double[nt][g];
            for (int c = 0; c < n; c++) {
                int off = c * g;
                for (int j = half; j < g; j += 2) {
                    zz[j] += (double) z[off + j] * z[off + j];
                }
                for (int t = 0; t < nt; t++) {
                    double at = a[c * nt + t];
                    if (at == 0) {
                        continue;
                    }
                    double[] row = cz[t];
                    for (int j = half; j < g; j += 2) {
                        row[j] += z[off + j] * at;
                    }
                }
            }
            double[] c = new double[nt];
            double[] beta = new double[nt];
            for (int j = half; j < g; j += 2) {
                if (zz[j] <= 0) {
                    continue;
                }
                double sd = Math.sqrt(zz[j] / n);
                for (int t = 0; t < nt; t++) {
                    c[t] = (1 - shrink) * cz[t][j] / (n * sd);
                }
                double cb = 0;
                for (int t = 0; t < nt; t++) {
                    double b = 0;
                    int row = t * nt;
                    for (int u = 0; u < nt; u++) {
                        b += inv.data[row + u] * c[u];
                    }
                    beta[t] = b;
                    cb += c[t] * b;
                }
                if (cb >= 1 - 1e-12) {
                    continue;
                }
                double pgg = 1 / (1 - cb);
                for (int t = 0; t < nt; t++) {
                    if (j == tfIdx[t] || norm[t] == 0) {
                        continue;
                    }
                    double ptt = inv.data[t * nt + t] + beta[t] * beta[t] * pgg;
                    out[t * g + j] = (float) Math.min(1, Math.abs(beta[t]) * Math.sqrt(pgg) / Math.sqrt(ptt));
                }
            }
        }
        return out;
    }

    /**
     * Each TF's top {@code k} targets by {@code firstPass} (highest first; ties by lower gene index), the TF itself
     * excluded; fewer when the row has fewer other genes.
     *
     * @param firstPass TF × gene scores, row-major [tfIdx.length, g]
     * @return per TF, gene indices
     */
    static int[][] targets(float[] firstPass, int[] tfIdx, int g, int k) {
        if (k < 1) {
            throw new ModelException("activity-k", "must be at least 1, got " + k);
        }
        int[][] out = new int[tfIdx.length][];
        for (int t = 0; t < tfIdx.length; t++) {
            int[] order = Ranks.descendingOrder(firstPass, t * g, g);
            int[] s = new int[Math.min(k, g - 1)];
            int m = 0;
            for (int q = 0; q < g && m < s.length; q++) {
                if (order[q] != tfIdx[t]) {
                    s[m++] = order[q];
                }
            }
            out[t] = Arrays.copyOf(s, m);
        }
        return out;
    }

    /**
     * The activities: {@code a_t(c) = Σ_{j ∈ S_t} sgn(sign[t, j]) z[c, j]} (a sign of 0 counts as +).
     *
     * @param z standardised expression [n, g], row-major (columns mean 0)
     * @param sign TF × gene signs [tfIdx.length, g]
     * @return [n, tfIdx.length], row-major
     */
    static double[] activities(float[] z, int n, int g, int[][] targets, float[] sign) {
        int nt = targets.length;
        double[] a = new double[n * nt];
        for (int c = 0; c < n; c++) {
            int off = c * g;
            for (int t = 0; t < nt; t++) {
                double sum = 0;
                for (int j : targets[t]) {
                    sum += sign[t * g + j] < 0 ? -z[off + j] : z[off + j];
                }
                a[c * nt + t] = sum;
            }
        }
        return a;
    }

    /**
     * The evidence {@code |corr(z_g, a_t^(−g))|} for every TF t and gene g, with g left out of S_t where it is a
     * member; 0 on the TF's own gene, where either side is constant, and where S_t is empty.
     *
     * @param z standardised expression [n, g], row-major (columns mean 0, as {@link NnSupport#standardise})
     * @param firstPass TF × gene scores of the first pass [tfIdx.length, g]
     * @param sign TF × gene edge signs [tfIdx.length, g]
     * @return TF × gene evidence in [0, 1], row-major [tfIdx.length, g]
     */
    static float[] evidence(float[] z, int n, int g, int[] tfIdx, float[] firstPass, float[] sign, int k) {
        return evidence(z, n, g, tfIdx, firstPass, sign, k, false);
    }

    /**
     * {@link #evidence(float[], int, int, int[], float[], float[], int)}, or with {@code withMrna} the TF's own
     * expression and its activity combined: {@code |corr(z_g, z_t/|z_t| + a_t^(−g)/|a_t^(−g)|)|} (the activity
     * alone where the TF is constant), from the same sums plus the TF rows of {@code zᵀz}.
     */
    static float[] evidence(float[] z, int n, int g, int[] tfIdx, float[] firstPass, float[] sign, int k,
                            boolean withMrna) {
        int nt = tfIdx.length;
        int[][] targets = targets(firstPass, tfIdx, g, k);
        double[] a = activities(z, n, g, targets, sign);
        // cov[t][j] = Σ_c z[c, j] a_t(c); var[t] = Σ_c a_t(c)²; zz[j] = Σ_c z[c, j]² (sums, not means: corr is a ratio)
        double[][] cov = new double[nt][g];
        double[] var = new double[nt];
        double[] zz = new double[g];
        // withMrna: rt[t][j] = Σ_c z[c, t] z[c, j] (the TF's row of zᵀz), ta[t] = Σ_c z[c, t] a_t(c)
        double[][] rt = withMrna ? new double[nt][g] : null;
        double[] ta = new double[nt];
        for (int c = 0; c < n; c++) {
            int off = c * g;
            for (int j = 0; j < g; j++) {
                double v = z[off + j];
                zz[j] += v * v;
            }
            for (int t = 0; t < nt; t++) {
                double at = a[c * nt + t];
                var[t] += at * at;
                if (withMrna) {
                    double zt = z[off + tfIdx[t]];
                    ta[t] += zt * at;
                    if (zt != 0) {
                        double[] row = rt[t];
                        for (int j = 0; j < g; j++) {
                            row[j] += z[off + j] * zt;
                        }
                    }
                }
                if (at == 0) {
                    continue;
                }
                double[] row = cov[t];
                for (int j = 0; j < g; j++) {
                    row[j] += z[off + j] * at;
                }
            }
        }
        float[] out = new float[nt * g];
        for (int t = 0; t < nt; t++) {
            boolean[] member = new boolean[g];
            for (int j : targets[t]) {
                member[j] = true;
            }
            for (int j = 0; j < g; j++) {
                if (j == tfIdx[t] || zz[j] <= 0) {
                    continue;
                }
                double cv = cov[t][j];
                double vr = var[t];
                double cta = ta[t];
                if (member[j]) {
                    // leave g out of its own activity: a^(−g) = a − s·z_g
                    double s = sign[t * g + j] < 0 ? -1 : 1;
                    vr = vr - 2 * s * cv + zz[j];
                    cv = cv - s * zz[j];
                    cta = withMrna ? cta - s * rt[t][j] : cta;
                }
                if (vr <= 1e-9 * Math.max(1, var[t])) {
                    continue;
                }
                double ztt = zz[tfIdx[t]];
                if (withMrna && ztt > 0) {
                    // b = z_t/|z_t| + a/|a|: Σ b z_g = r_tg/|z_t| + cov/|a|, |b|² = 2 + 2 (z_t·a)/(|z_t||a|)
                    double na = Math.sqrt(vr);
                    double nz = Math.sqrt(ztt);
                    double bb = 2 + 2 * cta / (nz * na);
                    if (bb <= 1e-9) {
                        continue;
                    }
                    double bz = rt[t][j] / nz + cv / na;
                    out[t * g + j] = (float) Math.min(1, Math.abs(bz) / Math.sqrt(bb * zz[j]));
                    continue;
                }
                out[t * g + j] = (float) Math.min(1, Math.abs(cv) / Math.sqrt(vr * zz[j]));
            }
        }
        return out;
    }
}
