package io.scgrn.models.motif;

import io.scgrn.models.ModelException;
import io.scgrn.models.atac.AtacSettings;
import io.scgrn.models.atac.GenomicInterval;
import io.scgrn.models.atac.MotifTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code scan-compete}: TFs with nearly the same motif compete for their shared hit peaks (round 10b). */
class MotifCompeteTest {
    private static final double[][] COUNTS = {{10, 0, 0, 0}, {0, 10, 0, 0}, {0, 0, 10, 0}, {0, 0, 0, 10}};

    /**
     * 1,000 peaks of 500 bp. Paralogs A and B both hit peaks 0–40: A is the stronger in 0–19 (p 1e-7 against 1e-6,
     * both scoring 1, so only the p-value can tell), B in 20–39, equal in 40. C hits 38–41 and 60–79: three shared
     * peaks with A and B, too few to make it their relative. (Among 100 peaks A and B's overlap, 41 of 41, would be
     * less than three times chance, 16.8, and they would not compete: checked below.)
     */
    private static MotifScan.Result result() {
        MotifDatabase db = new MotifDatabase(List.of(new MotifMatrix("MA", "A", COUNTS),
                new MotifMatrix("MB", "B", COUNTS), new MotifMatrix("MC", "C", COUNTS)), "test", "abc");
        List<int[]> h = new ArrayList<>();
        List<Float> p = new ArrayList<>();
        for (int k = 0; k <= 40; k++) {
            h.add(new int[] {k, 0});
            p.add(k < 20 ? 7f : 6f);
            h.add(new int[] {k, 1});
            p.add(k < 20 || k == 40 ? 6f : 7f);
        }
        for (int k : new int[] {38, 39, 40, 41}) {
            h.add(new int[] {k, 2});
            p.add(6f);
        }
        for (int k = 60; k < 80; k++) {
            h.add(new int[] {k, 2});
            p.add(6f);
        }
        int[] peak = h.stream().mapToInt(a -> a[0]).toArray();
        int[] motif = h.stream().mapToInt(a -> a[1]).toArray();
        float[] lp = new float[p.size()];
        for (int i = 0; i < lp.length; i++) {
            lp[i] = p.get(i);
        }
        return new MotifScan.Result(db, new ScanHits(peak, motif, lp), new double[] {0.25, 0.25, 0.25, 0.25}, 1e-4,
                false, null);
    }

    private static List<GenomicInterval> peaks() {
        List<GenomicInterval> out = new ArrayList<>();
        for (int k = 0; k < 1000; k++) {
            out.add(new GenomicInterval("chr1", 1000L * k, 1000L * k + 500));
        }
        return out;
    }

    private static Set<Integer> peaksOf(MotifTable t, String tf) {
        Set<Integer> out = new java.util.TreeSet<>();
        t.hits().forEach((pk, m) -> {
            if (m.containsKey(tf)) {
                out.add(pk);
            }
        });
        return out;
    }

    private static Set<Integer> range(int from, int to) {
        Set<Integer> out = new java.util.TreeSet<>();
        for (int k = from; k < to; k++) {
            out.add(k);
        }
        return out;
    }

    @Test
    void paralogsKeepOnlyThePeaksWhereTheirHitIsTheStronger() {
        List<String> tfs = List.of("A", "B", "C");
        MotifTable plain = MotifScan.toMotifTable(result(), tfs, peaks());
        assertEquals(range(0, 41), peaksOf(plain, "A"));
        assertEquals(range(0, 41), peaksOf(plain, "B"));
        assertEquals(plain.hits(), MotifScan.toMotifTable(result(), tfs, peaks(), false).hits(), "off: unchanged");

        MotifTable comp = MotifScan.toMotifTable(result(), tfs, peaks(), true);
        Set<Integer> a = range(0, 20);
        a.add(40);
        Set<Integer> b = range(20, 41);
        assertEquals(a, peaksOf(comp, "A"), "A wins where its p-value is the smaller, and keeps the tie");
        assertEquals(b, peaksOf(comp, "B"));
        Set<Integer> c = range(38, 42);
        c.addAll(range(60, 80));
        assertEquals(c, peaksOf(comp, "C"), "an unrelated TF sharing three peaks is untouched");
        assertEquals(plain.hits().get(5).get("A"), comp.hits().get(5).get("A"), "the winner's score is kept");
        assertEquals(Set.of("B", "C"), comp.hits().get(39).keySet());

        MotifTable few = MotifScan.toMotifTable(result(), tfs, peaks().subList(0, 100), true);
        assertEquals(plain.hits(), few.hits(), "among 100 peaks the overlap is within 3x chance: no competition");
    }

    @Test
    void relativesAreFoundByTheirOverlapAgainstChance() {
        // Two TFs hitting nearly every peak share most peaks by chance alone: no competition.
        Map<Integer, Map<String, Double>> s = new java.util.HashMap<>();
        Map<Integer, Map<String, Double>> x = new java.util.HashMap<>();
        for (int k = 0; k < 10; k++) {
            s.put(k, new java.util.HashMap<>(Map.of("A", 1.0, "B", 1.0)));
            x.put(k, Map.of("A", 3.0, "B", 4.0));
        }
        assertEquals(0, MotifScan.compete(s, x, 10), "10 of 10 peaks each: overlap is what chance gives");
        assertEquals(10, s.size());
        // The same overlap among 1,000 peaks is 100× chance: A loses all ten.
        assertEquals(10, MotifScan.compete(s, x, 1000));
        s.values().forEach(m -> assertEquals(Set.of("B"), m.keySet()));
    }

    @Test
    void scanCompeteIsAnAtacParam() {
        assertFalse(AtacSettings.defaults(1).scanCompete());
        assertTrue(AtacSettings.fromParams(Map.of("scan-compete", "1"), 1).scanCompete());
        assertFalse(AtacSettings.fromParams(Map.of("scan-compete", "0"), 1).scanCompete());
        ModelException e = assertThrows(ModelException.class,
                () -> AtacSettings.fromParams(Map.of("scan-compete", "yes"), 1));
        assertTrue(e.getMessage().contains("scan-compete"), e.getMessage());
    }
}
