package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.Device;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

class ExcludedPartialCorrelationTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    private static float[] correlation(int n, int g, long seed) {
        return TfPartialCorrelationTest.correlation(n, g, seed, 3, -0.4, 0.5);
    }

    /** The definition: invert the shrunk correlation of {t, j} ∪ (V \ N_k(t)) directly (Cholesky inverse). */
    private static double direct(float[] corr, int g, int t, int j, int k, double shrink) {
        int[] nb = GeneGraph.strongest(corr, g, t, k);
        Set<Integer> out = new HashSet<>();
        for (int b : nb) {
            out.add(b);
        }
        out.remove(j);
        List<Integer> idx = new ArrayList<>();
        for (int v = 0; v < g; v++) {
            if (!out.contains(v)) {
                idx.add(v);
            }
        }
        int m = idx.size();
        double[][] s = new double[m][m];
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                s[a][b] = (1 - shrink) * corr[idx.get(a) * g + idx.get(b)] + (a == b ? shrink : 0);
            }
        }
        double[][] p = TfPartialCorrelation.inverse(s);
        int a = idx.indexOf(t);
        int b = idx.indexOf(j);
        return -p[a][b] / Math.sqrt(p[a][a] * p[b][b]);
    }

    @Test
    void schurComplementMatchesTheDirectInverseOfTheKeptGenes() {
        int g = 14;
        int[] tfs = {5, 0, 2, 13};
        float[] corr = correlation(300, g, 7);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            for (int k : new int[] {1, 4, 9}) {
                for (double shrink : new double[] {0.3, 0.95}) {
                    float[] fast = ExcludedPartialCorrelation.of(manager, corr, g, tfs, shrink, k);
                    for (int t = 0; t < tfs.length; t++) {
                        for (int j = 0; j < g; j++) {
                            double expected = j == tfs[t] ? 0 : direct(corr, g, tfs[t], j, k, shrink);
                            assertEquals(expected, fast[t * g + j], 2e-4,
                                    "k " + k + " shrink " + shrink + " TF " + tfs[t] + " target " + j);
                        }
                    }
                }
            }
            // k of g - 1 or more leaves only the pair: the partial correlation is then Pearson r
            float[] all = ExcludedPartialCorrelation.of(manager, corr, g, new int[] {3}, 0, 1000);
            for (int j = 0; j < g; j++) {
                assertEquals(j == 3 ? 0 : corr[3 * g + j], all[j], 2e-4, "target " + j);
            }
        }
    }

    @Test
    void crowdOptionIsOffByDefaultAndRecoversPlantedEdges() {
        int[][] edges = {{0, 3, 90}, {1, 4, -90}, {2, 5, 80}, {0, 6, 70}, {1, 7, 70}};
        ExpressionMatrix data = Synthetic.linear(300, 40, 3, edges, 4);
        List<String> tfs = List.of("g0", "g1", "g2");
        Map<String, String> off = Map.of("w-learned", "0");
        Network base = new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", off, List.of()),
                Progress.NONE);
        Network same = new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu",
                Map.of("w-learned", "0", "condition", "all", "exclude-k", "5"), List.of()), Progress.NONE);
        assertEquals(base.edges(), same.edges(), "exclude-k alone changes nothing");
        Network ex = new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu",
                Map.of("w-learned", "0", "condition", "exclude", "exclude-k", "5"), List.of()), Progress.NONE);
        assertNotEquals(base.edges(), ex.edges());
        Set<String> top = new HashSet<>();
        ex.top(5).edges().forEach(e -> top.add(e.tf() + ">" + e.target()));
        assertEquals(Set.of("g0>g3", "g1>g4", "g2>g5", "g0>g6", "g1>g7"), top);
        assertEquals(-1, ex.edges().stream().filter(e -> e.tf().equals("g1") && e.target().equals("g4"))
                .findFirst().orElseThrow().sign());
        ModelException e = assertThrows(ModelException.class, () -> new CrowdModel().checkParams(
                Map.of("condition", "neighbours")));
        assertEquals("condition", e.field());
        ModelException k = assertThrows(ModelException.class, () -> new CrowdModel().checkParams(
                Map.of("exclude-k", "0")));
        assertEquals("exclude-k", k.field());
    }
}
