package io.scgrn.models.numerics;

import java.util.Arrays;

/**
 * Tie-aware ranks: 1-based positions in ascending order, tied values sharing their mean rank (the ranks of
 * Spearman's correlation and of the Mann–Whitney statistic). Values are compared as floats packed with their
 * position in a {@code long}, so ranking is a primitive sort without boxing; −0 and +0 tie, and every caller
 * rejects NaN before ranking. Ranks are exact for fewer than 2²⁴ values.
 */
public final class Ranks {
    private Ranks() {
    }

    /**
     * Average ranks of {@code n} values read at {@code src[offset + i·stride]}.
     *
     * @param keys scratch of length ≥ n (reused across calls to avoid allocation), or null
     * @param out  receives rank i at {@code out[i]}, length ≥ n
     */
    public static void averageRanks(float[] src, int offset, int stride, int n, long[] keys, float[] out) {
        long[] k = keys != null && keys.length >= n ? keys : new long[n];
        for (int i = 0; i < n; i++) {
            k[i] = key(src[offset + i * stride], i);
        }
        Arrays.sort(k, 0, n);
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && (k[j + 1] >> 32) == (k[i] >> 32)) {
                j++;
            }
            float r = (i + j) / 2f + 1;
            for (int q = i; q <= j; q++) {
                out[(int) k[q]] = r;
            }
            i = j + 1;
        }
    }

    /** Average ranks of {@code v} as a new array. */
    public static float[] averageRanks(float[] v) {
        float[] out = new float[v.length];
        averageRanks(v, 0, 1, v.length, null, out);
        return out;
    }

    /**
     * Replaces {@code x} by its average ranks. The values must be exactly representable as floats (expression
     * values are stored as float), since they are compared as floats.
     */
    public static void averageRanksInPlace(double[] x) {
        int n = x.length;
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) x[i];
        }
        float[] r = new float[n];
        averageRanks(f, 0, 1, n, null, r);
        for (int i = 0; i < n; i++) {
            x[i] = r[i];
        }
    }

    /**
     * Positions of {@code v[offset … offset + n)} by value descending, ties by position ascending: the order of a
     * sort with {@code Float.compare(b, a)}, then {@code Integer.compare(a, b)} ({@code −0 < +0}, NaN first), as one
     * primitive sort instead of a boxed one.
     *
     * @return positions relative to {@code offset}, length n
     */
    public static int[] descendingOrder(float[] v, int offset, int n) {
        long[] k = new long[n];
        for (int i = 0; i < n; i++) {
            // Float.compare's total order as an int (NaN canonical and largest, −0 below +0), reversed by ~.
            int bits = Float.floatToIntBits(v[offset + i]);
            bits ^= (bits >> 31) & 0x7fffffff;
            k[i] = ((long) ~bits << 32) | i;
        }
        Arrays.sort(k);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) k[i];
        }
        return out;
    }

    /** Order-preserving int image of a float in the high half, the position in the low half. */
    private static long key(float v, int pos) {
        int bits = Float.floatToIntBits(v + 0.0f);
        bits ^= (bits >> 31) & 0x7fffffff;
        return ((long) bits << 32) | pos;
    }

    /** First index in ascending {@code a} whose value is ≥ {@code t} ({@code a.length} when there is none). */
    public static int lowerBound(double[] a, double t) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
