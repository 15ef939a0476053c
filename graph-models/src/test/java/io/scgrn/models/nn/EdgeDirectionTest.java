package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

class EdgeDirectionTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    @Test
    void explainedShareIsOneMinusResidualOverTotal() {
        // bins {0,0,1,1}: fitted means 1.5 and 3.5, residual 4 × 0.25 = 1, total sum of squares 5
        assertEquals(0.8, explained(new double[] {1, 2, 3, 4}, new int[] {0, 0, 1, 1}), 1e-12);
        assertEquals(0, explained(new double[] {2, 2, 2}, new int[] {0, 1, 2}));
        assertEquals(1, explained(new double[] {1, 1, 5, 5}, new int[] {3, 3, 9, 9}), 1e-12);
        // the between-bin form equals 1 − residual / total sum of squares on random data
        Random r = new Random(4);
        for (int rep = 0; rep < 20; rep++) {
            int n = 50 + r.nextInt(500);
            double[] y = new double[n];
            int[] b = new int[n];
            double mean = 0;
            for (int c = 0; c < n; c++) {
                y[c] = r.nextDouble() < 0.3 ? 0 : Math.exp(r.nextGaussian());
                b[c] = r.nextInt(EdgeDirection.BINS);
                mean += y[c] / n;
            }
            double[] s = new double[EdgeDirection.BINS];
            int[] k = new int[EdgeDirection.BINS];
            for (int c = 0; c < n; c++) {
                s[b[c]] += y[c];
                k[b[c]]++;
            }
            double res = 0;
            double tot = 0;
            for (int c = 0; c < n; c++) {
                res += Math.pow(y[c] - s[b[c]] / k[b[c]], 2);
                tot += Math.pow(y[c] - mean, 2);
            }
            assertEquals(1 - res / tot, explained(y, b), 1e-9);
        }
    }

    /** R² of {@code y} on its means within {@code bins}, through {@link EdgeDirection}'s between-bin form. */
    private static double explained(double[] y, int[] bins) {
        int n = y.length;
        double[] sum = new double[EdgeDirection.BINS];
        int[] count = new int[EdgeDirection.BINS];
        double total = 0;
        for (int c = 0; c < n; c++) {
            sum[bins[c]] += y[c];
            count[bins[c]]++;
            total += y[c];
        }
        double ss = 0;
        for (double v : y) {
            ss += (v - total / n) * (v - total / n);
        }
        return EdgeDirection.explained(sum, count, total, ss, n);
    }

    @Test
    void tiedValuesShareTheBinOfTheirLowestRank() {
        // 32 values: 16 zeros then 1..16; 16 bins of 2 ranks each: the zeros all in bin 0, value k in bin (15+k)/2
        double[] x = new double[32];
        for (int i = 16; i < 32; i++) {
            x[i] = i - 15;
        }
        float[] f = new float[32];
        for (int i = 0; i < 32; i++) {
            f[i] = (float) x[i];
        }
        byte[] b = new byte[32];
        CrowdModel.binGene(new ExpressionMatrix(f, Synthetic.names("c", 32), List.of("x")),
                java.util.stream.IntStream.range(0, 32).toArray(), 0, EdgeDirection.BINS, false, new long[32], b);
        for (int i = 0; i < 16; i++) {
            assertEquals(0, b[i]);
        }
        for (int i = 16; i < 32; i++) {
            assertEquals(i / 2, b[i], "value " + x[i]);
        }
    }

    /**
     * Cells along a trajectory: the regulator switches on at a random time, its target follows after a lag, so
     * cells with the regulator on and the target still off exist and the reverse does not.
     */
    private static ExpressionMatrix lagged(int n, long seed) {
        Random r = new Random(seed);
        String[] genes = {"a", "b", "c"};
        float[] v = new float[n * 3];
        for (int c = 0; c < n; c++) {
            double time = r.nextDouble();
            double a = time > 0.3 ? 1 + 0.1 * r.nextGaussian() : 0.1 * r.nextGaussian();
            double b = time > 0.6 ? 1 + 0.1 * r.nextGaussian() : 0.1 * r.nextGaussian();
            v[c * 3] = (float) a;
            v[c * 3 + 1] = (float) b;
            v[c * 3 + 2] = (float) r.nextGaussian();
        }
        List<String> cells = new java.util.ArrayList<>();
        for (int c = 0; c < n; c++) {
            cells.add("c" + c);
        }
        return new ExpressionMatrix(v, cells, List.of(genes));
    }

    @Test
    void theHigherScoreGoesToTheRegulatorThatLeads() {
        ExpressionMatrix data = lagged(2000, 1);
        int[] tfIdx = {0, 1, 2};
        // rows a, b, c × columns a, b, c; b -> a scored above a -> b (as crowd's CLR tends to), c a noise TF
        float[] score = {
            0, 0.4f, 0.2f,
            0.9f, 0, 0.1f,
            0.3f, 0.5f, 0};
        float[] out = EdgeDirection.apply(score.clone(), tfIdx, data, null);
        assertEquals(0.9f, out[1], "a -> b gets the pair's higher score");
        assertEquals(0.4f, out[3], "b -> a the lower");
        // every pair keeps its two scores; self entries untouched
        for (int[] p : new int[][] {{0, 2}, {1, 2}}) {
            float x = out[p[0] * 3 + p[1]];
            float y = out[p[1] * 3 + p[0]];
            float sx = score[p[0] * 3 + p[1]];
            float sy = score[p[1] * 3 + p[0]];
            assertEquals(Math.max(sx, sy), Math.max(x, y));
            assertEquals(Math.min(sx, sy), Math.min(x, y));
        }
        assertEquals(0, out[0]);
        assertEquals(0, out[4]);
        assertEquals(0, out[8]);
    }

    @Test
    void unscoredPairsAndConstantGenesAreLeftAlone() {
        ExpressionMatrix data = lagged(500, 2);
        float[] v = data.values().clone();
        for (int c = 0; c < 500; c++) {
            v[c * 3 + 2] = 3; // c constant
        }
        ExpressionMatrix withConstant = new ExpressionMatrix(v, data.cells(), data.genes());
        float[] score = {
            0, 0.4f, 0.2f,
            0, 0, 0.1f,
            0.3f, 0.5f, 0};
        float[] out = EdgeDirection.apply(score.clone(), new int[] {0, 1, 2}, withConstant, null);
        assertArrayEquals(score, out, "b -> a unscored, c constant: nothing to re-order");
    }

    @Test
    void crowdWithDirectionLagReordersOnlyPairsOfRegulators() {
        ExpressionMatrix data = Synthetic.linear(400, 30, 6, new int[][] {{0, 6, 90}, {1, 7, -80}, {0, 1, 70},
                {2, 3, 80}, {3, 8, 60}}, 3);
        List<String> tfs = List.of("g0", "g1", "g2", "g3", "g4", "g5");
        Map<String, String> base = new HashMap<>(Map.of("epochs", "20", "direction", "off"));
        Network off = new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", base, List.of()),
                Progress.NONE);
        Network lag = new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", Map.of("epochs", "20",
                "direction", "lag"), List.of()), Progress.NONE);
        Map<String, Double> a = scores(off);
        Map<String, Double> b = scores(lag);
        assertEquals(a.keySet(), b.keySet());
        int changed = 0;
        for (Edge e : off.edges()) {
            String k = e.tf() + ">" + e.target();
            String rev = e.target() + ">" + e.tf();
            if (!tfs.contains(e.target())) {
                assertEquals(a.get(k), b.get(k), k + ": a target that is no TF keeps its score");
                continue;
            }
            assertEquals(Math.max(a.get(k), a.get(rev)), Math.max(b.get(k), b.get(rev)), 1e-7, k);
            assertEquals(Math.min(a.get(k), a.get(rev)), Math.min(b.get(k), b.get(rev)), 1e-7, k);
            if (!a.get(k).equals(b.get(k))) {
                changed++;
            }
        }
        assertTrue(changed > 0, "some TF pair is re-ordered");
        assertEquals(0, changed % 2, "a pair changes its two entries at once");
        assertEquals("direction", assertThrows(ModelException.class, () -> new CrowdModel().infer(data, tfs,
                new InferenceOptions(0, "cpu", Map.of("direction", "time"), List.of()), Progress.NONE)).field());
    }

    private static Map<String, Double> scores(Network n) {
        Map<String, Double> m = new HashMap<>();
        n.edges().forEach(e -> m.put(e.tf() + ">" + e.target(), e.score()));
        return m;
    }
}
