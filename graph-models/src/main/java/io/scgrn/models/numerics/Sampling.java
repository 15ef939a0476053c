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
     * The {@code m} positions of {@code keys} whose seeded keys {@code mix(key ^ mix(seed))} are smallest, ascending:
     * a uniform sample when the keys are hashes, and one that depends only on each position's key, not on where it
     * is stored, so the same items in another order give the same chosen keys (the streamed preparation's sketch of
     * cells, keyed by a hash of each cell's values). Equal keys are taken in position order.
     */
    public static int[] smallestKeys(long[] keys, int m, long seed) {
        int n = keys.length;
        if (m >= n) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        long salt = mix(seed);
        long[] k = new long[n];
        for (int i = 0; i < n; i++) {
            k[i] = mix(keys[i] ^ salt);
        }
        long[] sorted = k.clone();
        Arrays.sort(sorted);
        long cut = sorted[m - 1];
        int below = 0;
        for (long v : sorted) {
            if (v < cut) {
                below++;
            }
        }
        int atCut = m - below; // how many of the keys equal to the cut are taken, in position order
        int[] out = new int[m];
        int o = 0;
        for (int i = 0; i < n; i++) {
            if (k[i] < cut || (k[i] == cut && atCut-- > 0)) {
                out[o++] = i;
            }
        }
        return out;
    }

    /** SplitMix64's finaliser: spreads a 64-bit hash over all bits (Steele, Lea and Flood 2014). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
