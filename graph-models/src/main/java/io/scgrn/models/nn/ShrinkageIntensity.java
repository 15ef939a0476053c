package io.scgrn.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shrinkage intensity chosen from the data ({@code crowd shrink=auto}): the analytic Ledoit–Wolf estimate for a
 * correlation matrix shrunk towards the identity (Schäfer &amp; Strimmer 2005, target D):
 * {@code λ = Σ_{i≠j} Var(r_ij) / Σ_{i≠j} r_ij²}, with {@code Var(r_ij) = n / (n-1)³ · Σ_k (w_kij - w̄_ij)²} and
 * {@code w_kij = z_ki z_kj}, clipped to [0, 0.9999]. No labels: only the cells' spread of each correlation.
 */
final class ShrinkageIntensity {
    private static final Logger LOG = LoggerFactory.getLogger(ShrinkageIntensity.class);

    private ShrinkageIntensity() {
    }

    /**
     * @param z    row-major [n, g] standardised columns (mean 0, variance 1, or all 0)
     * @param corr [g, g] row-major {@code zᵀz / n}
     * @return λ in [0, 0.9999]
     */
    static double of(NDManager manager, float[] z, float[] corr, int n, int g) {
        float[] sq = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            sq[i] = z[i] * z[i];
        }
        float[] w2;
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(sq, new Shape(n, g));
            w2 = x.transpose().matMul(x).toFloatArray(); // Σ_k z_ki² z_kj²
        }
        double var = 0;
        double ss = 0;
        double scale = (double) n / ((double) (n - 1) * (n - 1) * (n - 1));
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                if (i == j) {
                    continue;
                }
                double r = corr[i * g + j];
                var += scale * Math.max(0, w2[i * g + j] - n * r * r);
                ss += r * r;
            }
        }
        double lambda = ss <= 0 ? 0.9999 : Math.max(0, Math.min(0.9999, var / ss));
        LOG.info("crowd shrink=auto: shrinkage {} ({} cells, {} genes)", String.format(Locale.ROOT,
                "%.4f", lambda), n, g);
        return lambda;
    }
}
