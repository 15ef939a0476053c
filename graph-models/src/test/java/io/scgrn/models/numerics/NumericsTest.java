package io.scgrn.models.numerics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NumericsTest {
    @Test
    void descendingOrderIsTheBoxedComparatorsOrder() {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] v = new float[2_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.round(rnd.nextGaussian() * 20) / 4f; // many ties
        }
        v[3] = -0f;
        v[4] = 0f;
        v[5] = Float.NaN;
        v[6] = Float.NEGATIVE_INFINITY;
        v[7] = Float.POSITIVE_INFINITY;
        int off = 100;
        int n = 1_500;
        Integer[] boxed = new Integer[n];
        for (int j = 0; j < n; j++) {
            boxed[j] = j;
        }
        Arrays.sort(boxed, (a, b) -> {
            int c = Float.compare(v[off + b], v[off + a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        assertArrayEquals(Arrays.stream(boxed).mapToInt(Integer::intValue).toArray(), Ranks.descendingOrder(v, off, n));
        // NaN first, then +inf; -0 after +0; equal values by position
        assertArrayEquals(new int[] {2, 3, 1, 4, 0, 5}, Ranks.descendingOrder(new float[] {-0f, 0f, Float.NaN,
            Float.POSITIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY}, 0, 6));
    }

    @Test
    void ranksShareTiesAndAreOneBased() {
        assertArrayEquals(new float[] {3.5f, 1, 3.5f, 2, 5}, Ranks.averageRanks(new float[] {2, -1, 2, 0, 7}));
        // -0 and +0 tie; a strided column is read in place
        float[] m = {0f, 9f, -0f, 9f, 1f, 9f};
        float[] r = new float[3];
        Ranks.averageRanks(m, 0, 2, 3, null, r);
        assertArrayEquals(new float[] {1.5f, 1.5f, 3}, r);
        double[] d = {5, 5, 5};
        Ranks.averageRanksInPlace(d);
        assertArrayEquals(new double[] {2, 2, 2}, d);
    }

    @Test
    void nearestNeighboursPutThePointFirstAndBreakTiesByIndex() {
        // points on a line at 0, 3, 1, 1, 5 (1-D embedding)
        double[] emb = {0, 3, 1, 1, 5};
        assertArrayEquals(new int[] {2, 3, 0}, Neighbours.nearest(emb, 1, 5, 2, 3));
        assertArrayEquals(new int[] {0, 2, 3, 1}, Neighbours.nearest(emb, 1, 5, 0, 4));
        assertArrayEquals(new int[] {1, 3}, Neighbours.smallest(new double[] {5, -2, 7, 0}, 2));
    }

    @Test
    void mediansOfOddEvenAndEmpty() {
        double[] v = {4, 1, 3, 2};
        assertEquals(2.5, Medians.median(v));
        assertEquals(3, Medians.upperMedian(v));
        assertArrayEquals(new double[] {4, 1, 3, 2}, v, "input untouched");
        assertEquals(3, Medians.median(new double[] {9, 3, 1}));
        assertTrue(Double.isNaN(Medians.median(new double[0])));
    }

    @Test
    void rankingCurvesMatchHandComputedValues() {
        // scores 0.9(+) 0.8(-) 0.7(+) 0.7(-) 0.1(-): AP = 1·½ + (2/4)·½ = 0.75;
        // AUROC = P(score+ > score-) with ties ½ = (3 + 0 + ½ + 1) / 6
        RankingCurves.Areas a = RankingCurves.areas(new double[] {0.7, 0.9, 0.1, 0.8, 0.7},
                new boolean[] {true, true, false, false, false});
        assertEquals(0.75, a.averagePrecision(), 1e-12);
        assertEquals(4.5 / 6, a.auroc(), 1e-12);
        RankingCurves.Areas onlyPositives = RankingCurves.areas(new double[] {1, 2}, new boolean[] {true, true});
        assertTrue(Double.isNaN(onlyPositives.auroc()));
        assertEquals(1, onlyPositives.averagePrecision(), 1e-12);
    }

    @Test
    void normalTailIsAccurateFarOut() {
        assertEquals(0.5, Distributions.normalUpper(0), 1e-15);
        assertEquals(0.022750131948179195, Distributions.normalUpper(2), 1e-15);
        assertEquals(1 - 0.022750131948179195, Distributions.normalUpper(-2), 1e-15);
        // the formula it replaced had an absolute error of 1.5e-7, larger than this tail itself
        assertEquals(1.2798125438858352e-12, Distributions.normalUpper(7), 1e-24);
    }

    @Test
    void crossProductsOfStandardisedColumnsArePearsonCorrelations() {
        int n = 300;
        int g = 5;
        Random rnd = new Random(3);
        float[] x = new float[n * g];
        for (int i = 0; i < n; i++) {
            double base = rnd.nextGaussian();
            x[i * g] = (float) base;
            x[i * g + 1] = (float) (2 * base + 0.5 * rnd.nextGaussian());
            x[i * g + 2] = (float) rnd.nextGaussian();
            x[i * g + 3] = 4; // constant: correlates 0
            x[i * g + 4] = (float) -base;
        }
        double[][] r = Correlations.crossProducts(Correlations.standardisedRowBlocks(x, n, g, false), g,
                new int[] {0, 2}, f -> { });
        for (int j = 0; j < g; j++) {
            assertEquals(pearson(x, n, g, 0, j), r[0][j], 1e-12, "r(0," + j + ")");
            assertEquals(pearson(x, n, g, 2, j), r[1][j], 1e-12, "r(2," + j + ")");
        }
        assertEquals(1, r[0][0], 1e-12);
        assertEquals(-1, r[0][4], 1e-6);
    }

    private static double pearson(float[] x, int n, int g, int a, int b) {
        return ReferenceStatistics.pearson(ReferenceStatistics.column(x, n, g, a),
                ReferenceStatistics.column(x, n, g, b));
    }

    @Test
    void dotsEqualSingleDotsBitForBit() {
        // 8-at-a-time sums must equal one-by-one sums exactly (networks are compared byte for byte), for row counts
        // that are and are not multiples of eight, a repeated row and lengths from 0 up
        Random rnd = new Random(3);
        for (int len : new int[] {0, 1, 7, 425, 5003}) {
            for (int nRows : new int[] {1, 8, 13, 31}) {
                float[][] rows = new float[nRows][len];
                for (float[] r : rows) {
                    for (int i = 0; i < len; i++) {
                        r[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
                    }
                }
                rows[nRows - 1] = rows[0];
                float[] b = new float[len];
                for (int i = 0; i < len; i++) {
                    b[i] = (float) rnd.nextGaussian();
                }
                double[] out = new double[nRows];
                Correlations.dots(rows, b, out);
                for (int i = 0; i < nRows; i++) {
                    assertEquals(Double.doubleToLongBits(Correlations.dot(rows[i], b)),
                            Double.doubleToLongBits(out[i]), "row " + i + " of " + nRows + ", length " + len);
                }
            }
        }
    }

    @Test
    void shufflesOfArraysAndListsAgreeForOneSeed() {
        int[] p = Sampling.permutation(50, new SplittableRandom(9));
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i]);
        }
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            l.add(i);
        }
        Sampling.shuffle(l, new SplittableRandom(9));
        assertArrayEquals(p, l.stream().mapToInt(Integer::intValue).toArray());
        // the JDK's shuffle draws the same swaps from a java.util.Random
        List<Integer> jdk = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            jdk.add(i);
        }
        Collections.shuffle(jdk, new Random(4));
        int[] ours = Sampling.permutation(50, new Random(4));
        assertArrayEquals(jdk.stream().mapToInt(Integer::intValue).toArray(), ours);
    }

    @Test
    void kMeansSeparatesBlobsInEitherVariantAndClampsK() {
        int n = 120;
        Random rnd = new Random(5);
        double[] x = new double[n * 2];
        for (int i = 0; i < n; i++) {
            x[i * 2] = (i % 3) * 10 + rnd.nextGaussian();
            x[i * 2 + 1] = rnd.nextGaussian();
        }
        for (KMeans.Options o : List.of(new KMeans.Options(50, true, KMeans.EmptyCluster.KEEP_CENTRE),
                new KMeans.Options(25, false, KMeans.EmptyCluster.RANDOM_COORDINATES))) {
            int[] a = KMeans.cluster(x, n, 2, 3, new Random(9), o);
            for (int i = 3; i < n; i++) {
                assertEquals(a[i % 3], a[i], "point " + i);
            }
            assertEquals(3, Arrays.stream(a).distinct().count());
            assertArrayEquals(a, KMeans.cluster(x, n, 2, 3, new Random(9), o));
        }
        // more clusters than points: k is clamped, one cluster per point
        assertEquals(3, Arrays.stream(KMeans.cluster(new double[] {0, 1, 2}, 3, 1, 10, new Random(1),
                new KMeans.Options(10, true, KMeans.EmptyCluster.KEEP_CENTRE))).distinct().count());
    }
    @Test
    void severalKMeansStartsKeepTheLowestInertia() {
        // 10 blobs on a 5 × 2 grid, 30 points each: a single k-means++ start sometimes puts two centres in one blob
        Random r = new Random(3);
        int n = 300;
        double[] x = new double[n * 2];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (i / 30 % 5) * 3 + r.nextGaussian() * 0.4;
            x[2 * i + 1] = (i / 150) * 3 + r.nextGaussian() * 0.4;
        }
        KMeans.Options o = new KMeans.Options(50, true, KMeans.EmptyCluster.KEEP_CENTRE);
        double best = Double.POSITIVE_INFINITY;
        double[] one = new double[30];
        double[] eight = new double[30];
        for (int seed = 0; seed < 30; seed++) {
            int[] single = KMeans.cluster(x, n, 2, 10, new SplittableRandom(seed), o);
            // one start is cluster() itself
            assertArrayEquals(single, KMeans.clusterBest(x, n, 2, 10, new SplittableRandom(seed), o, 1));
            one[seed] = KMeans.inertia(x, n, 2, single);
            eight[seed] = KMeans.inertia(x, n, 2, KMeans.clusterBest(x, n, 2, 10, new SplittableRandom(seed), o, 8));
            assertTrue(eight[seed] <= one[seed] + 1e-9, "seed " + seed);
            best = Math.min(best, one[seed]);
        }
        double b = best;
        long oneAtBest = Arrays.stream(one).filter(v -> v <= b * 1.0001).count();
        long eightAtBest = Arrays.stream(eight).filter(v -> v <= b * 1.0001).count();
        assertTrue(oneAtBest < 30, "the data must have local optima for this test: " + Arrays.toString(one));
        assertTrue(eightAtBest > oneAtBest, eightAtBest + " of 30 with 8 starts, " + oneAtBest + " with one");
        // the inertia itself: two points per cluster at distance 2 from each other → 4 × 1
        assertEquals(4, KMeans.inertia(new double[] {0, 2, 10, 12}, 4, 1, new int[] {0, 0, 1, 1}), 1e-12);
    }
}
