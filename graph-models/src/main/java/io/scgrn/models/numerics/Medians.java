package io.scgrn.models.numerics;

import java.util.Arrays;

/** Medians of copies of the data (the input is never reordered). */
public final class Medians {
    private Medians() {
    }

    /** The median: the middle value, or the mean of the two middle values for an even count; NaN when empty. */
    public static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** The upper median: the value at position ⌊n/2⌋ of the sorted data, always one of the values; NaN when empty. */
    public static double upperMedian(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
