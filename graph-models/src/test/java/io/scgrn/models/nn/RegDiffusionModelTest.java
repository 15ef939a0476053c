package io.scgrn.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.ModelInputs;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.eval.Evaluation;
import io.scgrn.models.eval.Truth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegDiffusionModelTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    /** 6 TFs (g0..g5) among 24 genes; 8 planted edges, TF → TF ones first. */
    static final int[][] EDGES = {{0, 1, 70}, {0, 6, 80}, {1, 7, -80}, {2, 8, 80}, {3, 9, -80}, {4, 10, 80},
        {5, 11, 80}, {2, 12, 70}};
    static final List<String> TFS = List.of("g0", "g1", "g2", "g3", "g4", "g5");

    static InferenceOptions opts(Map<String, String> params) {
        return new InferenceOptions(3, "cpu", params, List.of());
    }

    @Test
    void registeredUnderItsName() {
        assertEquals(RegDiffusionModel.NAME, Models.byName("regdiff").name());
    }

    @Test
    void recoversAPlantedNetworkFarAboveChance(@TempDir Path dir) throws Exception {
        ExpressionMatrix data = Synthetic.linear(400, 24, 6, EDGES, 5);
        Network net = new RegDiffusionModel().infer(data, TFS, opts(Map.of("steps", "300", "batch", "64",
                "lr-adj", "0.002")), Progress.NONE);
        assertEquals(6 * 23, net.size());
        // Chance: 8 true of 6 × 23 candidates, 0.46 expected among the top 8.
        Set<String> top = new HashSet<>();
        for (Edge e : net.top(8).edges()) {
            top.add(e.tf() + ">" + e.target());
        }
        long hits = Arrays.stream(EDGES).filter(e -> top.contains("g" + e[0] + ">g" + e[1])).count();
        assertTrue(hits >= 6, "top 8 " + top);
        double epr = Evaluation.score(net, truth(dir)).epr();
        double pearson = Evaluation.score(Models.byName("pearson").infer(data, TFS, opts(Map.of()), Progress.NONE),
                truth(dir)).epr();
        System.out.println("regdiff EPR " + epr + ", pearson EPR " + pearson);
        Edge neg = net.edges().stream().filter(e -> e.tf().equals("g3") && e.target().equals("g9")).findFirst()
                .orElseThrow();
        // The model predicts noise through u (I - A): a target's own u minus its regulators'; its sign is the
        // association's read through that parametrisation, so only the magnitude is checked.
        assertTrue(neg.score() > 0);
    }

    @Test
    void sameSeedSameNetworkByteForByteAndOtherSeedAnother() {
        ExpressionMatrix data = Synthetic.linear(60, 10, 3, new int[][] {{0, 4, 90}, {1, 5, -90}}, 2);
        Map<String, String> p = Map.of("steps", "15", "batch", "16", "dim", "4", "time-dim", "8");
        List<String> tfs = List.of("g0", "g1", "g2");
        List<Double> a = scores(new RegDiffusionModel().infer(data, tfs, opts(p), Progress.NONE));
        List<Double> b = scores(new RegDiffusionModel().infer(data, tfs, opts(p), Progress.NONE));
        List<Double> c = scores(new RegDiffusionModel().infer(data, tfs, new InferenceOptions(4, "cpu", p,
                List.of()), Progress.NONE));
        assertEquals(a, b);
        assertFalse(a.equals(c));
    }

    @Test
    void scoresAreTheNetworksEdgeScoresInTfByGeneOrder() {
        ExpressionMatrix data = Synthetic.linear(60, 8, 2, new int[][] {{0, 4, 90}}, 2);
        Map<String, String> p = Map.of("steps", "10", "batch", "16", "dim", "4", "time-dim", "8", "rows", "all");
        List<String> tfs = List.of("g1", "g0");
        float[] s = RegDiffusionModel.scores(data, tfs, opts(p), Progress.NONE);
        Network net = new RegDiffusionModel().infer(data, tfs, opts(p), Progress.NONE);
        int[] tfIdx = ModelInputs.tfIndices(data, tfs);
        assertEquals(tfIdx.length * 8, s.length);
        for (Edge e : net.edges()) {
            int t = e.tf().equals(data.genes().get(tfIdx[0])) ? 0 : 1;
            int j = data.genes().indexOf(e.target());
            assertEquals(e.score(), s[t * 8 + j], 0);
        }
        assertEquals(0f, s[0 * 8 + tfIdx[0]]);
    }

    @Test
    void blockSurvivesSaveAndLoad(@TempDir Path dir) {
        Path file = dir.resolve("regdiff.params");
        float[] before;
        float[] x = new float[3 * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            RegDiffusionNetwork net = new RegDiffusionNetwork(2, 5, 4, 8, 5, 0.3f);
            net.initialize(m, DataType.FLOAT32, net.inputShapes(3));
            // A non-uniform A, so the mixing matters.
            net.adjacency().getArray().set(new float[] {0, 1, -2, 0.5f, 3, 0.2f, 0, 4, -1, 0});
            before = net.forward(new ParameterStore(m, false), inputs(m, x), false).get(0).toFloatArray();
            net.save(file);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            RegDiffusionNetwork back = RegDiffusionNetwork.load(m, file);
            float[] after = back.forward(new ParameterStore(m, false), inputs(m, x), false).get(0).toFloatArray();
            assertArrayEquals(before, after, 0f);
        }
        assertEquals(file.toString(), assertThrows(ModelException.class, () -> {
            Files.writeString(file, "nope");
            try (NDManager m = NDManager.newBaseManager()) {
                RegDiffusionNetwork.load(m, file);
            }
        }).field());
    }

    @Test
    void mixingIsOneMinusTheThresholdedAdjacency() {
        // Eval mode (no dropout): eps = u - u[:, :r] soft(A) ⊙ mask + bias. With A all below the threshold τ the
        // mixing vanishes, so changing one A entry above τ moves exactly the one target column it points to.
        float[] x = {0.5f, -1, 2, 0.1f, 1, 0, -0.3f, 0.7f};
        try (NDManager m = NDManager.newBaseManager()) {
            RegDiffusionNetwork net = new RegDiffusionNetwork(2, 4, 4, 8, 0, 0.3f);
            net.initialize(m, DataType.FLOAT32, new Shape(2, 4), new Shape(2, 8), new Shape(2, 4));
            NDList in = new NDList(m.create(x, new Shape(2, 4)), m.randomNormal(new Shape(2, 8)),
                    m.ones(new Shape(2, 4)).sub(m.eye(2, 4, 0, DataType.FLOAT32)));
            float[] base = net.forward(new ParameterStore(m, false), in, false).get(0).toFloatArray();
            float tau = net.norm() / 2;
            float[] a = new float[8];
            a[0 * 4 + 3] = tau + 1; // regulator 0 → gene 3, soft-thresholded to 1
            a[1 * 4 + 1] = 50; // a self-loop: masked
            net.adjacency().getArray().set(a);
            float[] moved = net.forward(new ParameterStore(m, false), in, false).get(0).toFloatArray();
            // u is base minus the bias; u[:, 0] = base[:, 0] - bias, and column 3 loses 1 × u[:, 0].
            float bias = net.getParameters().get("bias").getArray().getFloat(0);
            for (int c = 0; c < 2; c++) {
                for (int j = 0; j < 4; j++) {
                    float expected = base[c * 4 + j] - (j == 3 ? base[c * 4] - bias : 0);
                    assertEquals(expected, moved[c * 4 + j], 1e-5f, "cell " + c + " gene " + j);
                }
            }
        }
    }

    @Test
    void torchInitStartsTheLinearLayersAsPyTorchDoes() {
        // nn-init=torch: every linear weight and bias U(±1/sqrt(fan_in)) (PyTorch's nn.Linear, RegDiffusion's
        // start); DJL's default: weights N(0, 2 / fan_in), biases 0. With d = 16 the first block's l1 has fan_in
        // 16 (bound 0.25) and 15 × 16 weights: under DJL's N(0, 0.35²) some exceed 0.25 for sure.
        try (NDManager m = NDManager.newBaseManager()) {
            for (boolean torch : new boolean[] {true, false}) {
                RegDiffusionNetwork net = new RegDiffusionNetwork(2, 5, 16, 64, 5, 0.3f, torch);
                NnSupport.withEngineSeed(7, () -> net.initialize(m, DataType.FLOAT32, net.inputShapes(3)));
                var p = net.getParameters();
                for (String layer : List.of("l1a", "l1b", "time", "t1")) {
                    int fanIn = layer.startsWith("l1") ? 16 : 64;
                    float bound = (float) (1 / Math.sqrt(fanIn));
                    NDArray w = param(p, layer + "_weight");
                    NDArray b = param(p, layer + "_bias");
                    float wMax = w.abs().max().getFloat();
                    float bMax = b.abs().max().getFloat();
                    if (torch) {
                        assertTrue(wMax <= bound && wMax > bound / 2, layer + " weight max " + wMax);
                        assertTrue(bMax <= bound && bMax > 0, layer + " bias max " + bMax);
                    } else {
                        assertTrue(wMax > bound, layer + " weight max " + wMax);
                        assertEquals(0f, bMax, layer + " bias");
                    }
                }
                // the adjacency keeps its constant start either way
                assertEquals(5f / 4, net.adjacency().getArray().max().getFloat(), 1e-6f);
                assertEquals(5f / 4, net.adjacency().getArray().min().getFloat(), 1e-6f);
            }
        }
        new RegDiffusionModel().checkParams(Map.of("nn-init", "torch"));
        assertEquals("nn-init", assertThrows(ModelException.class,
                () -> new RegDiffusionModel().checkParams(Map.of("nn-init", "xavier"))).field());
    }

    @Test
    void groupedOptimizerGivesTheAdjacencyItsOwnLearningRate() {
        try (NDManager m = NDManager.newBaseManager()) {
            Optimizer slow = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.001f)).build();
            Optimizer fast = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.1f)).build();
            GroupedOptimizer opt = new GroupedOptimizer(Set.of("adj"), slow, fast);
            NDArray adj = m.zeros(new Shape(3));
            NDArray other = m.zeros(new Shape(3));
            NDArray grad = m.create(new float[] {1, -2, 3});
            opt.update("adj", adj, grad);
            opt.update("w", other, grad);
            // Adam's first step is lr × sign(grad) (bias-corrected moments).
            assertArrayEquals(new float[] {-0.001f, 0.001f, -0.001f}, adj.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {-0.1f, 0.1f, -0.1f}, other.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void scheduleAndNormalisationFollowRegDiffusion() {
        float[][] s = RegDiffusionModel.schedule(5000);
        assertEquals(Math.sqrt(1 - 2e-5), s[0][0], 1e-6);
        // Σβ = 5000 × (2e-5 + 4e-3) / 2 ≈ 10.05: ᾱ_T ≈ e^-10.05.
        assertEquals(Math.exp(-10.05 / 2), s[0][4999], 2e-4);
        assertEquals(1, s[0][4999] * s[0][4999] + s[1][4999] * s[1][4999], 1e-5);
        ExpressionMatrix data = new ExpressionMatrix(new float[] {0, 2, 4, 1, 1, 1, 0, 4, 2}, List.of("a", "b", "c"),
                List.of("x", "y", "z"));
        float[] z = RegDiffusionModel.normalise(data);
        // Cell b is constant → 0 before the z-score; gene x is then (0, 0, 0): constant → 0.
        assertArrayEquals(new float[] {0, 0, 0}, new float[] {z[0], z[3], z[6]}, 0f);
        assertEquals(0, z[1] + z[4] + z[7], 1e-6);
        assertEquals("rows", assertThrows(ModelException.class,
                () -> new RegDiffusionModel().checkParams(Map.of("rows", "some"))).field());
        assertEquals("stepz", assertThrows(ModelException.class,
                () -> new RegDiffusionModel().checkParams(Map.of("stepz", "1"))).field());
    }

    /** A child block's parameter by its suffix (DJL prefixes child names with their position). */
    private static NDArray param(ai.djl.nn.ParameterList params, String suffix) {
        return params.stream().filter(p -> p.getKey().endsWith(suffix)).findFirst().orElseThrow().getValue()
                .getArray();
    }

    private static NDList inputs(NDManager m, float[] x) {
        float[] temb = RegDiffusionModel.timeEmbedding(10, 8);
        return new NDList(m.create(x, new Shape(3, 5)), m.create(temb, new Shape(10, 8)).get("0:3, :"),
                m.ones(new Shape(2, 5)).sub(m.eye(2, 5, 0, DataType.FLOAT32)));
    }

    private static Truth truth(Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("Gene1,Gene2");
        for (int[] e : EDGES) {
            lines.add("g" + e[0] + ",g" + e[1]);
        }
        Path f = dir.resolve("truth.csv");
        Files.write(f, lines);
        return Evaluation.readTruth(f);
    }

    private static List<Double> scores(Network net) {
        return net.edges().stream().map(Edge::score).toList();
    }
}
