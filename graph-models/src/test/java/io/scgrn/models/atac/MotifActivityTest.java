package io.scgrn.models.atac;

import io.scgrn.models.Edge;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MotifActivityTest {
    private static final int META = 6;
    private static final int PEAKS = 40;

    /**
     * The even peaks below 20 open with the TF's expression (m in metacell m), all others are identical and flat
     * (2.5): every peak has the same total (15), so the accessibility bins pair peaks by index and a bound peak's
     * background stand-in is itself or the flat peak after it.
     */
    private static float[] atac() {
        float[] x = new float[META * PEAKS];
        for (int m = 0; m < META; m++) {
            for (int p = 0; p < PEAKS; p++) {
                x[m * PEAKS + p] = p < 20 && p % 2 == 0 ? m : 2.5f;
            }
        }
        return x;
    }

    private static MotifTable table() {
        Map<Integer, Map<String, Double>> hits = new HashMap<>();
        for (int p = 0; p < 20; p += 2) {
            hits.computeIfAbsent(p, k -> new HashMap<>()).put("BOUND", 1.0); // ten coupled peaks
        }
        for (int p = 21; p < 24; p += 2) {
            hits.computeIfAbsent(p, k -> new HashMap<>()).put("BOUND", 1.0); // and two flat ones
        }
        for (int p = 24; p < 36; p++) {
            hits.computeIfAbsent(p, k -> new HashMap<>()).put("CHANCE", 0.8); // flat peaks only
            hits.computeIfAbsent(p, k -> new HashMap<>()).put("WEAK", 0.05); // below the hit threshold
        }
        for (int p = 0; p < 5; p++) {
            hits.computeIfAbsent(p, k -> new HashMap<>()).put("FEW", 1.0); // too few peaks to judge
        }
        return new MotifTable(hits);
    }

    private static Map<String, float[]> expression() {
        float[] e = {0, 1, 2, 3, 4, 5};
        Map<String, float[]> out = new HashMap<>();
        for (String tf : List.of("BOUND", "CHANCE", "FEW", "WEAK")) {
            out.put(tf, e.clone());
        }
        return out;
    }

    @Test
    void deviationIsObservedOverExpectedMinusOne() {
        // Two metacells, two peaks: totals 4 and 6, peak sums 5 and 5 (share 0.5 each).
        float[] x = {1, 3, 4, 2};
        double[] dev = MotifActivity.deviation(x, 2, 2, new double[] {4, 6}, new double[] {5, 5}, 10, new int[] {0});
        // Metacell 0: observed 1, expected 4 · 0.5 = 2 → −0.5; metacell 1: observed 4, expected 3 → 1/3.
        assertArrayEquals(new double[] {-0.5, 1.0 / 3}, dev, 1e-12);
    }

    @Test
    void aTfWhoseHitPeaksFollowItsExpressionOutweighsOneWhoseHitsAreFlat() {
        Map<String, Double> w = MotifActivity.weights(atac(), META, PEAKS, expression(), table(), 0.1, 7);
        assertEquals(1.0, w.get("BOUND"), "the best-coupled TF");
        // Flat peaks have identical columns, so every matched background set gives the same deviation: d = 0
        // (up to the rounding of a mean of 30 equal correlations).
        assertEquals(0.0, w.get("CHANCE"), 1e-12);
        assertEquals(1.0, w.get("FEW"), "fewer than MIN_PEAKS hit peaks: not judged");
        assertEquals(1.0, w.get("WEAK"), "no hit at or above the threshold: not judged");
        Map<String, Double> d = MotifActivity.coupling(atac(), META, PEAKS, expression(), table(), 0.1, 7);
        assertTrue(d.get("BOUND") > 0.1, "coupled: " + d);
        assertEquals(w, MotifActivity.weights(atac(), META, PEAKS, expression(), table(), 0.1, 7), "seeded");
    }

    @Test
    void tfWeightsScaleThePriorAfterTheExponent() {
        Map<String, Map<String, Double>> prior = Map.of(
                "TF1", Map.of("G1", 0.8, "G2", 0.2),
                "TF2", Map.of("G1", 0.05));
        // Square root as in PriorEdgesTest (1, 0.5 and 0.25), then TF1 × 0.5, TF2 unnamed → × 1.
        List<Edge> e = AtacAnalysis.priorEdges(prior, 0.5, Map.of("TF1", 0.5));
        Map<String, Double> byPair = new HashMap<>();
        e.forEach(x -> byPair.put(x.tf() + ">" + x.target(), x.score()));
        assertEquals(Map.of("TF1>G1", 0.5, "TF1>G2", 0.25, "TF2>G1", 0.25), byPair);
    }

    @Test
    void motifActivityIsParsedResolvedAndChecked() {
        assertTrue(Double.isNaN(AtacSettings.defaults(1).motifActivity()), "auto by default");
        assertEquals(AtacSettings.SCAN_MOTIF_ACTIVITY,
                AtacSettings.defaults(1).resolvePriorPower(true).motifActivity());
        assertEquals(0.0, AtacSettings.defaults(1).resolvePriorPower(false).motifActivity());
        AtacSettings s = AtacSettings.fromParams(Map.of("motif-activity", "0.4"), 1);
        assertEquals(0.4, s.resolvePriorPower(false).motifActivity());
        org.junit.jupiter.api.Assertions.assertThrows(io.scgrn.models.ModelException.class,
                () -> AtacSettings.fromParams(Map.of("motif-activity", "2"), 1));
    }
}
