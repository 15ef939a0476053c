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
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * crowd's {@code pcor-stability} (round 11b): the values' partial correlation from complementary pairs of
 * half-samples of the cells. An edge carried by two outlier cells tops the plain partial correlation; it ranks
 * lower once each edge must hold on both halves of the cells, while the edges present in every cell stay on top.
 */
class PcorStabilityTest {
    private static final int CELLS = 200;
    private static final int GENES = 30;
    /** Regulators g0..g4. */
    private static final List<String> TFS = List.of("g0", "g1", "g2", "g3", "g4");
    /** The spurious edge: g4 and g20 are extreme together in two cells and independent in all the others. */
    private static final String OUT_TF = "g4";
    private static final String OUT_TARGET = "g20";

    /**
     * Independent N(0, 1) genes, five true edges present in every cell (target = 0.5·TF + noise), and g4, g20 both
     * at +12 in cells 0 and 1 only.
     */
    static ExpressionMatrix outliers() {
        Random rnd = new Random(11);
        int[][] edges = {{0, 5}, {1, 6}, {2, 7}, {3, 8}, {0, 9}};
        float[] v = new float[CELLS * GENES];
        for (int c = 0; c < CELLS; c++) {
            for (int j = 0; j < GENES; j++) {
                v[c * GENES + j] = (float) rnd.nextGaussian();
            }
            for (int[] e : edges) {
                v[c * GENES + e[1]] += 0.5f * v[c * GENES + e[0]];
            }
        }
        for (int c = 0; c < 2; c++) {
            v[c * GENES + 4] = 12;
            v[c * GENES + 20] = 12;
        }
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < CELLS; c++) {
            cells.add("c" + c);
        }
        List<String> genes = new ArrayList<>();
        for (int j = 0; j < GENES; j++) {
            genes.add("g" + j);
        }
        return new ExpressionMatrix(v, cells, genes);
    }

    @Test
    void anEdgeCarriedByTwoOutlierCellsRanksLowerWithStability() {
        ExpressionMatrix data = outliers();
        Network plain = crowd(data, Map.of(), 0);
        assertEquals(1, rank(plain, OUT_TF, OUT_TARGET), "the two outlier cells put the spurious edge on top: "
                + plain.top(6).edges());
        for (String mode : List.of("mean", "pairmin")) {
            Network stable = crowd(data, Map.of("pcor-stability", "4", "stability-mode", mode), 0);
            int r = rank(stable, OUT_TF, OUT_TARGET);
            assertTrue(r > 5, mode + ": the outlier edge falls below the five true edges (rank " + r + "): "
                    + stable.top(6).edges());
            Set<String> top5 = new HashSet<>();
            for (Edge e : stable.top(5).edges()) {
                top5.add(e.tf() + ">" + e.target());
            }
            assertEquals(Set.of("g0>g5", "g1>g6", "g2>g7", "g3>g8", "g0>g9"), top5, mode);
        }
        // the signs stay the full data's partial correlation's
        Network stable = crowd(data, Map.of("pcor-stability", "2"), 0);
        for (Edge e : stable.edges()) {
            Edge p = find(plain, e.tf(), e.target());
            assertEquals(p.sign(), e.sign(), e.toString());
        }
    }

    @Test
    void sameSeedSameNetworkOtherSeedOtherHalves() {
        ExpressionMatrix data = outliers();
        Map<String, String> p = Map.of("pcor-stability", "2", "stability-mode", "pairmin");
        Network a = crowd(data, p, 3);
        assertEquals(a.edges(), crowd(data, p, 3).edges(), "same seed, same network");
        assertNotEquals(a.edges(), crowd(data, p, 4).edges(), "another seed draws other halves");
        // off by default: pcor-stability=0 is crowd's network
        assertEquals(crowd(data, Map.of(), 3).edges(), crowd(data, Map.of("pcor-stability", "0"), 3).edges());
    }

    @Test
    void halvesAreComplementaryAndNested() {
        List<int[][]> four = PcorStability.halves(101, 4, 7);
        for (int[][] pair : four) {
            assertEquals(50, pair[0].length);
            assertEquals(51, pair[1].length);
            boolean[] seen = new boolean[101];
            for (int[] half : pair) {
                for (int i = 0; i < half.length; i++) {
                    assertTrue(!seen[half[i]], "disjoint");
                    seen[half[i]] = true;
                    assertTrue(i == 0 || half[i] > half[i - 1], "ascending");
                }
            }
        }
        assertNotEquals(List.of(four.get(0)[0]), List.of(four.get(1)[0]));
        List<int[][]> two = PcorStability.halves(101, 2, 7);
        for (int b = 0; b < 2; b++) {
            assertArrayEquals(four.get(b)[0], two.get(b)[0], "the first pairs of a larger B are the same");
            assertArrayEquals(four.get(b)[1], two.get(b)[1]);
        }
        assertTrue(!java.util.Arrays.equals(four.get(0)[0], PcorStability.halves(101, 1, 8).get(0)[0]),
                "another seed, other halves");
    }

    @Test
    void badValuesNameTheField() {
        ExpressionMatrix data = outliers();
        ModelException e = assertThrows(ModelException.class,
                () -> crowd(data, Map.of("pcor-stability", "2", "stability-mode", "median"), 0));
        assertEquals("stability-mode", e.field());
        assertTrue(e.getMessage().contains("median"), e.getMessage());
        e = assertThrows(ModelException.class, () -> crowd(data, Map.of("pcor-stability", "-1"), 0));
        assertEquals("pcor-stability", e.field());
        e = assertThrows(ModelException.class, () -> crowd(data, Map.of("pcor-stability", "two"), 0));
        assertEquals("pcor-stability", e.field());
        e = assertThrows(ModelException.class,
                () -> crowd(data, Map.of("pcor-stability", "2", "pcor", "ranks"), 0));
        assertEquals("pcor-stability", e.field());
        // too few cells to halve
        ExpressionMatrix tiny = Synthetic.linear(12, 10, 2, new int[][] {{0, 3, 90}}, 1);
        e = assertThrows(ModelException.class, () -> new CrowdModel().infer(tiny, List.of("g0", "g1"),
                new InferenceOptions(0, "cpu", Map.of("pcor-stability", "2", "w-learned", "0", "w-mi", "0"),
                        List.of()), Progress.NONE));
        assertEquals("pcor-stability", e.field());
        assertTrue(e.getMessage().contains("12"), e.getMessage());
    }

    /**
     * crowd's partial correlation of the values alone (no MI, learned term, within-state mix or DPI), so the network
     * is the term itself.
     */
    private static Network crowd(ExpressionMatrix data, Map<String, String> extra, long seed) {
        Map<String, String> p = new HashMap<>(Map.of("pcor", "values", "w-mi", "0", "w-learned", "0",
                "within", "off", "post", "off"));
        p.putAll(extra);
        return new CrowdModel().infer(data, TFS, new InferenceOptions(seed, "cpu", p, List.of()), Progress.NONE);
    }

    private static int rank(Network net, String tf, String target) {
        List<Edge> sorted = new ArrayList<>(net.edges());
        sorted.sort(Network.RANKING);
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).tf().equals(tf) && sorted.get(i).target().equals(target)) {
                return i + 1;
            }
        }
        throw new AssertionError(tf + ">" + target + " not in the network");
    }

    private static Edge find(Network net, String tf, String target) {
        return net.edges().stream().filter(e -> e.tf().equals(tf) && e.target().equals(target)).findFirst()
                .orElseThrow();
    }
}
