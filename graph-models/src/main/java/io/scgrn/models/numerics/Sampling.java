package io.scgrn.models.numerics;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded uniform samples without replacement. */
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
}
