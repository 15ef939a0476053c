package io.scgrn.models.atac;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.scgrn.models.numerics.ReferenceStatistics.pearson;

class PeakGeneLinkerTest {
    /**
     * Gene G on chr1, + strand, TSS at 100,000. Peaks: p0 at 99,000 (near), p1 at 195,000 (94.5 kb from the TSS,
     * inside ±100 kb), p2 at 250,000 (outside), p3–p6 on chr2 (background only). Distances are from the TSS base
     * to the nearest peak base.
     */
    private static MultiomeData data(int cells) {
        List<GenomicInterval> peaks = List.of(new GenomicInterval("chr1", 99_000, 99_500),
                new GenomicInterval("chr1", 195_000, 195_500), new GenomicInterval("chr1", 250_000, 250_500),
                new GenomicInterval("chr2", 1_000, 1_500), new GenomicInterval("chr2", 5_000, 5_500),
                new GenomicInterval("chr2", 9_000, 9_500), new GenomicInterval("chr2", 13_000, 13_500));
        List<String> names = peaks.stream().map(GenomicInterval::toString).toList();
        int[] ptr = new int[cells + 1];
        PeakMatrix pm = new PeakMatrix(cells, peaks.size(), ptr, new int[0]);
        List<String> cellNames = IntStream.range(0, cells).mapToObj(i -> "c" + i).toList();
        return new MultiomeData(cellNames, List.of("G", "H"), new float[cells * 2], peaks, names, pm,
                Map.of("G", new GeneLocus("G", "chr1", 100_000, 120_000, 1)), List.of(), 0, 0);
    }

    @Test
    void windowKeepsPeaksWithinDistanceOfTss() {
        MultiomeData d = data(2);
        List<int[]> c = PeakGeneLinker.candidates(d, 100_000);
        assertArrayEquals(new int[] {0, 1}, c.get(0));
        assertArrayEquals(new int[0], c.get(1)); // H has no position
        assertArrayEquals(new int[] {0}, PeakGeneLinker.candidates(d, 50_000).get(0));
    }

    @Test
    void scoresCorrelationAgainstTransBackground() {
        MultiomeData d = data(5);
        // 5 metacells. Gene G expression and peak accessibilities chosen by hand.
        float[] g = {1, 2, 3, 4, 5};
        float[][] peaks = {
            {1, 2, 3, 4, 6},   // p0: strongly correlated
            {5, 4, 3, 2, 1},   // p1: anti-correlated
            {1, 1, 2, 1, 1},   // p2: outside window
            {2, 1, 2, 1, 2},   // p3..p6: background on chr2
            {1, 2, 1, 2, 1},
            {3, 1, 2, 2, 1},
            {1, 1, 1, 2, 2}};
        float[] rna = new float[5 * 2];
        float[] atac = new float[5 * 7];
        for (int m = 0; m < 5; m++) {
            rna[m * 2] = g[m];
            rna[m * 2 + 1] = m % 2;
            for (int p = 0; p < 7; p++) {
                atac[m * 7 + p] = peaks[p][m];
            }
        }
        Metacells meta = new Metacells(5, new int[5][], rna, atac);
        // One accessibility bin holding every peak; the chr1 peaks are excluded from G's background.
        List<PeakGeneLink> links = PeakGeneLinker.link(d, meta,
                new PeakGeneLinker.Options(100_000, 100, 1, 0.05, 0.05, 1));
        assertEquals(2, links.size());
        double[] bg = {pearson(g, peaks[3]), pearson(g, peaks[4]), pearson(g, peaks[5]), pearson(g, peaks[6])};
        double mean = (bg[0] + bg[1] + bg[2] + bg[3]) / 4;
        double ss = 0;
        for (double b : bg) {
            ss += (b - mean) * (b - mean);
        }
        double sd = Math.sqrt(ss / 3);
        PeakGeneLink l0 = links.get(0);
        assertEquals(0, l0.peak());
        assertEquals(pearson(g, peaks[0]), l0.r(), 1e-6);
        assertEquals((l0.r() - mean) / sd, l0.z(), 1e-5);
        assertEquals(501, l0.distance()); // TSS base 100,000 − last peak base 99,499
        PeakGeneLink l1 = links.get(1);
        assertEquals(-1.0, l1.r(), 1e-6);
        assertEquals(0.5 * erfcApprox(Math.abs(l1.z()) / Math.sqrt(2)), l1.p(), 1e-6);
        assertTrue(l0.z() > 0 && l1.z() < 0);
        assertFalse(Double.isNaN(l0.p()));
    }

    /** erfc by numerical integration, independent of the implementation's approximation. */
    private static double erfcApprox(double x) {
        int steps = 200_000;
        double upper = x + 10;
        double h = (upper - x) / steps;
        double s = 0;
        for (int i = 0; i < steps; i++) {
            double t = x + (i + 0.5) * h;
            s += Math.exp(-t * t);
        }
        return 2 / Math.sqrt(Math.PI) * s * h;
    }
}
