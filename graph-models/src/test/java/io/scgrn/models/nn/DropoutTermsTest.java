package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.atac.CellStates;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** crowd's round-8 options (off by default): {@code dropout} and {@code smooth} (docs/benchmarks.md, round 8). */
class DropoutTermsTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    private static Network crowd(ExpressionMatrix data, List<String> tfs, Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(Map.of("w-learned", "0"));
        p.putAll(extra);
        return new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", p, List.of()), Progress.NONE);
    }

    /** Two far-apart clusters of 40 cells; within each, gene j of cell c is c-dependent noise around the centre. */
    private static float[] twoClusters(int n, int g) {
        float[] x = new float[n * g];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                x[c * g + j] = (float) ((c < n / 2 ? 0 : 20) + ((c * 7 + j * 3) % 11) / 10.0);
            }
        }
        return x;
    }

    @Test
    void knnSmoothAveragesEachCellWithItsNearestCellsOnly() {
        int n = 80;
        int g = 6;
        float[] x = twoClusters(n, g);
        float[] before = x.clone();
        float[] s = CellStates.knnSmooth(x, n, g, 5, 30, 0);
        assertArrayEquals(before, x, "the input is not modified");
        for (int c = 0; c < n; c++) {
            double centre = c < n / 2 ? 0 : 20;
            for (int j = 0; j < g; j++) {
                // the mean of 6 cells of its own cluster: inside the cluster's range [centre, centre + 1]
                assertTrue(s[c * g + j] >= centre - 1e-5 && s[c * g + j] <= centre + 1 + 1e-5, c + "," + j);
            }
        }
        // with every other cell as a neighbour each row is the column mean
        float[] all = CellStates.knnSmooth(x, n, g, n - 1, 30, 0);
        for (int j = 0; j < g; j++) {
            double mean = 0;
            for (int c = 0; c < n; c++) {
                mean += x[c * g + j];
            }
            mean /= n;
            for (int c = 0; c < n; c++) {
                assertEquals(mean, all[c * g + j], 1e-4);
            }
        }
    }

    @Test
    void dropoutMixMovesEachRegulatorsRowByItsZeroShare() {
        // 2 TFs × 2 genes
        float[] term = {1, 0, 0, 1};
        float[] pcor = {0, 1, 1, 0};
        double[] z = {0, 0.5};
        assertArrayEquals(new float[] {1, 0, 0.5f, 0.5f}, CrowdModel.dropoutMix(term, pcor, z, 1, 2));
        assertArrayEquals(new float[] {1, 0, 1, 0}, CrowdModel.dropoutMix(term, pcor, z, 2, 2));
        // cells × genes: gene 0 zero in 1 of 4 cells, gene 1 in 3 of 4, gene 2 never
        ExpressionMatrix m = new ExpressionMatrix(new float[] {0, 0, 1, 1, 0, 2, 1, 0, 3, 1, 2, 4},
                List.of("a", "b", "c", "d"), List.of("g0", "g1", "g2"));
        assertArrayEquals(new double[] {0.25, 0.75, 0}, CrowdModel.zeroShares(m, new int[] {0, 1, 2}), 1e-12);
        assertEquals(4.0 / 12, CrowdModel.zeroShare(m), 1e-12);
    }

    @Test
    void withoutZerosTheNetworkIsTheDefaultsWithDropoutItChanges() {
        ExpressionMatrix dense = WithinStatesTest.twoStates(3);
        List<String> tfs = List.of("t1", "t2");
        Network def = crowd(dense, tfs, Map.of());
        // no value is 0: both options leave the network exactly as it is
        assertEquals(def.edges(), crowd(dense, tfs, Map.of("dropout", "mi", "dropout-scale", "2")).edges());
        assertEquals(def.edges(), crowd(dense, tfs, Map.of("smooth", "5")).edges());
        // the same data with every value below 0.5 set to 0 (dropout on ~70 % of the unshifted genes' cells)
        float[] v = dense.values().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] < 0.5f ? 0 : v[i];
        }
        ExpressionMatrix sparse = new ExpressionMatrix(v, dense.cells(), dense.genes());
        Network sdef = crowd(sparse, tfs, Map.of());
        assertNotEquals(sdef.edges(), crowd(sparse, tfs, Map.of("dropout", "mi", "dropout-scale", "2")).edges());
        assertNotEquals(sdef.edges(), crowd(sparse, tfs, Map.of("smooth", "5")).edges());
        // the options off are the default
        assertEquals(sdef.edges(), crowd(sparse, tfs, Map.of("dropout", "off", "smooth", "0")).edges());
    }

    @Test
    void zeroBinGivesTheDetectedCellsTheOtherBins() {
        // gene 0: 6 zeros then 1..4; gene 1: no zeros (1..10); gene 2: all zero
        float[] v = new float[10 * 3];
        for (int c = 0; c < 10; c++) {
            v[c * 3] = c < 6 ? 0 : c - 5;
            v[c * 3 + 1] = c + 1;
        }
        ExpressionMatrix m = new ExpressionMatrix(v, java.util.stream.IntStream.range(0, 10).mapToObj(i -> "c" + i)
                .toList(), List.of("g0", "g1", "g2"));
        int[] cells = java.util.stream.IntStream.range(0, 10).toArray();
        byte[][] tie = CrowdModel.bins(m, cells, 4);
        byte[][] own = CrowdModel.bins(m, cells, 4, true);
        // ties share the lowest bin: the 6 zeros bin 0, the 4 detected cells only bins 2 and 3
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 2, 2, 3, 3}, tie[0]);
        // own bin: zeros 0, the detected cells split over bins 1..3 among themselves
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 1, 1, 2, 3}, own[0]);
        // genes without zeros, or with nothing but zeros, are binned as before
        assertArrayEquals(tie[1], own[1]);
        assertArrayEquals(tie[2], own[2]);
        // crowd's MI term: mi-zeros leaves data without zeros as it is
        ExpressionMatrix dense = WithinStatesTest.twoStates(6);
        List<String> tfs = List.of("t1", "t2");
        assertEquals(crowd(dense, tfs, Map.of()).edges(), crowd(dense, tfs, Map.of("mi-zeros", "own")).edges());
        ModelException e = assertThrows(ModelException.class,
                () -> crowd(dense, tfs, Map.of("mi-zeros", "drop")));
        assertTrue(e.getMessage().contains("mi-zeros"), e.getMessage());
    }

    @Test
    void invalidOptionsNameTheirField() {
        ExpressionMatrix data = WithinStatesTest.twoStates(4);
        ModelException e = assertThrows(ModelException.class,
                () -> crowd(data, List.of("t1"), Map.of("dropout", "sometimes")));
        assertTrue(e.getMessage().contains("dropout"), e.getMessage());
        e = assertThrows(ModelException.class, () -> crowd(data, List.of("t1"), Map.of("smooth", "-1")));
        assertTrue(e.getMessage().contains("smooth"), e.getMessage());
    }

    /**
     * MI counted outside each TF's fullest bin (its row from the gene's marginal) equals MI counted over every cell,
     * bit for bit: sparse genes (mostly zeros), dense ones, a constant one, with and without the zero bin.
     */
    @Test
    void mutualInformationEqualsTheJointOverEveryCell() {
        int n = 300;
        int g = 12;
        float[] x = new float[n * g];
        java.util.Random rnd = new java.util.Random(4);
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                double zeros = j < 4 ? 0.9 : j < 8 ? 0.3 : 0;
                x[c * g + j] = j == 11 ? 1f : rnd.nextDouble() < zeros ? 0f : (float) Math.abs(rnd.nextGaussian()
                        + (j % 3 == 0 ? x[c * g] : 0));
            }
        }
        List<String> cells = java.util.stream.IntStream.range(0, n).mapToObj(i -> "c" + i).toList();
        List<String> genes = java.util.stream.IntStream.range(0, g).mapToObj(i -> "g" + i).toList();
        ExpressionMatrix data = new ExpressionMatrix(x, cells, genes);
        int[] tfs = {0, 1, 5, 8, 11};
        for (boolean zeroBin : new boolean[] {false, true}) {
            int[] all = java.util.stream.IntStream.range(0, n).toArray();
            byte[][] b = CrowdModel.bins(data, all, 8, zeroBin);
            float[] ref = new float[tfs.length * g];
            for (int t = 0; t < tfs.length; t++) {
                for (int j = 0; j < g; j++) {
                    if (j == tfs[t]) {
                        continue;
                    }
                    int[] joint = new int[64];
                    int[] mt = new int[8];
                    int[] mj = new int[8];
                    for (int c = 0; c < n; c++) {
                        joint[b[tfs[t]][c] * 8 + b[j][c]]++;
                        mt[b[tfs[t]][c]]++;
                        mj[b[j][c]]++;
                    }
                    ref[t * g + j] = (float) Math.max(0, plainEntropy(mt, n) + plainEntropy(mj, n)
                            - plainEntropy(joint, n));
                }
            }
            float[] mi = CrowdModel.mutualInformation(data, tfs, 8, n, new java.util.Random(0), zeroBin);
            assertArrayEquals(ref, mi, "zeroBin " + zeroBin);
            assertTrue(mi[0 * g + 3] > 0 || mi[0 * g + 6] > 0, "some dependence is seen");
        }
    }

    private static double plainEntropy(int[] counts, int total) {
        double e = 0;
        for (int k : counts) {
            if (k > 0) {
                double p = (double) k / total;
                e -= p * Math.log(p);
            }
        }
        return e;
    }
}
