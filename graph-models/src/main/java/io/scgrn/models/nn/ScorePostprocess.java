package io.scgrn.models.nn;

import io.scgrn.models.ModelException;
import io.scgrn.models.numerics.Ranks;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.Set;
import java.util.stream.IntStream;

/**
 * Label-free post-processing of {@link CrowdModel}'s FINAL combined TF × gene score ({@code crowd -p post=…}, off by
 * default): what the combination does with indirect edges and with a regulator's or target's context. Every matrix
 * is a TF × gene score, row-major {@code [nTf, g]}, TF row t being gene {@code tfIdx[t]}, self-loops (marked in
 * {@code self}) scored 0. Applied inside the model, after the rank combination, so FDR decoy genes (extra target
 * columns) are post-processed exactly as real targets and the q-values see the same score.
 *
 * <ul>
 * <li>{@code clr}: context likelihood of relatedness (Faith et al. 2007) on the combination: each edge z-scored
 * against its TF's row and its gene's column, {@code sqrt(max(z_row,0)² + max(z_col,0)²)}, rank-scaled and blended
 * {@code (1 − b)·s + b·rank(CLR(s))} (the same as crowd's {@code context=b}, {@link RankEnsemble#context}).</li>
 * <li>{@code dpi}: ARACNE's data-processing inequality (Margolin et al. 2006) on TF triangles: edge t → j is indirect
 * when some other TF u has both {@code s(t → u)} and {@code s(u → j)} above {@code s(t → j) / (1 − ε)} (tolerance ε);
 * an indirect edge keeps {@code (1 − b)} of its score ({@code b = 1}: dropped to 0, ARACNE). Every triangle is judged
 * on the original scores.</li>
 * <li>{@code nd}: network deconvolution (Feizi et al., Nat Biotech 2013): the scores as a symmetric gene × gene
 * matrix {@code G} (TF → gene edges; a TF–TF pair the mean of its two directions; gene–gene pairs without a TF 0),
 * eigen-decomposed (EJML), each eigenvalue λ mapped to {@code λ / (m + λ)} with Feizi's scale
 * {@code m = max(λ₊(1 − β)/β, |λ₋|(1 + β)/β)} (the direct network {@code G_dir = G (I + G)⁻¹} of the scaled
 * observation, its largest eigenvalue β), read back on the TF × gene positions, rank-scaled and blended
 * {@code (1 − b)·s + b·rank(G_dir)}. The eigen-decomposition is O(g³): a few seconds at 1,000 genes.</li>
 * </ul>
 * Global silencing (Barzel &amp; Barabási 2013) is not offered: it inverts the observed gene × gene matrix, which the
 * TF × gene scores leave singular (the non-TF × non-TF block is empty). Measured by leave-one-group-out in
 * docs/benchmarks.md, "GRN accuracy: round 10, indirect edges and context (helper a9l)". Deterministic.
 */
public final class ScorePostprocess {
    /** Post-processors by {@code post} name. */
    static final Set<String> METHODS = Set.of("off", "clr", "dpi", "nd");

    private ScorePostprocess() {
    }

    /**
     * What to do: {@code method} one of {@link #METHODS}, blend share {@code share} b in (0, 1], DPI tolerance
     * {@code eps} ε in [0, 1), ND's largest direct eigenvalue {@code beta} β in (0, 1).
     */
    record Settings(String method, double share, double eps, double beta) {
        /** Nothing (crowd's default). */
        static final Settings OFF = new Settings("off", 1, 0, 0.9);

        /**
         * @throws ModelException naming {@code post}, {@code post-share}, {@code post-eps} or {@code post-beta}
         */
        Settings {
            if (!METHODS.contains(method)) {
                throw new ModelException("post", "'" + method + "' is not one of off, clr, dpi, nd");
            }
            if (!(share > 0 && share <= 1)) {
                throw new ModelException("post-share", share + " is outside (0, 1]");
            }
            if (!(eps >= 0 && eps < 1)) {
                throw new ModelException("post-eps", eps + " is outside [0, 1)");
            }
            if (!(beta > 0 && beta < 1)) {
                throw new ModelException("post-beta", beta + " is outside (0, 1)");
            }
        }

        boolean off() {
            return method.equals("off");
        }
    }

    /**
     * The post-processed score (a new array; {@code s} itself when {@code p} is off).
     *
     * @param s     [nTf, g] combined score, non-negative
     * @param tfIdx gene index of each TF row
     * @param g     genes (columns)
     * @param self  self-loop mask; those positions are 0 in the result
     */
    static float[] apply(float[] s, int[] tfIdx, int g, boolean[] self, Settings p) {
        return switch (p.method()) {
            case "clr" -> RankEnsemble.context(s, tfIdx, g, self, p.share());
            case "dpi" -> demote(s, indirect(s, tfIdx, g, self, p.eps()), p.share(), self);
            case "nd" -> RankEnsemble.blend(s, NnSupport.rankScale(deconvolve(s, tfIdx, g, self, p.beta()), self),
                    p.share(), self);
            default -> s;
        };
    }

