package io.scgrn.models.atac;

import io.scgrn.models.numerics.Distributions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.scgrn.models.numerics.ReferenceStatistics.pearson;

class GatedCoexpressionTest {
    /** Closed cells: TF (1, −1, 1, −1, …) and gene (1, 1, −1, −1, …): both mean 0, orthogonal, so r0 = 0. */
    private static final float[] TF_CLOSED = {1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1};
    private static final float[] GENE_CLOSED = {1, 1, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1};
    /** Open cells: TF 1..12 and gene = TF + (1, −1, 1, …): r1 = 0.9884 (computed below). */
    private static final float[] TF_OPEN = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    /** Cells 0..11 closed, 12..23 open; genes: 0 = TF, 1 = target, 2 = the target's sign flipped. */
    private static float[] rna() {
        float[] x = new float[24 * 3];
        for (int c = 0; c < 12; c++) {
            x[c * 3] = TF_CLOSED[c];
            x[c * 3 + 1] = GENE_CLOSED[c];
            x[c * 3 + 2] = -GENE_CLOSED[c];
            int o = (12 + c) * 3;
            x[o] = TF_OPEN[c];
            x[o + 1] = TF_OPEN[c] + (c % 2 == 0 ? 1 : -1);
            x[o + 2] = -x[o + 1];
        }
        return x;
    }

    /** Peak 0 open in cells 12..23, peak 1 in cells 0..11, peak 2 in cells 0..4 only. */
    private static PeakMatrix atac() {
        int[] indptr = new int[25];
        int[] indices = new int[12 + 12 + 5];
        int k = 0;
        for (int c = 0; c < 24; c++) {
            indptr[c] = k;
            if (c < 12) {
                indices[k++] = 1;
            }
            if (c < 5) {
                indices[k++] = 2;
            }
            if (c >= 12) {
                indices[k++] = 0;
            }
        }
        indptr[24] = k;
        return new PeakMatrix(24, 3, indptr, indices);
    }

    @Test
    void fisherZOfOpenVersusClosedCorrelation() {
        float[] geneOpen = new float[12];
        for (int c = 0; c < 12; c++) {
            geneOpen[c] = TF_OPEN[c] + (c % 2 == 0 ? 1 : -1);
        }
        double r1 = pearson(TF_OPEN, geneOpen);
        // Hand check: TF 1..12 has Sxx = 143; gene = TF + e has Sxy = 143 − 6 = 137 (the ±1 pattern against
        // centred TF sums to −6), Syy = 143 − 12 + 12 = 143: r1 = 137 / 143.
        assertEquals(137.0 / 143.0, r1, 1e-6);
        assertEquals(0.0, pearson(TF_CLOSED, GENE_CLOSED), 1e-12);
        double expected = 0.5 * Math.log((1 + r1) / (1 - r1)) / Math.sqrt(2.0 / 9.0);
        GatedCoexpression g = new GatedCoexpression(rna(), 3, atac(), null);
        assertEquals(expected, g.z(0, 0, 1), 1e-5);
        assertEquals(1 - 2 * Distributions.normalUpper(expected), g.evidence(0, 0, 1), 1e-6);
        // A repressed target (negative correlation) gives the same positive z: the direction is the overall r's.
        assertEquals(expected, g.z(0, 0, 2), 1e-5);
        // The same cells seen through a peak open where the TF does NOT track the gene: negative z, no evidence.
        assertEquals(-expected, g.z(0, 1, 1), 1e-5);
        assertEquals(0.0, g.evidence(0, 1, 1));
        // Five open cells are too few for a correlation.
        assertEquals(0.0, g.z(0, 2, 1));
        assertEquals(0.0, g.evidence(0, 2, 1));
    }

    @Test
    void stateCentringRemovesBetweenStateShifts() {
        // Two states whose TF and gene levels differ (state 1 shifted by +5 and +7) with no link inside either
        // state (the orthogonal closed-cell patterns above in both), and the peak open in exactly state 1. Centred
        // within states the shift is gone: r1 = r0 = 0 and z = 0.
        float[] x = new float[24 * 2];
        for (int c = 0; c < 12; c++) {
            x[c * 2] = TF_CLOSED[c];
            x[c * 2 + 1] = GENE_CLOSED[c];
            x[(12 + c) * 2] = TF_CLOSED[c] + 5;
            x[(12 + c) * 2 + 1] = GENE_CLOSED[c] + 7;
        }
        int[] state = new int[24];
        for (int c = 12; c < 24; c++) {
            state[c] = 1;
        }
        GatedCoexpression centred = new GatedCoexpression(x, 2, atac(), state);
        assertEquals(0.0, centred.z(0, 0, 1), 1e-9);
        // Uncentred, the shift makes TF and gene correlate over all cells (r > 0) but not inside either group
        // (r1 = r0 = 0), so z = 0 too; centring works on a copy, the input is unchanged.
        GatedCoexpression raw = new GatedCoexpression(x, 2, atac(), null);
        assertEquals(0.0, raw.z(0, 0, 1), 1e-9);
        assertEquals(5f + TF_CLOSED[0], x[12 * 2]);
    }
}
