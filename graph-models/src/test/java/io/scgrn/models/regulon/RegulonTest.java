package io.scgrn.models.regulon;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegulonTest {
    private static Edge e(String tf, String target, double score, int sign) {
        return new Edge(tf, target, score, sign, Double.NaN);
    }

    private static Network network() {
        List<Edge> edges = new ArrayList<>();
        // TF1: six activating targets (scores 10..5), two repressed (9.5, 8.5); TF2: three targets only
        for (int i = 0; i < 6; i++) {
            edges.add(e("TF1", "A" + i, 10 - i, i == 5 ? 0 : 1));
        }
        edges.add(e("TF1", "R0", 9.5, -1));
        edges.add(e("TF1", "R1", 8.5, -1));
        for (int i = 0; i < 3; i++) {
            edges.add(e("TF2", "B" + i, 20 - i, 1));
        }
        return new Network(edges);
    }

    @Test
    void regulonsKeepTopTargetsPerSignAndDropSmallOnes() {
        List<Regulon> regs = Regulons.build(network(), new Regulons.Options(4, 3, 0, false));
        // TF2 has the best edge but only 3 targets: with minSize 3 it stays, first
        assertEquals(List.of("TF2(+)", "TF1(+)"), regs.stream().map(Regulon::name).toList());
        assertEquals(List.of("A0", "A1", "A2", "A3"), regs.get(1).targets());
        assertEquals(List.of(10.0, 9.0, 8.0, 7.0), regs.get(1).scores());

        List<Regulon> defaults = Regulons.build(network(), Regulons.Options.defaults());
        // min size 5: TF2 dropped; unknown sign (A5) counts as activating
        assertEquals(List.of("TF1(+)"), defaults.stream().map(Regulon::name).toList());
        assertEquals(6, defaults.get(0).size());

        List<Regulon> both = Regulons.build(network(), new Regulons.Options(50, 2, 0, true));
        assertEquals(List.of("TF2(+)", "TF1(+)", "TF1(-)"), both.stream().map(Regulon::name).toList());
        assertEquals(List.of("R0", "R1"), both.get(2).targets());

        // quantile 0.5 of 11 scores (sorted: 5,6,7,8,8.5,9,9.5,10,18,19,20) is 9: TF1 keeps A0, A1
        List<Regulon> q = Regulons.build(network(), new Regulons.Options(50, 1, 0.5, false));
        assertEquals(List.of("A0", "A1"), q.get(1).targets());
        assertThrows(ModelException.class, () -> new Regulons.Options(0, 5, 0, false));
    }

    @Test
    void aucellMatchesHandComputedAreas() {
        List<String> genes = List.of("A", "B", "C", "D", "E", "F", "G", "H", "I", "J");
        float[] x = new float[20];
        for (int j = 0; j < 10; j++) {
            x[j] = 9 - j;        // cell 0: A highest … J lowest
            x[10 + j] = j;       // cell 1: J highest … A lowest
        }
        ExpressionMatrix data = new ExpressionMatrix(x, List.of("c0", "c1"), genes);
        List<Regulon> regs = List.of(
                new Regulon("T1", 1, List.of("A", "C", "NOT_IN_DATA"), List.of(1.0, 1.0, 1.0)),
                new Regulon("T2", 1, List.of("D", "E"), List.of(1.0, 1.0)),
                new Regulon("T3", 1, List.of("J", "I"), List.of(1.0, 1.0)),
                new Regulon("T4", 1, List.of("NOT_IN_DATA"), List.of(1.0)));
        // K = round(0.3 · 10) = 3
        RegulonActivity act = AUCell.score(data, regs, 0.3, 0);
        assertEquals(List.of("T1(+)", "T2(+)", "T3(+)", "T4(+)"), act.regulons());
        // cell 0: A rank 0, C rank 2 → (3 + 1) / (3 · 2)
        assertEquals(4.0 / 6, act.get(0, 0), 1e-6);
        assertEquals(0.0, act.get(0, 1), 1e-6);
        assertEquals(0.0, act.get(0, 2), 1e-6);
        // cell 1: J rank 0, I rank 1 → (3 + 2) / 6
        assertEquals(0.0, act.get(1, 0), 1e-6);
        assertEquals(5.0 / 6, act.get(1, 2), 1e-6);
        assertEquals(0.0, act.get(1, 3), 1e-6);
    }

    @Test
    void aucellBreaksTiesWithTheSeedOnly() {
        // one expressed gene; the other nine tie at zero and are ordered by the seeded permutation
        List<String> genes = List.of("A", "B", "C", "D", "E", "F", "G", "H", "I", "J");
        float[] x = new float[30];
        for (int c = 0; c < 3; c++) {
            x[c * 10] = 1;
        }
        ExpressionMatrix data = new ExpressionMatrix(x, List.of("c0", "c1", "c2"), genes);
        List<Regulon> regs = List.of(new Regulon("T", 1, List.of("B", "C", "D", "E", "F"),
                List.of(1.0, 1.0, 1.0, 1.0, 1.0)));
        RegulonActivity a = AUCell.score(data, regs, 0.5, 7);
        RegulonActivity b = AUCell.score(data, regs, 0.5, 7);
        assertArrayEquals(a.values(), b.values());
        // identical cells get identical scores: the tie order is the same for every cell
        assertEquals(a.get(0, 0), a.get(1, 0));
        assertEquals(a.get(0, 0), a.get(2, 0));
        // K = 5: A takes rank 0, so ranks 1..4 go to 4 of the 9 tied genes; the area is bounded accordingly
        assertTrue(a.get(0, 0) > 0 && a.get(0, 0) <= (4 + 3 + 2 + 1) / 25.0 + 1e-6, "auc " + a.get(0, 0));
        assertThrows(ModelException.class, () -> AUCell.score(data, regs, 0, 7));
    }

    @Test
    void networkDiffListsLostAndGainedTopEdges() throws IOException {
        Network a = new Network(List.of(e("T", "X", 3, 1), e("T", "Y", 2, 1), e("T", "Z", 1, 1)));
        Network b = new Network(List.of(e("T", "Z", 5, 1), e("T", "X", 4, 1), e("T", "W", 0.5, 1)));
        Map<String, Network> nets = new LinkedHashMap<>();
        nets.put("a", a);
        nets.put("b", b);
        List<NetworkDiff.DiffEdge> d = NetworkDiff.compare(nets, 2);
        assertEquals(2, d.size());
        NetworkDiff.DiffEdge lost = d.get(0);
        assertEquals(List.of("a", "b", "T", "Y", "lost"), List.of(lost.groupA(), lost.groupB(), lost.tf(),
                lost.target(), lost.status()));
        assertEquals(2.0, lost.scoreA());
        assertTrue(Double.isNaN(lost.scoreB()));
        assertEquals(2, lost.rankA());
        assertEquals(0, lost.rankB());
        NetworkDiff.DiffEdge gained = d.get(1);
        assertEquals(List.of("T", "Z", "gained"), List.of(gained.tf(), gained.target(), gained.status()));
        assertEquals(1.0, gained.scoreA());
        assertEquals(5.0, gained.scoreB());
        assertEquals(3, gained.rankA());
        assertEquals(1, gained.rankB());

        StringWriter w = new StringWriter();
        NetworkDiff.writeTsv(d, w);
        assertEquals("group_a\tgroup_b\ttf\ttarget\tstatus\tscore_a\tscore_b\trank_a\trank_b\n"
                + "a\tb\tT\tY\tlost\t2.00000\tNA\t2\t0\n"
                + "a\tb\tT\tZ\tgained\t1.00000\t5.00000\t3\t1\n", w.toString());
        assertThrows(ModelException.class, () -> NetworkDiff.compare(Map.of("a", a), 2));
    }
}
