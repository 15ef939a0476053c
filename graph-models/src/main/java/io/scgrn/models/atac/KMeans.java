package io.scgrn.models.atac;

import java.util.SplittableRandom;

/**
 * Lloyd's k-means with k-means++ seeding, seeded and deterministic: coarse cell states in the joint embedding, so
 * that TF–peak coupling can be measured within states rather than across them (across states every TF that marks
 * a state correlates with every peak of that state).
 */
final class KMeans {
    private static final int MAX_ITER = 50;

    private KMeans() {
    }

    /**
     * @param x    rows × d coordinates, row-major
     * @param n    rows
     * @param d    dimensions
     * @param k    clusters wanted (at most n)
     * @param seed seed of the k-means++ draw
     * @return cluster 0..k−1 of each row
     */
    static int[] cluster(double[] x, int n, int d, int k, long seed) {
        k = Math.max(1, Math.min(k, n));
        SplittableRandom rnd = new SplittableRandom(seed * 977 + 13);
        double[] centres = new double[k * d];
        double[] dist = new double[n];
        int first = rnd.nextInt(n);
        System.arraycopy(x, first * d, centres, 0, d);
        for (int i = 0; i < n; i++) {
            dist[i] = sq(x, i, centres, 0, d);
        }
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double v : dist) {
                total += v;
            }
            int pick = rnd.nextInt(n);
            if (total > 0) {
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
            for (int i = 0; i < n; i++) {
                dist[i] = Math.min(dist[i], sq(x, i, centres, c, d));
            }
        }
        int[] label = new int[n];
        for (int iter = 0; iter < MAX_ITER; iter++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bd = Double.MAX_VALUE;
                for (int c = 0; c < k; c++) {
                    double v = sq(x, i, centres, c, d);
                    if (v < bd) {
                        bd = v;
                        best = c;
                    }
                }
                if (iter == 0 || label[i] != best) {
                    changed |= label[i] != best;
                    label[i] = best;
                }
            }
            if (!changed && iter > 0) {
                break;
            }
            double[] sum = new double[k * d];
            int[] cnt = new int[k];
            for (int i = 0; i < n; i++) {
                cnt[label[i]]++;
                for (int j = 0; j < d; j++) {
                    sum[label[i] * d + j] += x[i * d + j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (cnt[c] > 0) {
                    for (int j = 0; j < d; j++) {
                        centres[c * d + j] = sum[c * d + j] / cnt[c];
                    }
                }
            }
        }
        return label;
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
