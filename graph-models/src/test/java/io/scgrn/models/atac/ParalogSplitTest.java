package io.scgrn.models.atac;

import io.scgrn.models.Edge;
import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ParalogSplit}: relatives' shared motif hits split by TF–peak coupling ({@code paralog-split=1}). */
class ParalogSplitTest {
    /** Peaks 0..n−1 of a hit table where A hits 0..49, B hits 0..40 and 60..69, C hits 45..47 and 100..149. */
    private static Map<Integer, Map<String, Double>> table() {
        Map<Integer, Map<String, Double>> h = new HashMap<>();
        for (int p = 0; p < 50; p++) {
            h.computeIfAbsent(p, k -> new HashMap<>()).put("A", 1.0);
        }
        for (int p = 0; p <= 40; p++) {
            h.get(p).put("B", 0.8);
        }
        for (int p = 60; p < 70; p++) {
            h.computeIfAbsent(p, k -> new HashMap<>()).put("B", 0.5);
        }
        for (int p : new int[] {45, 46, 47}) {
            h.get(p).put("C", 1.0);
        }
        for (int p = 100; p < 150; p++) {
            h.computeIfAbsent(p, k -> new HashMap<>()).put("C", 1.0);
        }
        return h;
    }

    @Test
    void relativesAreTheTfsWhoseHitsOverlapFarBeyondChance() {
        // A and B share 41 peaks of 50 / 51 among 1,000; C shares 3 with A
        assertEquals(Set.of("A\tB"), ParalogSplit.similarPairs(table(), 1000));
        ParalogSplit s = ParalogSplit.of(new MotifTable(table()), 1000);
        assertTrue(s.similar("A", "B") && s.similar("B", "A"));
        assertFalse(s.similar("A", "C"));
        // among 100 peaks the same overlap is within 3x chance (50 · 51 / 100 = 25.5 expected): no relatives
        assertEquals(Set.of(), ParalogSplit.similarPairs(table(), 100));
    }

    @Test
    void eachRelativeKeepsAShareByHowMuchBetterItTracksThePeak() {
        ParalogSplit s = ParalogSplit.of(new MotifTable(table()), 1000);
        Map<String, Double> z = Map.of("A", 2.0, "B", 0.0, "C", -1.0);
        Map<String, Double> w = s.weights(Set.of("A", "B", "C"), z::get);
        assertEquals(ParalogSplit.weight(2, 0), w.get("A"), 1e-12);
        assertEquals(ParalogSplit.weight(0, 2), w.get("B"), 1e-12);
        assertTrue(w.get("A") > 0.95 && w.get("B") < 0.3 && w.get("B") >= ParalogSplit.FLOOR, w.toString());
        // C has no relative here: untouched, however weakly it tracks the peak
        assertEquals(1, w.get("C"));
        // alone in a peak, a relative is untouched too
        assertEquals(Map.of("B", 1.0), s.weights(Set.of("B"), z::get));
        // equal coupling: both keep the same share, never below the floor, never above 1
        assertEquals(ParalogSplit.FLOOR + (1 - ParalogSplit.FLOOR) / 2, ParalogSplit.weight(1, 1), 1e-12);
        assertEquals(ParalogSplit.FLOOR, ParalogSplit.weight(-1e9, 0), 1e-12);
        assertEquals(1, ParalogSplit.weight(1e9, 0), 1e-12);
    }

    @Test
    void theSettingParsesAndIsOffByDefault() {
        assertFalse(AtacSettings.defaults(1).paralogSplit());
        assertFalse(AtacSettings.DEFAULT_PARALOG_SPLIT);
        AtacSettings on = AtacSettings.fromParams(Map.of("paralog-split", "1"), 1);
        assertTrue(on.paralogSplit());
        assertTrue(on.withCoupling(0.2).withStateShare(0.1).withGating(0.1).resolvePriorPower(true).paralogSplit());
        assertFalse(AtacSettings.fromParams(Map.of("paralog-split", "0"), 1).paralogSplit());
        ModelException e = assertThrows(ModelException.class,
                () -> AtacSettings.fromParams(Map.of("paralog-split", "yes"), 1));
        assertTrue(e.getMessage().contains("paralog-split"), e.getMessage());
    }

    @Test
    void inTheAnalysisOnlyTheRelativesSharedPeaksLoseEvidenceAndNeverBelowTheFloor() {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(500, 120, 1000, 12, 3, 0.1, 0.6, 5, 1.0));
        MultiomeData data = MultiomeInputs.fromMuData(sim.toMuData(), null, null, null);
        // the simulator's hits, and B given every hit of A as well (a paralog with A's motif)
        Map<Integer, Map<String, Double>> hits = SimHits.of(sim);
        String a = sim.tfs().get(0);
        String b = sim.tfs().get(1);
        hits.values().forEach(row -> {
            if (row.containsKey(a)) {
                row.merge(b, row.get(a), Math::max);
            }
        });
        MotifTable motifs = new MotifTable(hits);
        assertEquals(Set.of(a + "\t" + b), ParalogSplit.similarPairs(hits, data.nPeaks()));
        AtacResult off = AtacAnalysis.run(data, sim.tfs(), motifs, AtacSettings.defaults(5), Progress.NONE);
        AtacResult on = AtacAnalysis.run(data, sim.tfs(), motifs,
                AtacSettings.fromParams(Map.of("paralog-split", "1"), 5), Progress.NONE);
        Map<String, Double> before = byPair(off.prior());
        Map<String, Double> after = byPair(on.prior());
        assertEquals(before.keySet(), after.keySet());
        // unrelated TFs: every edge scaled by one common factor (the prior's normalisation by its largest value)
        Double factor = null;
        for (Map.Entry<String, Double> e : before.entrySet()) {
            String tf = e.getKey().split("\t")[0];
            if (!tf.equals(a) && !tf.equals(b) && e.getValue() > 0) {
                double r = after.get(e.getKey()) / e.getValue();
                if (factor == null) {
                    factor = r;
                }
                assertEquals(factor, r, 1e-9, e.getKey());
            }
        }
        assertTrue(factor != null);
        // the relatives: never up, at least the floor, and some edges strictly down
        int down = 0;
        for (Map.Entry<String, Double> e : before.entrySet()) {
            String tf = e.getKey().split("\t")[0];
            if ((tf.equals(a) || tf.equals(b)) && e.getValue() > 0) {
                double r = after.get(e.getKey()) / e.getValue() / factor;
                assertTrue(r <= 1 + 1e-9 && r >= ParalogSplit.FLOOR - 1e-9, e.getKey() + " " + r);
                down += r < 0.99 ? 1 : 0;
            }
        }
        assertTrue(down > 0, "no relative's edge lost evidence");
    }

    private static Map<String, Double> byPair(List<Edge> prior) {
        Map<String, Double> out = new HashMap<>();
        prior.forEach(e -> out.put(e.tf() + "\t" + e.target(), e.score()));
        return out;
    }
}
