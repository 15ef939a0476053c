package io.scgrn.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DJL blocks of the nn models: forward against hand computation, parameter save/load, seeding. */
class DjlBlocksTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    /** Path graph 0 - 1 - 2 (degrees with self-loops 2, 3, 2). */
    static final float[] PATH = {0, 1, 0, 1, 0, 1, 0, 1, 0};
    static final float[] H0 = {1, 0, 0, 1, 2, 3};

    @Test
    void gcnLayerOnAThreeNodeGraphIsTheHandComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            GcnLayer layer = new GcnLayer(2);
            layer.initialize(m, DataType.FLOAT32, new Shape(3, 3), new Shape(3, 2));
            // W = [[1, 2], [3, 4]]: H W = [[1, 2], [3, 4], [11, 16]].
            set(layer, "weight", m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2)));
            NDArray an = GeneGraph.normalise(m.create(PATH, new Shape(3, 3)));
            float[] out = layer.forward(new ParameterStore(m, false),
                    new NDList(an, m.create(H0, new Shape(3, 2))), false).singletonOrThrow().toFloatArray();
            double s6 = 1 / Math.sqrt(6);
            // Row i = Σ_j Â_ij (H W)_j with Â_00 = 1/2, Â_01 = 1/√6, Â_11 = 1/3, Â_22 = 1/2.
            float[] expected = {
                (float) (0.5 * 1 + s6 * 3), (float) (0.5 * 2 + s6 * 4),
                (float) (s6 * 1 + 3 / 3.0 + s6 * 11), (float) (s6 * 2 + 4 / 3.0 + s6 * 16),
                (float) (s6 * 3 + 0.5 * 11), (float) (s6 * 4 + 0.5 * 16)};
            assertArrayEquals(expected, out, 1e-5f);
            assertEquals(new Shape(3, 2), layer.getOutputShapes(new Shape[] {new Shape(3, 3), new Shape(3, 2)})[0]);
        }
    }

    @Test
    void encoderWithKnownWeightsMatchesHandValuesAndSurvivesSaveAndLoad(@TempDir Path dir) {
        // f = 2, hidden = 2, dim = 2. GCN weights are [in, out]; Linear weights DJL-style [out, in] (x Wᵀ).
        float[] w1 = {1, -1, 0.5f, 2};
        float[] w2 = {0.5f, 0, -1, 1};
        float[] w0 = {1, 0, 0, -1};
        float[] ws = {1, 2, 0, 1};
        float[] wt = {0.5f, 0, 1, 1};
        int[] src = {0, 1, 2, 2};
        int[] dst = {1, 2, 0, 1};
        float[] expected = handLogits(w1, w2, w0, ws, wt, src, dst);
        Path file = dir.resolve("encoder.params");
        float[] before;
        try (NDManager m = NDManager.newBaseManager()) {
            GnnEncoder enc = new GnnEncoder(2, 2);
            enc.initialize(m, DataType.FLOAT32, GnnEncoder.inputShapes(3, 2, 4));
            set(enc, "gcn1_weight", m.create(w1, new Shape(2, 2)));
            set(enc, "gcn2_weight", m.create(w2, new Shape(2, 2)));
            set(enc, "skip_weight", m.create(w0, new Shape(2, 2)));
            set(enc, "source_weight", m.create(ws, new Shape(2, 2)));
            set(enc, "target_weight", m.create(wt, new Shape(2, 2)));
            NDList in = inputs(m, src, dst);
            before = enc.forward(new ParameterStore(m, false), in, false).singletonOrThrow().toFloatArray();
            assertArrayEquals(expected, before, 1e-5f);
            // The scoring path (embed + allLogits) agrees with the block's forward.
            float[] all = enc.allLogits(enc.embed(in.get(0), in.get(1)), m.create(new int[] {0, 1, 2}))
                    .toFloatArray();
            for (int q = 0; q < src.length; q++) {
                assertEquals(before[q], all[src[q] * 3 + dst[q]], 1e-5f);
            }
            enc.save(file);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            GnnEncoder back = GnnEncoder.load(m, file);
            float[] after = back.forward(new ParameterStore(m, false), inputs(m, src, dst), false)
                    .singletonOrThrow().toFloatArray();
            assertArrayEquals(before, after, 0f);
        }
    }

    @Test
    void putReturnsAMaskedCopyAndLeavesTheAdjacencyAlone() {
        // GnnModel hides an epoch's edges with put on the device-resident adjacency: it must not change it.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(PATH);
            NDArray masked = a.put(m.create(new long[] {1, 3}), m.zeros(new Shape(2)));
            assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 0, 1, 0}, masked.toFloatArray(), 0f);
            assertArrayEquals(PATH, a.toFloatArray(), 0f);
        }
    }

    @Test
    void sameSeedSameInitialWeightsAndOtherSeedOthers() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] a = flat(GnnEncoder.init(m, 4, 5, 3, new Random(11)).parameters());
            float[] b = flat(GnnEncoder.init(m, 4, 5, 3, new Random(11)).parameters());
            float[] c = flat(GnnEncoder.init(m, 4, 5, 3, new Random(12)).parameters());
            assertArrayEquals(a, b, 0f);
            assertFalse(Arrays.equals(a, c));
            // Xavier uniform: |w| <= sqrt(6 / (in + out)) for the 4 x 5 first layer.
            float lim = (float) Math.sqrt(6.0 / 9);
            float max = 0;
            for (int i = 0; i < 20; i++) {
                max = Math.max(max, Math.abs(a[i]));
            }
            assertTrue(max <= lim && max > lim / 2, "max |w| " + max + " for limit " + lim);
        }
    }

    @Test
    void sameSeedSameNetworkByteForByteEvenWhenRunsOverlap() throws Exception {
        int[][] edges = {{0, 3, 90}, {1, 4, -90}, {2, 5, 80}, {0, 6, 70}, {1, 7, 70}};
        ExpressionMatrix data = Synthetic.linear(120, 30, 3, edges, 9);
        List<String> tfs = List.of("g0", "g1", "g2");
        InferenceOptions gnn = new InferenceOptions(5, "cpu", Map.of("epochs", "25", "k", "3"), List.of());
        InferenceOptions sem = new InferenceOptions(5, "cpu", Map.of("steps", "25", "batch", "64", "ensemble", "1"),
                List.of());
        List<Double> gnnSolo = scores(new GnnModel().infer(data, tfs, gnn, Progress.NONE));
        List<Double> semSolo = scores(new SemModel().infer(data, tfs, sem, Progress.NONE));
        // Two runs of each at the same time: the engine lock and per-step seeding keep each run's draws its own.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Double>>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> scores(new GnnModel().infer(data, tfs, gnn, Progress.NONE))));
                runs.add(pool.submit(() -> scores(new SemModel().infer(data, tfs, sem, Progress.NONE))));
            }
            for (int i = 0; i < runs.size(); i++) {
                assertEquals(i % 2 == 0 ? gnnSolo : semSolo, runs.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The garbage collector running during training changes nothing: before {@link NnSupport#constant} and
     * {@link MeanSquaredLoss}, autograd kept tensors over Java buffers that a collection could free between forward
     * and backward, and {@code sem} / {@code regdiff} trained on garbage in most runs with a collector thread like
     * this one (27 of 30 {@code sem} runs differed, several with NaN losses), and in about 1 of 700 overlapping runs
     * without it.
     */
    @Test
    void sameNetworkWhileTheGarbageCollectorRunsDuringTraining() throws Exception {
        int[][] edges = {{0, 3, 90}, {1, 4, -90}, {2, 5, 80}, {0, 6, 70}, {1, 7, 70}};
        ExpressionMatrix data = Synthetic.linear(120, 30, 3, edges, 9);
        List<String> tfs = List.of("g0", "g1", "g2");
        InferenceOptions sem = new InferenceOptions(5, "cpu", Map.of("steps", "25", "batch", "64", "ensemble", "1"),
                List.of());
        InferenceOptions regdiff = new InferenceOptions(5, "cpu", Map.of("steps", "30"), List.of());
        List<Double> semQuiet = scores(new SemModel().infer(data, tfs, sem, Progress.NONE));
        List<Double> regdiffQuiet = scores(new RegDiffusionModel().infer(data, tfs, regdiff, Progress.NONE));
        try (GcPressure gc = GcPressure.start()) {
            for (int run = 0; run < 2; run++) {
                assertEquals(semQuiet, scores(new SemModel().infer(data, tfs, sem, Progress.NONE)), "sem run " + run);
                assertEquals(regdiffQuiet, scores(new RegDiffusionModel().infer(data, tfs, regdiff, Progress.NONE)),
                        "regdiff run " + run);
            }
        }
    }

    private static List<Double> scores(Network net) {
        return net.edges().stream().map(e -> e.score()).toList();
    }

    private static NDList inputs(NDManager m, int[] src, int[] dst) {
        return new NDList(GeneGraph.normalise(m.create(PATH, new Shape(3, 3))), m.create(H0, new Shape(3, 2)),
                m.create(src), m.create(dst));
    }

    private static float[] flat(List<NDArray> arrays) {
        List<Float> out = new ArrayList<>();
        for (NDArray a : arrays) {
            for (float v : a.toFloatArray()) {
                out.add(v);
            }
        }
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        return f;
    }

    /** Replaces the array of the parameter whose name ends with {@code suffix}. */
    private static void set(Block block, String suffix, NDArray value) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                p.getValue().getArray().set(value.toFloatArray());
                return;
            }
        }
        throw new AssertionError("no parameter " + suffix + " in " + block.getParameters().keys());
    }

    /** The encoder in plain Java: E = Â relu(Â H0 W1) W2 + H0 W0ᵀ, logit = (E_s Wsᵀ) · (E_t Wtᵀ). */
    private static float[] handLogits(float[] w1, float[] w2, float[] w0, float[] ws, float[] wt, int[] src,
                                      int[] dst) {
        double s6 = 1 / Math.sqrt(6);
        double[][] a = {{0.5, s6, 0}, {s6, 1 / 3.0, s6}, {0, s6, 0.5}};
        double[][] h0 = {{1, 0}, {0, 1}, {2, 3}};
        double[][] h1 = mul(a, mul(h0, mat(w1)));
        for (double[] row : h1) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.max(0, row[j]);
            }
        }
        double[][] e = add(mul(a, mul(h1, mat(w2))), mul(h0, transpose(mat(w0))));
        double[][] s = mul(e, transpose(mat(ws)));
        double[][] t = mul(e, transpose(mat(wt)));
        float[] out = new float[src.length];
        for (int q = 0; q < src.length; q++) {
            out[q] = (float) (s[src[q]][0] * t[dst[q]][0] + s[src[q]][1] * t[dst[q]][1]);
        }
        return out;
    }

    private static double[][] mat(float[] v) {
        return new double[][] {{v[0], v[1]}, {v[2], v[3]}};
    }

    private static double[][] transpose(double[][] x) {
        double[][] t = new double[x[0].length][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                t[j][i] = x[i][j];
            }
        }
        return t;
    }

    private static double[][] add(double[][] x, double[][] y) {
        double[][] out = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                out[i][j] = x[i][j] + y[i][j];
            }
        }
        return out;
    }

    private static double[][] mul(double[][] x, double[][] y) {
        double[][] out = new double[x.length][y[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y[0].length; j++) {
                for (int k = 0; k < y.length; k++) {
                    out[i][j] += x[i][k] * y[k][j];
                }
            }
        }
        return out;
    }
}
