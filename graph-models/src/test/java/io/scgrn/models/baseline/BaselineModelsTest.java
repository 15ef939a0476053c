package io.scgrn.models.baseline;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselineModelsTest {
    private static final List<String> TFS = List.of("TF0", "TF1", "TF2", "TF3", "ABSENT");

    /**
     * 300 cells; TF0..TF3 independent; G0 = 2·TF1 + noise (planted activation), G1 = −TF2 + noise (planted
     * repression), G2..G5 pure noise.
     */
    static ExpressionMatrix planted(long seed) {
        int n = 300;
        List<String> genes = List.of("TF0", "TF1", "TF2", "TF3", "G0", "G1", "G2", "G3", "G4", "G5");
        int g = genes.size();
        Random rnd = new Random(seed);
        float[] x = new float[n * g];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            cells.add("c" + c);
            for (int j = 0; j < g; j++) {
                x[c * g + j] = (float) (2 + rnd.nextGaussian());
            }
            x[c * g + 4] = (float) (2 * x[c * g + 1] + 0.3 * rnd.nextGaussian());
            x[c * g + 5] = (float) (6 - x[c * g + 2] + 0.5 * rnd.nextGaussian());
        }
        return new ExpressionMatrix(x, cells, genes);
    }

    private static InferenceOptions opts(long seed, Map<String, String> params) {
        return new InferenceOptions(seed, "cpu", params, List.of());
    }

    @Test
    void everyBaselineRanksThePlantedEdgesFirstWithTheirSigns() {
        ExpressionMatrix data = planted(7);
        for (String name : List.of("pearson", "spearman", "grnboost")) {
            GrnModel m = Models.byName(name);
            assertEquals(name, m.name());
            Network net = m.infer(data, TFS, opts(0, Map.of()), Progress.NONE);
            Edge first = net.edges().get(0);
            Edge second = net.edges().get(1);
            assertEquals(List.of("TF1", "G0"), List.of(first.tf(), first.target()), name);
            assertEquals(List.of("TF2", "G1"), List.of(second.tf(), second.target()), name);
            assertEquals(1, first.sign(), name);
            assertEquals(-1, second.sign(), name);
            assertTrue(net.edges().stream().noneMatch(e -> e.tf().equals(e.target())), name);
            assertTrue(net.edges().stream().noneMatch(e -> e.tf().equals("ABSENT")), name);
        }
        // the correlation models score every TF × gene pair: 4 TFs × 9 other genes
        assertEquals(36, Models.byName("pearson").infer(data, TFS, opts(0, Map.of()), Progress.NONE).size());
    }

    @Test
    void spearmanUsesAverageRanksForTies() {
        // x ranks 1, 2.5, 2.5, 4; y ranks 1, 3, 2, 4 → ρ = 4.5 / √(4.5 · 5)
        ExpressionMatrix d = new ExpressionMatrix(new float[] {1, 10, 2, 30, 2, 20, 3, 40}, List.of("a", "b", "c", "d"),
                List.of("A", "B"));
        Network s = CorrelationModel.spearman().infer(d, List.of("A"), opts(0, Map.of()), Progress.NONE);
        assertEquals(4.5 / Math.sqrt(4.5 * 5), s.edges().get(0).score(), 1e-12);
        // Pearson on the same values: cov/sd computed by hand
        double[] x = {1, 2, 2, 3};
        double[] y = {10, 30, 20, 40};
        double mx = 2;
        double my = 25;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < 4; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        Network p = CorrelationModel.pearson().infer(d, List.of("A"), opts(0, Map.of()), Progress.NONE);
        assertEquals(sxy / Math.sqrt(sxx * syy), p.edges().get(0).score(), 1e-12);
    }

    @Test
    void constantGenesCorrelateZero() {
        ExpressionMatrix d = new ExpressionMatrix(new float[] {1, 5, 2, 5, 3, 5}, List.of("a", "b", "c"),
                List.of("A", "B"));
        Edge e = CorrelationModel.pearson().infer(d, List.of("A"), opts(0, Map.of()), Progress.NONE).edges().get(0);
        assertEquals(0.0, e.score());
        assertEquals(0, e.sign());
    }

    @Test
    void grnboostIsReproducibleWithASeedAndDependsOnIt() {
        ExpressionMatrix data = planted(11);
        GrnModel m = Models.byName("grnboost");
        Network a = m.infer(data, TFS, opts(42, Map.of()), Progress.NONE);
        Network b = Models.byName("grnboost").infer(data, TFS, opts(42, Map.of()), Progress.NONE);
        Network c = m.infer(data, TFS, opts(43, Map.of()), Progress.NONE);
        assertEquals(a, b);
        assertNotEquals(a, c);
        // importances of one target sum to its number of trees, so they are at least 1 tree's worth
        double g0 = a.edges().stream().filter(e -> e.target().equals("G0")).mapToDouble(Edge::score).sum();
        assertEquals(Math.rint(g0), g0, 1e-6);
        assertTrue(g0 > 100, "planted target should grow many trees before early stopping: " + g0);
    }

    @Test
    void grnboostStopsEarlyOnNoiseTargets() {
        ExpressionMatrix data = planted(5);
        Network net = Models.byName("grnboost").infer(data, TFS, opts(0, Map.of()), Progress.NONE);
        double g0 = net.edges().stream().filter(e -> e.target().equals("G0")).mapToDouble(Edge::score).sum();
        double g4 = net.edges().stream().filter(e -> e.target().equals("G4")).mapToDouble(Edge::score).sum();
        assertTrue(g4 < g0 / 3, "noise target G4 " + g4 + " vs planted G0 " + g0);
    }

    @Test
    void badInputsAndParametersAreModelExceptions() {
        ExpressionMatrix data = planted(1);
        ModelException unknownParam = assertThrows(ModelException.class,
                () -> Models.byName("grnboost").infer(data, TFS, opts(0, Map.of("epochs", "3")), Progress.NONE));
        assertEquals("epochs", unknownParam.field());
        assertThrows(ModelException.class, () -> Models.byName("grnboost").infer(data, TFS,
                opts(0, Map.of("learning-rate", "2")), Progress.NONE));
        assertThrows(ModelException.class, () -> Models.byName("pearson").infer(data, List.of("X", "Y"),
                opts(0, Map.of()), Progress.NONE));
        ExpressionMatrix oneCell = new ExpressionMatrix(new float[] {1, 2}, List.of("c"), List.of("TF0", "G"));
        assertEquals("cells", assertThrows(ModelException.class, () -> Models.byName("spearman").infer(oneCell,
                TFS, opts(0, Map.of()), Progress.NONE)).field());
        ExpressionMatrix nan = new ExpressionMatrix(new float[] {1, Float.NaN, 2, 3}, List.of("a", "b"),
                List.of("TF0", "G"));
        assertEquals("X", assertThrows(ModelException.class, () -> Models.byName("pearson").infer(nan, TFS,
                opts(0, Map.of()), Progress.NONE)).field());
        ModelException unknown = assertThrows(ModelException.class, () -> Models.byName("genie9"));
        assertTrue(unknown.getMessage().contains("pearson, spearman, grnboost"), unknown.getMessage());
        assertEquals(Models.DEFAULT_NAME, Models.byName(null).name());
        assertEquals(Models.DEFAULT_NAME, Models.byName("default").name());
    }

    @Test
    void maxEdgesAndCancellation() {
        ExpressionMatrix data = planted(2);
        Network top = Models.byName("pearson").infer(data, TFS, opts(0, Map.of("max-edges", "3")), Progress.NONE);
        assertEquals(3, top.size());
        Progress cancelled = new Progress() {
            @Override
            public boolean cancelled() {
                return true;
            }
        };
        assertThrows(CancellationException.class,
                () -> Models.byName("grnboost").infer(data, TFS, opts(0, Map.of()), cancelled));
    }

    @Test
    void binsAreMonotoneAndExactForFewDistinctValues() {
        byte[] few = GrnBoostModel.bin(new double[] {0, 3, 0, 1, 3}, 64);
        assertEquals(List.of(0, 2, 0, 1, 2), toList(few));
        double[] many = new double[1000];
        for (int i = 0; i < many.length; i++) {
            many[i] = Math.sin(i);
        }
        byte[] b = GrnBoostModel.bin(many, 16);
        for (int i = 0; i < many.length; i++) {
            for (int j = 0; j < many.length; j += 37) {
                if (many[i] < many[j]) {
                    assertTrue((b[i] & 0xFF) <= (b[j] & 0xFF));
                }
            }
            assertTrue((b[i] & 0xFF) < 16);
        }
    }

    private static List<Integer> toList(byte[] b) {
        List<Integer> out = new ArrayList<>();
        for (byte x : b) {
            out.add(x & 0xFF);
        }
        return out;
    }
}
