package io.scgrn.models.atac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.models.Edge;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Cell states, within-state co-expression and the rank blend. */
class CellStatesTest {

    /**
     * A TF and a gene that only mark the same state correlate across all cells but not within states; a TF and its
     * target that co-vary within states keep their correlation. Across all cells the marker pair ranks first;
     * within states the regulated pair does.
     */
    @Test
    void withinStateCorrelationRemovesStateConfounding() {
        int n = 600;
        SplittableRandom rnd = new SplittableRandom(7);
        List<String> genes = List.of("TFA", "MARKER", "TARGET");
        float[] x = new float[n * 3];
        int[] state = new int[n];
        for (int c = 0; c < n; c++) {
            state[c] = c % 2;
            double tf = 3 * state[c] + rnd.nextGaussian();
            x[c * 3] = (float) tf;
            x[c * 3 + 1] = (float) (3 * state[c] + rnd.nextGaussian());
            x[c * 3 + 2] = (float) (0.6 * (tf - 3 * state[c]) + 0.8 * rnd.nextGaussian());
        }
        MultiomeData d = data(genes, x, n);
        List<Edge> within = CellStates.withinStateCorrelation(d, List.of("TFA"), state);
        assertEquals(2, within.size());
        assertEquals("TARGET", within.get(0).target());
        assertTrue(within.get(0).score() > 0.45, within.toString());
        assertTrue(within.get(1).score() < 0.15, within.toString());

        List<Edge> plain = CellStates.withinStateCorrelation(d, List.of("TFA"), new int[n]);
        assertEquals("MARKER", plain.get(0).target(), "one state = plain correlation: the marker pair leads");
    }

    /**
     * A metacell takes its members' most common state (a tie the lowest); its RNA and ATAC profiles lose their
     * state's mean over metacells (a metacell alone in its state becomes 0), the members and the input stay.
     */
    @Test
    void metacellProfilesCentredWithinTheirStates() {
        int[] cellState = {0, 0, 1, 1, 1, 0, 2, 2};
        int[][] members = {{0, 1, 2}, {2, 3, 4}, {5, 6, 7}, {0, 2}};
        assertEquals(List.of(0, 1, 2, 0), Arrays.stream(CellStates.metacellStates(members, cellState)).boxed()
                .toList());
        // the fourth metacell's members are a tie of states 0 and 1: state 0. One gene, two peaks.
        float[] rna = {1, 5, 9, 3};
        float[] atac = {2, 1, 6, 7, 9, 9, 4, 3};
        Metacells m = new Metacells(4, members, rna, atac);
        Metacells w = CellStates.withinStates(m, cellState, 1, 2);
        // state 0 holds metacells 0 and 3: gene mean 2, peak means 3 and 2; states 1 and 2 one metacell each
        assertEquals(List.of(-1f, 0f, 0f, 1f), toList(w.rna()));
        assertEquals(List.of(-1f, -1f, 0f, 0f, 0f, 0f, 1f, 1f), toList(w.atac()));
        assertEquals(List.of(1f, 5f, 9f, 3f), toList(m.rna()), "the input is not changed");
        assertTrue(w.members() == members);
    }

    private static List<Float> toList(float[] v) {
        List<Float> out = new ArrayList<>();
        for (float f : v) {
            out.add(f);
        }
        return out;
    }

    @Test
    void kMeansSeparatesBlobsDeterministically() {
        int n = 200;
        SplittableRandom rnd = new SplittableRandom(3);
        double[] x = new double[n * 2];
        for (int i = 0; i < n; i++) {
            double centre = i < n / 2 ? -5 : 5;
            x[i * 2] = centre + rnd.nextGaussian();
            x[i * 2 + 1] = rnd.nextGaussian();
        }
        int[] a = CellStates.cluster(x, n, 2, 2, 11);
        for (int i = 1; i < n; i++) {
            assertEquals(i < n / 2 ? a[0] : a[n - 1], a[i], "cell " + i);
        }
        assertTrue(a[0] != a[n - 1]);
        assertEquals(Arrays.toString(a), Arrays.toString(CellStates.cluster(x, n, 2, 2, 11)));
    }

    /** The blend averages rank percentiles: a pair second in both rankings beats pairs first in only one. */
    @Test
    void blendAveragesRankPercentiles() {
        Network rna = new Network(List.of(edge("T", "A", 0.9), edge("T", "B", 0.8), edge("T", "C", 0.1),
                edge("T", "D", 0.05)));
        List<Edge> other = List.of(edge("T", "D", 0.9), edge("T", "B", 0.8), edge("T", "C", 0.3),
                edge("T", "A", 0.1));
        Network b = AtacInformedModel.blend(rna, other, 0.5);
        assertEquals("B", b.edges().get(0).target());
        assertEquals(0.75, b.edges().get(0).score(), 1e-12);
        assertEquals("C", b.edges().get(3).target());
        assertEquals(List.of("A", "B", "C", "D"), AtacInformedModel.blend(rna, other, 0).edges().stream()
                .map(Edge::target).toList(), "share 0 keeps the RNA order");
    }

    @Test
    void settingsReadTheNewParameters() {
        AtacSettings s = AtacSettings.fromParams(Map.of("coupling", "0.4", "states", "5", "state-share", "0.25"), 1);
        assertEquals(0.4, s.coupling());
        assertEquals(5, s.states());
        assertEquals(0.25, s.stateShare());
        assertThrows(ModelException.class, () -> AtacSettings.fromParams(Map.of("coupling", "2"), 1));
        assertThrows(ModelException.class, () -> AtacSettings.fromParams(Map.of("states", "0"), 1));
    }

    private static Edge edge(String tf, String target, double score) {
        return new Edge(tf, target, score, 1, Double.NaN);
    }

    private static MultiomeData data(List<String> genes, float[] x, int n) {
        List<String> cells = new ArrayList<>();
        int[] ptr = new int[n + 1];
        for (int c = 0; c < n; c++) {
            cells.add("c" + c);
        }
        return new MultiomeData(cells, genes, x, List.of(new GenomicInterval("chr1", 0, 100)), List.of("p"),
                new PeakMatrix(n, 1, ptr, new int[0]), Map.of(), List.of(), 0, 0);
    }
}