    /**
     * ARACNE's data-processing inequality on TF triangles: {@code true} at t → j when another TF u (u ≠ j) has
     * {@code (1 − eps)·min(s(t → u), s(u → j)) > s(t → j)}: the edge is weaker than both legs of a two-step path
     * through a regulator, beyond the tolerance. Public for the perturbation's removal of a network's indirect edges
     * ({@code io.scgrn.models.perturb.IndirectEdges}).
     *
     * @return [nTf, g] mask of indirect edges (never a self-loop)
     */
    public static boolean[] indirect(float[] s, int[] tfIdx, int g, boolean[] self, double eps) {
        int nt = tfIdx.length;
        boolean[] out = new boolean[s.length];
        double keep = 1 - eps;
        // rows in parallel: each writes only its own row and reads the original scores, so the thread count does
        // not matter
        IntStream.range(0, nt).parallel().forEach(t -> {
            int row = t * g;
            // Path TF u outer, target j inner, over the targets not marked yet (each pass reads the rows t and u in
            // order; the transposed loop read one score per row u for each j, a stride of g floats). The TFs u come
            // by their first leg s(t → u) descending, so once (1 − eps)·s(t → u) is at most the weakest unmarked
            // edge, no later u can mark anything. A mark is an OR over u: neither the order nor the stop changes it.
            float[] first = new float[nt];
            for (int u = 0; u < nt; u++) {
                first[u] = s[row + tfIdx[u]];
            }
            int[] byFirst = Ranks.descendingOrder(first, 0, nt);
            int[] live = new int[g];
            int nl = 0;
            float lo = Float.POSITIVE_INFINITY;
            for (int j = 0; j < g; j++) {
                if (!self[row + j]) {
                    live[nl++] = j;
                    lo = Math.min(lo, s[row + j]);
                }
            }
            for (int q = 0; q < nt && nl > 0; q++) {
                int u = byFirst[q];
                if (u == t) {
                    continue;
                }
                float f = first[u];
                if (keep * f <= lo) {
                    break;
                }
                int urow = u * g;
                int skip = tfIdx[u];
                int m = 0;
                lo = Float.POSITIVE_INFINITY;
                for (int i = 0; i < nl; i++) {
                    int jj = live[i];
                    float x = s[row + jj];
                    if (jj != skip && keep * Math.min(f, s[urow + jj]) > x) {
                        out[row + jj] = true;
                    } else {
                        live[m++] = jj;
                        if (x < lo) {
                            lo = x;
                        }
                    }
                }
                nl = m;
            }
        });
        return out;
    }

    /** {@code s}, with the marked edges scaled by {@code 1 − b}. */
    private static float[] demote(float[] s, boolean[] marked, double b, boolean[] self) {
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = self[i] ? 0 : marked[i] ? (float) ((1 - b) * s[i]) : s[i];
        }
        return out;
    }

    /**
     * Feizi's network deconvolution of the TF × gene scores, read back on the TF × gene positions (see the class
     * Javadoc). A matrix without a non-zero eigenvalue is returned as it is.
     *
     * @return [nTf, g] deconvolved scores (any sign), self-loops 0
     */
    static float[] deconvolve(float[] s, int[] tfIdx, int g, boolean[] self, double beta) {
        int nt = tfIdx.length;
        DMatrixRMaj m = symmetric(s, tfIdx, g);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(g, true, true);
        if (!eig.decompose(m)) {
            throw new ModelException("post", "network deconvolution: the eigen-decomposition of the "
                    + g + " × " + g + " score matrix did not converge");
        }
        double lp = 0;
        double ln = 0;
        for (int k = 0; k < g; k++) {
            double l = eig.getEigenvalue(k).getReal();
            lp = Math.max(lp, l);
            ln = Math.max(ln, -l);
        }
        double scale = Math.max(lp * (1 - beta) / beta, ln * (1 + beta) / beta);
        if (scale <= 0) {
            return s.clone();
        }
        // G_dir = U diag(λ / (scale + λ)) Uᵀ, only its TF rows: [nTf, g] = (U_tf · diag) · Uᵀ
        DMatrixRMaj ut = new DMatrixRMaj(nt, g);
        DMatrixRMaj u = new DMatrixRMaj(g, g);
        for (int k = 0; k < g; k++) {
            double l = eig.getEigenvalue(k).getReal();
            double f = l / (scale + l);
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int j = 0; j < g; j++) {
                u.unsafe_set(j, k, v.get(j));
            }
            for (int t = 0; t < nt; t++) {
                ut.unsafe_set(t, k, f * v.get(tfIdx[t]));
            }
        }
        DMatrixRMaj dir = new DMatrixRMaj(nt, g);
        CommonOps_DDRM.multTransB(ut, u, dir);
        float[] out = new float[s.length];
        for (int t = 0; t < nt; t++) {
            for (int j = 0; j < g; j++) {
                int i = t * g + j;
                out[i] = self[i] ? 0 : (float) dir.unsafe_get(t, j);
            }
        }
        return out;
    }

    /**
     * The TF × gene scores as a symmetric gene × gene matrix: a TF → gene score at both (tf, gene) and (gene, tf);
     * a TF–TF pair the mean of its two directions; pairs of two non-TF genes and the diagonal 0.
     */
    static DMatrixRMaj symmetric(float[] s, int[] tfIdx, int g) {
        int nt = tfIdx.length;
        DMatrixRMaj m = new DMatrixRMaj(g, g);
        int[] row = new int[g];
        java.util.Arrays.fill(row, -1);
        for (int t = 0; t < nt; t++) {
            row[tfIdx[t]] = t;
        }
        for (int t = 0; t < nt; t++) {
            int a = tfIdx[t];
            for (int j = 0; j < g; j++) {
                if (j == a) {
                    continue;
                }
                double x = s[t * g + j];
                if (row[j] >= 0) {
                    // a TF–TF pair: both directions are scored; each visit adds half of its own direction
                    m.unsafe_set(a, j, m.unsafe_get(a, j) + x / 2);
                    m.unsafe_set(j, a, m.unsafe_get(j, a) + x / 2);
                } else {
                    m.unsafe_set(a, j, x);
                    m.unsafe_set(j, a, x);
                }
            }
        }
        return m;
    }
}
