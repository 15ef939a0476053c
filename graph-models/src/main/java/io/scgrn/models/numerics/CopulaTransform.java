package io.scgrn.models.numerics;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Rank-based replacements of each gene's values (a column of a row-major cells × genes matrix), the inputs of a
 * Gaussian-copula ("nonparanormal", Liu, Lafferty &amp; Wasserman 2009) graphical model: the partial correlations of
 * the transformed columns do not change under any monotone distortion of a gene, and one outlying cell moves a gene's
 * column by at most one rank step. Ties (e.g. dropout zeros) share their average rank ({@link Ranks}).
 *
 * <ul>
 * <li>{@link #scaledRanks}: average rank r (1-based) scaled to {@code r / (n + 1)}, in (0, 1).</li>
 * <li>{@link #normalScores}: van der Waerden scores {@code Φ⁻¹(r / (n + 1))} of the average ranks: a gene whose
 * cells are all distinct becomes exactly the n standard-normal quantiles; a block of tied values gets the score of
 * its mean rank.</li>
 * </ul>
 * Computed in double and stored as float. n is the number of cells (rows).
 */
public final class CopulaTransform {
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private CopulaTransform() {
    }

    /** Each column of {@code values} [n, g] replaced by its average ranks / (n + 1) (a new array). */
    public static float[] scaledRanks(float[] values, int n, int g) {
        return transform(values, n, g, false);
    }

    /** Each column of {@code values} [n, g] replaced by its van der Waerden normal scores (a new array). */
    public static float[] normalScores(float[] values, int n, int g) {
        return transform(values, n, g, true);
    }

    private static float[] transform(float[] values, int n, int g, boolean normal) {
        if ((long) n * g != values.length) {
            throw new IllegalArgumentException("values has " + values.length + " entries for " + n + " x " + g);
        }
        float[] out = new float[values.length];
        long[] keys = new long[n];
        float[] r = new float[n];
        for (int j = 0; j < g; j++) {
            Ranks.averageRanks(values, j, g, n, keys, r);
            for (int i = 0; i < n; i++) {
                double p = r[i] / (n + 1.0);
                out[i * g + j] = (float) (normal ? STANDARD_NORMAL.inverseCumulativeProbability(p) : p);
            }
        }
        return out;
    }
}
