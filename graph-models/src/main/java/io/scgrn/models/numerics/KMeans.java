package io.scgrn.models.numerics;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Lloyd's k-means with k-means++ seeding, deterministic for a given random generator: the ATAC cell states
 * ({@code atac.CellStates}) and the decoy-calibration strata ({@code calibration.DecoyCalibration}).
 *
 * <p>The two callers were written apart and differ in three details that change which clusters a seed gives;
 * {@link Options} keeps each caller's behaviour, so that their outputs stayed the same when their two copies of
 * k-means became this class.
 */
public final class KMeans {
    private KMeans() {
    }

    /** What a Lloyd round does with a cluster that has lost all its points. */
    public enum EmptyCluster {
        /** The centre stays where it was. */
        KEEP_CENTRE,
        /** Each coordinate of the centre is taken from a randomly drawn row (one draw per coordinate). */
        RANDOM_COORDINATES
    }

    /**
     * @param maxRounds Lloyd rounds at most (it stops earlier when no label changes)
     * @param spareDraw whether each k-means++ pick first draws a uniform row, kept when every point already sits
     *                  on a centre; without it the pick is always drawn in proportion to the squared distance
     *                  (row 0 when all distances are 0, the last row when rounding leaves the draw unmatched)
     * @param empty     what happens to an empty cluster
     */
    public record Options(int maxRounds, boolean spareDraw, EmptyCluster empty) {
        public Options {
            if (maxRounds < 1) {
                throw new IllegalArgumentException("maxRounds must be at least 1, got " + maxRounds);
            }
            if (empty == null) {
                throw new IllegalArgumentException("empty must be given");
            }
        }
    }

    /**
     * @param x   rows × d coordinates, row-major
     * @param n   rows (at least 1)
     * @param d   dimensions
     * @param k   clusters wanted (clamped to 1..n)
     * @param rnd the random generator of the k-means++ draw (and of {@link EmptyCluster#RANDOM_COORDINATES})
     * @param o   the caller's variant
     * @return cluster 0..k−1 of each row (a cluster may end up empty)
     */
    public static int[] cluster(double[] x, int n, int d, int k, RandomGenerator rnd, Options o) {
        k = Math.max(1, Math.min(k, n));
        double[] centres = seed(x, n, d, k, rnd, o.spareDraw());
        int[] label = new int[n];
        double[] sum = new double[k * d];
        int[] cnt = new int[k];
        for (int round = 0; round < o.maxRounds(); round++) {
            boolean changed = round == 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bd = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double v = sq(x, i, centres, c, d);
                    if (v < bd) {
                        bd = v;
                        best = c;
                    }
                }
                changed |= label[i] != best;
                label[i] = best;
            }
            if (!changed) {
                break;
            }
            Arrays.fill(sum, 0);
            Arrays.fill(cnt, 0);
            for (int i = 0; i < n; i++) {
                cnt[label[i]]++;
                for (int j = 0; j < d; j++) {
                    sum[label[i] * d + j] += x[i * d + j];
                }
            }
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    if (cnt[c] > 0) {
                        centres[c * d + j] = sum[c * d + j] / cnt[c];
                    } else if (o.empty() == EmptyCluster.RANDOM_COORDINATES) {
                        centres[c * d + j] = x[rnd.nextInt(n) * d + j];
                    }
                }
            }
        }
        return label;
    }

    /**
     * The best of {@code starts} runs of {@link #cluster} drawn one after another from {@code rnd}: the labels with
     * the lowest inertia (sum of squared distances to the cluster means; a tie keeps the earlier run). One start is
     * {@link #cluster} itself; more make the result depend less on one k-means++ draw.
     *
     * @param starts runs (at least 1)
     */
    public static int[] clusterBest(double[] x, int n, int d, int k, RandomGenerator rnd, Options o, int starts) {
        if (starts < 1) {
            throw new IllegalArgumentException("starts must be at least 1, got " + starts);
        }
        int[] best = cluster(x, n, d, k, rnd, o);
        double bestInertia = starts == 1 ? 0 : inertia(x, n, d, best);
        for (int r = 1; r < starts; r++) {
            int[] label = cluster(x, n, d, k, rnd, o);
            double v = inertia(x, n, d, label);
            if (v < bestInertia) {
                best = label;
                bestInertia = v;
            }
        }
        return best;
    }

    /** Number of clusters a labelling uses: its largest label + 1 (0 for no rows). */
    public static int clusters(int[] label) {
        int k = 0;
        for (int c : label) {
            k = Math.max(k, c + 1);
        }
        return k;
    }

    /** Sum over the rows of the squared distance to the mean of the row's cluster. */
    public static double inertia(double[] x, int n, int d, int[] label) {
        int k = clusters(label);
        double[] sum = new double[k * d];
        int[] cnt = new int[k];
        for (int i = 0; i < n; i++) {
            cnt[label[i]]++;
            for (int j = 0; j < d; j++) {
                sum[label[i] * d + j] += x[i * d + j];
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j] - sum[label[i] * d + j] / cnt[label[i]];
                total += v * v;
            }
        }
        return total;
    }

    /** k-means++: the first centre a uniform row, each next one a row drawn in proportion to its squared distance. */
    private static double[] seed(double[] x, int n, int d, int k, RandomGenerator rnd, boolean spareDraw) {
        double[] centres = new double[k * d];
        double[] dist = new double[n];
        System.arraycopy(x, rnd.nextInt(n) * d, centres, 0, d);
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                dist[i] = Math.min(dist[i], sq(x, i, centres, c - 1, d));
                total += dist[i];
            }
            int pick = spareDraw ? rnd.nextInt(n) : n - 1;
            if (total > 0 || !spareDraw) {
                double u = rnd.nextDouble() * total;
                for (int i = 0; i < n; i++) {
                    u -= dist[i];
                    if (u <= 0) {
                        pick = i;
                        break;
                    }
                }
            }
            System.arraycopy(x, pick * d, centres, c * d, d);
        }
        return centres;
    }

    private static double sq(double[] x, int i, double[] centres, int c, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double v = x[i * d + j] - centres[c * d + j];
            s += v * v;
        }
        return s;
    }
}
