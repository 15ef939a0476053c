package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class UniqueContributionTest {
    /** The sorted prefix sums give PUC exactly as the triple sum over (TF, gene, third gene) written out. */
    @Test
    void equalsTheTripleSumWrittenOut() {
        Random rnd = new Random(3);
        int genes = 9;
        int cells = 200;
        int bins = 4;
        byte[][] b = new byte[genes][cells];
        for (int c = 0; c < cells; c++) {
            int driver = rnd.nextInt(bins);
            for (int j = 0; j < genes; j++) {
                // genes 0..4 follow a shared driver with noise, the rest are independent
                b[j][c] = (byte) (j < 5 && rnd.nextDouble() < 0.7 ? driver : rnd.nextInt(bins));
            }
        }
        int[] tfIdx = {0, 2, 5, 7};
        float[] puc = UniqueContribution.of(b, bins, tfIdx);
        for (int t = 0; t < tfIdx.length; t++) {
            for (int y = 0; y < genes; y++) {
                double want = y == tfIdx[t] ? 0 : bruteForce(b, bins, tfIdx[t], y);
                assertEquals(want, puc[t * genes + y], 1e-3 * Math.max(1, Math.abs(want)),
                        "TF " + tfIdx[t] + " → gene " + y);
            }
        }
    }

    /**
     * Two targets of one regulator share information their regulator also carries: the regulator's pair with a target
     * keeps more unique contribution than the two siblings' pair.
     */
    @Test
    void aRegulatorOutranksItsTargetsSibling() {
        Random rnd = new Random(11);
        int cells = 2000;
        int bins = 4;
        int genes = 6;
        byte[][] b = new byte[genes][cells];
        for (int c = 0; c < cells; c++) {
            int reg = rnd.nextInt(bins);
            b[0][c] = (byte) reg;
            // targets 1 and 2 copy the regulator with independent noise; 3..5 are noise
            b[1][c] = (byte) (rnd.nextDouble() < 0.6 ? reg : rnd.nextInt(bins));
            b[2][c] = (byte) (rnd.nextDouble() < 0.6 ? reg : rnd.nextInt(bins));
            for (int j = 3; j < genes; j++) {
                b[j][c] = (byte) rnd.nextInt(bins);
            }
        }
        int[] tfIdx = {0, 1};
        float[] puc = UniqueContribution.of(b, bins, tfIdx);
        float regToTarget = puc[0 * genes + 2];
        float siblingToSibling = puc[1 * genes + 2];
        assertTrue(regToTarget > siblingToSibling, regToTarget + " vs " + siblingToSibling);
        assertEquals(0f, puc[0 * genes + 0]);
        assertEquals(0f, puc[1 * genes + 1]);
    }

    private static double bruteForce(byte[][] b, int bins, int x, int y) {
        int g = b.length;
        double info = mi(b, bins, x, y);
        if (!(info > 1e-12)) {
            return 0;
        }
        double sum = 0;
        for (int z = 0; z < g; z++) {
            if (z == x || z == y) {
                continue;
            }
            sum += (info - redundancy(b, bins, y, x, z)) / info + (info - redundancy(b, bins, x, y, z)) / info;
        }
        return Math.max(0, sum);
    }

    /** Williams–Beer I_min of sources s1, s2 about target. */
    private static double redundancy(byte[][] b, int bins, int target, int s1, int s2) {
        int m = b[0].length;
        double red = 0;
        for (int k = 0; k < bins; k++) {
            int nk = 0;
            for (int c = 0; c < m; c++) {
                nk += b[target][c] == k ? 1 : 0;
            }
            if (nk == 0) {
                continue;
            }
            red += (double) nk / m * Math.min(specific(b, bins, target, k, s1), specific(b, bins, target, k, s2));
        }
        return red;
    }

    private static double specific(byte[][] b, int bins, int target, int k, int source) {
        int m = b[0].length;
        double s = 0;
        int nk = 0;
        for (int c = 0; c < m; c++) {
            nk += b[target][c] == k ? 1 : 0;
        }
        for (int a = 0; a < bins; a++) {
            int na = 0;
            int nka = 0;
            for (int c = 0; c < m; c++) {
                na += b[source][c] == a ? 1 : 0;
                nka += b[source][c] == a && b[target][c] == k ? 1 : 0;
            }
            if (nka > 0) {
                s += (double) nka / nk * Math.log((double) nka * m / ((double) nk * na));
            }
        }
        return Math.max(0, s);
    }

    private static double mi(byte[][] b, int bins, int x, int y) {
        int m = b[0].length;
        double s = 0;
        for (int k = 0; k < bins; k++) {
            int nk = 0;
            for (int c = 0; c < m; c++) {
                nk += b[y][c] == k ? 1 : 0;
            }
            if (nk > 0) {
                s += (double) nk / m * specific(b, bins, y, k, x);
            }
        }
        return s;
    }
}
