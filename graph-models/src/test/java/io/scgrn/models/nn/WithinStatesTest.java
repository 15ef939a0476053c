package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.baseline.CorrelationModel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

class WithinStatesTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    /**
     * 400 cells in two states (the first 200 / the last 200). {@code t1} and {@code g1} both rise by 4 sd in the
     * second state and are otherwise independent (they co-vary only across states: the type confounding);
     * {@code g2 = 0.6 t2 + 0.8 noise} inside each state with no state shift (a regulation); eight markers {@code mK}
     * rise with the state as well. Pearson r: t1–g1 ≈ 0.8, t2–g2 ≈ 0.6; within the states: ≈ 0 and ≈ 0.6.
     */
    static ExpressionMatrix twoStates(long seed) {
        Random rnd = new Random(seed);
        List<String> genes = new ArrayList<>(List.of("t1", "t2", "g1", "g2"));
        for (int m = 0; m < 8; m++) {
            genes.add("m" + m);
        }
        int n = 400;
        int g = genes.size();
        float[] x = new float[n * g];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            int s = c < n / 2 ? 0 : 1;
            double t2 = rnd.nextGaussian();
            x[c * g] = (float) (4 * s + rnd.nextGaussian());
            x[c * g + 1] = (float) t2;
            x[c * g + 2] = (float) (4 * s + rnd.nextGaussian());
            x[c * g + 3] = (float) (0.6 * t2 + 0.8 * rnd.nextGaussian());
            for (int m = 0; m < 8; m++) {
                x[c * g + 4 + m] = (float) (4 * s + rnd.nextGaussian());
            }
            cells.add("c" + c);
        }
        return new ExpressionMatrix(x, cells, genes);
    }

    private static double score(Network n, String tf, String target) {
        return n.edges().stream().filter(e -> e.tf().equals(tf) && e.target().equals(target))
                .mapToDouble(Edge::score).findFirst().orElseThrow();
    }

    private static Network crowd(ExpressionMatrix data, List<String> tfs, Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(Map.of("w-mi", "0", "w-learned", "0"));
        p.putAll(extra);
        return new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", p, List.of()), Progress.NONE);
    }

    private static Network crowdWith(ExpressionMatrix data, List<String> tfs, Map<String, String> extra,
                                     int[] states) {
        Map<String, String> p = new HashMap<>(Map.of("w-mi", "0", "w-learned", "0"));
        p.putAll(extra);
        return new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", p, List.of()).withCellStates(states),
                Progress.NONE);
    }

    @Test
    void outsideCellStatesReplaceTheClusteringAndFollowTheSampledCells() {
        ExpressionMatrix data = twoStates(6);
        List<String> tfs = List.of("t1", "t2");
        int[] planted = new int[400];
        for (int c = 200; c < 400; c++) {
            planted[c] = 1;
        }
        Map<String, String> p = Map.of("within", "replace", "states", "2");
        Network own = crowd(data, tfs, p);
        // crowd finds the planted states itself, so the same states given from outside give the same network
        assertEquals(own.edges(), crowdWith(data, tfs, p, planted).edges());
        // states unrelated to the types: another residual, another network (the outside states are used)
        Random rnd = new Random(6);
        int[] random = new int[400];
        for (int c = 0; c < 400; c++) {
            random[c] = rnd.nextInt(2);
        }
        assertNotEquals(own.edges(), crowdWith(data, tfs, p, random).edges());
        // the default gate reads outside states as its own: closed here (t1, t2 share ≈ 0.4), mix applies them
        Map<String, String> two = Map.of("states", "2");
        assertEquals(crowd(data, tfs, two).edges(), crowdWith(data, tfs, two, planted).edges());
        assertNotEquals(crowd(data, tfs, two).edges(),
                crowdWith(data, tfs, Map.of("within", "mix", "states", "2"), planted).edges());
        // without a within-state term (and without the gated post-processing, whose gate reads them too) the
        // outside states change nothing
        assertEquals(crowd(data, tfs, Map.of("within", "off", "post", "off")).edges(),
                crowdWith(data, tfs, Map.of("within", "off", "post", "off"), random).edges());
        // one state per cell
        ModelException e = assertThrows(ModelException.class,
                () -> crowdWith(data, tfs, p, new int[399]));
        assertTrue(e.getMessage().contains("cell-states"), e.getMessage());
        // a sample of the cells (mi-cells below the cells) gets its own cells' states
        ExpressionMatrix sample = CrowdModel.cellSample(data, 100, 9);
        WithinStates.Result r = WithinStates.given(sample, planted, 400, 100, 9);
        assertEquals(100, r.state().length);
        for (int i = 0; i < 100; i++) {
            int cell = Integer.parseInt(sample.cells().get(i).substring(1));
            assertEquals(planted[cell], r.state()[i], sample.cells().get(i));
        }
    }

    @Test
    void statesAreFoundWithoutLabelsAndTheResidualHasNoStateMeans() {
        ExpressionMatrix data = twoStates(1);
        WithinStates.Result r = WithinStates.of(data, 2, 0);
        // the two planted states, up to the labels' order
        for (int c = 1; c < 400; c++) {
            assertEquals(c < 200, r.state()[c] == r.state()[0], "cell " + c);
        }
        double[] mean = new double[2];
        float[] residual = r.residual().values();
        for (int c = 0; c < 400; c++) {
            mean[r.state()[c]] += residual[c * 12] / 200.0;
        }
        assertEquals(0, mean[0], 1e-4);
        assertEquals(0, mean[1], 1e-4);
        // the share of t1's variance between the states is 16/4 / (16/4 + 1) = 0.8, t2's is 0
        float[] x = data.values();
        assertEquals(0.8, WithinStates.betweenShare(x, 400, 12, r.state(), new int[] {0}), 0.05);
        assertEquals(0, WithinStates.betweenShare(x, 400, 12, r.state(), new int[] {1}), 0.02);
        assertEquals(0.4, WithinStates.betweenShare(x, 400, 12, r.state(), new int[] {0, 1}), 0.03);
    }

    @Test
    void theWithinStateTermRanksTheWithinPairFirstPearsonTheConfoundedOne() {
        ExpressionMatrix data = twoStates(2);
        List<String> tfs = List.of("t1", "t2");
        Network pearson = CorrelationModel.pearson().infer(data, tfs, new InferenceOptions(0, "cpu", Map.of(),
                List.of()), Progress.NONE);
        assertTrue(score(pearson, "t1", "g1") > score(pearson, "t2", "g2"), "pearson: the confounded pair first");
        Network within = crowd(data, tfs, Map.of("within", "replace", "states", "2"));
        Edge top = within.edges().stream().sorted(Network.RANKING).findFirst().orElseThrow();
        assertEquals("t2>g2", top.tf() + ">" + top.target());
        assertTrue(score(within, "t2", "g2") > score(within, "t1", "g1"));
    }

    @Test
    void theGateOpensOnlyWhereStatesHoldMostOfTheRegulatorsVariance() {
        // regulators t1, t2 and the markers: mean between-state share ≈ (9 × 0.8) / 10 = 0.72 > 0.5
        ExpressionMatrix data = twoStates(3);
        List<String> tfs = new ArrayList<>(List.of("t1", "t2"));
        for (int m = 0; m < 8; m++) {
            tfs.add("m" + m);
        }
        Network off = crowd(data, tfs, Map.of("within", "off", "states", "2"));
        Network mix = crowd(data, tfs, Map.of("within", "mix", "states", "2"));
        Network gated = crowd(data, tfs, Map.of("within", "gated", "states", "2"));
        assertNotEquals(off.edges(), mix.edges());
        assertEquals(mix.edges(), gated.edges());
        // gated is the default
        assertEquals(gated.edges(), crowd(data, tfs, Map.of("states", "2")).edges());
        // t1 and t2 alone: share ≈ 0.4, the gate stays closed (the network is the default's), mix is applied
        List<String> two = List.of("t1", "t2");
        Network off2 = crowd(data, two, Map.of("within", "off", "states", "2"));
        assertEquals(off2.edges(), crowd(data, two, Map.of("within", "gated", "states", "2")).edges());
        assertNotEquals(off2.edges(), crowd(data, two, Map.of("within", "mix", "states", "2")).edges());
    }

    @Test
    void invalidWithinOptionsNameTheirField() {
        ExpressionMatrix data = twoStates(4);
        ModelException e = assertThrows(ModelException.class,
                () -> crowd(data, List.of("t1"), Map.of("within", "sometimes")));
        assertTrue(e.getMessage().contains("within"), e.getMessage());
        e = assertThrows(ModelException.class, () -> crowd(data, List.of("t1"), Map.of("states", "1")));
        assertTrue(e.getMessage().contains("states"), e.getMessage());
    }
    @Test
    void severalStartsFindThePlantedStatesAndEachRegulatorHasItsShare() {
        ExpressionMatrix data = twoStates(5);
        WithinStates.Result r = WithinStates.of(data, 2, 0, 4);
        for (int c = 1; c < 400; c++) {
            assertEquals(c < 200, r.state()[c] == r.state()[0], "cell " + c);
        }
        // one start is the single-start call itself
        assertArrayEquals(WithinStates.of(data, 2, 7).state(), WithinStates.of(data, 2, 7, 1).state());
        float[] x = data.values();
        int[] tfIdx = {0, 1};
        double[] each = WithinStates.regulatorShares(x, 400, 12, r.state(), tfIdx);
        assertEquals(0.8, each[0], 0.05);
        assertEquals(0, each[1], 0.02);
        assertEquals((each[0] + each[1]) / 2, WithinStates.betweenShare(x, 400, 12, r.state(), tfIdx), 1e-12);
        // through crowd: state-starts is an option; the within-state term still ranks t2 -> g2 first
        Network within = crowd(twoStates(2), List.of("t1", "t2"), Map.of("within", "replace", "states", "2",
                "state-starts", "4"));
        Edge top = within.edges().stream().sorted(Network.RANKING).findFirst().orElseThrow();
        assertEquals("t2>g2", top.tf() + ">" + top.target());
        ModelException e = assertThrows(ModelException.class,
                () -> crowd(data, List.of("t1"), Map.of("state-starts", "0")));
        assertTrue(e.getMessage().contains("state-starts"), e.getMessage());
    }
}
