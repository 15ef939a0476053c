package io.scgrn.models.numerics;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Seeded uniform samples without replacement and shuffles. */
public final class Sampling {
    private Sampling() {
    }

    /**
     * {@code m} of {@code 0..n-1}, ascending: the first {@code m} of a partial Fisher–Yates shuffle driven by a
     * {@link SplittableRandom} seeded with {@code seed} (the streamed preparation's sketch of cells and the server's
     * sample of a streamed dataset's cells).
     */
    public static int[] sortedSample(int n, int m, long seed) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < m; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = Arrays.copyOf(perm, m);
        Arrays.sort(out);
        return out;
    }

    /**
     * Shuffles {@code a} in place (Fisher–Yates from the last position down: position i swaps with
     * {@code rnd.nextInt(i + 1)}), the one order every seeded shuffle of scgrn uses, so a seed gives the same order
     * wherever it is drawn.
     */
    public static void shuffle(int[] a, RandomGenerator rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** {@link #shuffle(int[], RandomGenerator)} of a list, in place. */
    public static <T> void shuffle(List<T> l, RandomGenerator rnd) {
        for (int i = l.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            T t = l.get(i);
            l.set(i, l.get(j));
            l.set(j, t);
        }
    }

    /** {@code 0..n-1} in a seeded random order: the identity, shuffled. */
    public static int[] permutation(int n, RandomGenerator rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, rnd);
        return p;
    }
}
