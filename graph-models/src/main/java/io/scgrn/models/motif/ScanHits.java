package io.scgrn.models.motif;

import java.util.Arrays;

/**
 * The best hit of each motif in each sequence (peak), sorted by peak then motif.
 *
 * @param peak     {@code [n]} peak index of each hit
 * @param motif    {@code [n]} motif index in the database
 * @param log10p   {@code [n]} −log10 p-value of the best window
 */
public record ScanHits(int[] peak, int[] motif, float[] log10p) {
    public int size() {
        return peak.length;
    }

    static ScanHits concat(ScanHits[] parts) {
        int n = 0;
        for (ScanHits p : parts) {
            n += p.size();
        }
        int[] pk = new int[n];
        int[] mo = new int[n];
        float[] lp = new float[n];
        int o = 0;
        for (ScanHits p : parts) {
            System.arraycopy(p.peak, 0, pk, o, p.size());
            System.arraycopy(p.motif, 0, mo, o, p.size());
            System.arraycopy(p.log10p, 0, lp, o, p.size());
            o += p.size();
        }
        return new ScanHits(pk, mo, lp);
    }

    /** Grows three parallel arrays. */
    static final class Builder {
        private int[] peak = new int[1024];
        private int[] motif = new int[1024];
        private float[] log10p = new float[1024];
        private int n;

        void add(int p, int m, float v) {
            if (n == peak.length) {
                peak = Arrays.copyOf(peak, 2 * n);
                motif = Arrays.copyOf(motif, 2 * n);
                log10p = Arrays.copyOf(log10p, 2 * n);
            }
            peak[n] = p;
            motif[n] = m;
            log10p[n] = v;
            n++;
        }

        ScanHits build() {
            return new ScanHits(Arrays.copyOf(peak, n), Arrays.copyOf(motif, n), Arrays.copyOf(log10p, n));
        }
    }
}
