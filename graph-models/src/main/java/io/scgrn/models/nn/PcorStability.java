package io.scgrn.models.nn;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.numerics.Sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Edge stability of a TF × gene score under cell resampling ({@code crowd -p pcor-stability=B}, round 11b): B
 * complementary pairs of half-samples of the cells (Shah &amp; Samworth 2013, "Variable selection with error
 * control: another look at stability selection"), the score computed on each half, |·| rank-scaled over all
 * TF × gene pairs ({@link NnSupport#rankScale}, self-loops 0), then per edge either the mean over the 2B halves
 * ({@code mean}) or the mean over the pairs of the smaller of the pair's two ranks ({@code pairmin}: large only
 * where the edge is large on both disjoint halves of the cells, a lower bound).
 *
 * <p>Why: an edge whose partial correlation is carried by a few (outlier) cells is large on the half that holds
 * them and small on the other; one that holds on every half of the cells is more trustworthy for early precision.
 *
 * <p>Pair b is the b-th permutation drawn from one {@link SplittableRandom} seeded from the run's seed, split into
 * its first ⌊n/2⌋ cells and the rest (each in the original cell order): the first B pairs of a larger B are the
 * same, and a seed gives the same network.
 */
final class PcorStability {
    /** {@code stability-mode} values. */
    static final List<String> MODES = List.of("mean", "pairmin");
    /** Fewest cells resampling is defined for (each half then has at least 10). */
    static final int MIN_CELLS = 20;
    /** Mixed into the run's seed so the half-samples do not share a stream with other seeded draws of crowd. */
    private static final long SALT = 0x5AB1E5EEDL;

    private PcorStability() {
    }

    /**
     * @param data  [n cells, g genes]
     * @param pairs B ≥ 1 complementary pairs
     * @param mode  {@code mean} or {@code pairmin}
     * @param seed  the run's seed
     * @param self  [k, g] self-loop mask (scored 0)
     * @param score the score of one half-sample, [k, g] row-major (signed; |·| is ranked)
     * @return [k, g] row-major stability score in [0, 1], self-loops 0
     */
    static float[] of(ExpressionMatrix data, int pairs, String mode, long seed, boolean[] self,
                      Function<ExpressionMatrix, float[]> score) {
        int n = data.nCells();
        if (n < MIN_CELLS) {
            throw new ModelException("pcor-stability", "needs at least " + MIN_CELLS + " cells to split into halves,"
                    + " the data has " + n);
        }
        boolean pairMin = mode.equals("pairmin");
        float[] out = new float[self.length];
        for (int[][] pair : halves(n, pairs, seed)) {
            float[] a = rankedAbs(score.apply(CrowdModel.rows(data, pair[0])), self);
            float[] b = rankedAbs(score.apply(CrowdModel.rows(data, pair[1])), self);
            for (int i = 0; i < out.length; i++) {
                out[i] += pairMin ? Math.min(a[i], b[i]) : (a[i] + b[i]) / 2;
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = self[i] ? 0 : out[i] / pairs;
        }
        return out;
    }

    /** The {@code pairs} complementary pairs of half-samples of {@code n} cells: [pair][half] → ascending rows. */
    static List<int[][]> halves(int n, int pairs, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ SALT);
        List<int[][]> out = new ArrayList<>(pairs);
        int h = n / 2;
        for (int b = 0; b < pairs; b++) {
            int[] perm = Sampling.permutation(n, rnd);
            int[] first = Arrays.copyOfRange(perm, 0, h);
            int[] second = Arrays.copyOfRange(perm, h, n);
            Arrays.sort(first);
            Arrays.sort(second);
            out.add(new int[][] {first, second});
        }
        return out;
    }

    private static float[] rankedAbs(float[] v, boolean[] self) {
        float[] a = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = Math.abs(v[i]);
        }
        return NnSupport.rankScale(a, self);
    }
}
