package io.scgrn.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scgrn.models.Edge;
import io.scgrn.models.ModelException;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gene × gene evidence and graphs used by {@link GnnModel}: correlation, shrunk partial correlation, the candidate
 * graph (co-expression k nearest neighbours ∪ prior edges) and its symmetric normalisation. Dense g × g arrays:
 * fine up to a few thousand genes (2,000 genes = 16 MB per matrix).
 */
final class GeneGraph {
    private GeneGraph() {
    }

    /**
     * Correlation of standardised columns: {@code z^T z / n}.
     *
     * @param z row-major [n, g], every column mean 0 and variance 1 (or all 0)
     * @return [g, g] row-major
     */
    static float[] correlation(NDManager manager, float[] z, int n, int g) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(z, new Shape(n, g));
            return x.transpose().matMul(x).divi(n).toFloatArray();
        }
    }

    /**
     * Partial correlation from the shrunk correlation {@code (1 - s) C + s I} (Schäfer &amp; Strimmer's target):
     * {@code -P_ij / sqrt(P_ii P_jj)} with {@code P} its inverse. Shrinkage makes the inverse exist when genes
     * outnumber cells and keeps the estimate stable; with {@code s} near 1 it is the correlation minus the
     * strongest indirect paths.
     *
     * @return [g, g] row-major, diagonal 0
     */
    static float[] partialCorrelation(NDManager manager, float[] corr, int g, double shrink) {
        try (NDManager m = manager.newSubManager()) {
            NDArray p = shrunkPrecision(m, corr, g, shrink);
            NDArray d = p.diagonal().sqrt();
            NDArray pc = p.div(d.reshape(g, 1)).divi(d.reshape(1, g)).negi();
            float[] out = pc.toFloatArray();
            for (int i = 0; i < g; i++) {
                out[i * g + i] = 0;
            }
            return requireFinite(out, "partial correlation");
        }
    }

    /**
     * The precision {@code P = ((1 - s) C + s I)⁻¹} [g, g] of the shrunk correlation, in {@code m}.
     *
     * @param corr [g, g] row-major correlation matrix
     */
    static NDArray shrunkPrecision(NDManager m, float[] corr, int g, double shrink) {
        return m.create(corr, new Shape(g, g)).muli((float) (1 - shrink)).addi(m.eye(g).muli((float) shrink))
                .inverse();
    }

    /**
     * {@code values}, after checking that all are finite.
     *
     * @throws ModelException naming {@code what} when one is not (degenerate expression)
     */
    static float[] requireFinite(float[] values, String what) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new ModelException("X", what + " is not finite (degenerate expression)");
            }
        }
        return values;
    }

    /**
     * Gene {@code i}'s {@code k} partners of largest |corr| (not i itself), strongest first, ties by gene index: one
     * primitive sort key per gene, (MAX − bits of |corr|, j). The bits of a value without its sign order as
     * {@code Float.compare} orders them (NaN, canonical, last).
     *
     * @param k at most g − 1
     */
    static int[] strongest(float[] corr, int g, int i, int k) {
        long[] order = new long[g - 1];
        int n = 0;
        for (int j = 0; j < g; j++) {
            if (j != i) {
                int bits = Float.floatToIntBits(Math.abs(corr[i * g + j]));
                order[n++] = ((long) (Integer.MAX_VALUE - bits) << 32) | j;
            }
        }
        Arrays.sort(order);
        int[] top = new int[k];
        for (int q = 0; q < k; q++) {
            top[q] = (int) order[q];
        }
        return top;
    }

    /**
     * Symmetric 0/1 adjacency: each gene linked to its {@code k} genes of largest |corr| (excluding itself), plus
     * every prior edge between genes present. No self-loops (added by {@link #normalise}).
     */
    static float[] candidateGraph(float[] corr, int g, int k, List<String> genes, List<Edge> prior) {
        float[] a = new float[g * g];
        int kk = Math.min(k, g - 1);
        for (int i = 0; i < g; i++) {
            for (int j : strongest(corr, g, i, kk)) {
                a[i * g + j] = 1;
                a[j * g + i] = 1;
            }
        }
        if (!prior.isEmpty()) {
            Map<String, Integer> idx = new HashMap<>();
            for (int i = 0; i < genes.size(); i++) {
                idx.putIfAbsent(genes.get(i), i);
            }
            for (Edge e : prior) {
                Integer s = idx.get(e.tf());
                Integer t = idx.get(e.target());
                if (s != null && t != null && !s.equals(t)) {
                    a[s * g + t] = 1;
                    a[t * g + s] = 1;
                }
            }
        }
        return a;
    }

    /**
     * GCN normalisation (Kipf &amp; Welling 2017): {@code D^-1/2 (A + I) D^-1/2}, D the degree of {@code A + I}.
     *
     * @param adjacency [g, g] symmetric, non-negative, zero diagonal
     * @return [g, g] in the adjacency's manager
     */
    static NDArray normalise(NDArray adjacency) {
        long g = adjacency.getShape().get(0);
        return normaliseWithSelfLoops(adjacency.add(adjacency.getManager().eye((int) g)));
    }

    /**
     * {@link #normalise} of an adjacency that already holds its self-loops ({@code A + I}).
     *
     * @param withSelfLoops [g, g] symmetric, non-negative, diagonal 1
     */
    static NDArray normaliseWithSelfLoops(NDArray withSelfLoops) {
        long g = withSelfLoops.getShape().get(0);
        NDArray dInv = withSelfLoops.sum(new int[] {1}).pow(-0.5f);
        return withSelfLoops.mul(dInv.reshape(g, 1)).muli(dInv.reshape(1, g));
    }
}
