package io.scgrn.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SemModelTest {
    static {
        // Tiny tensors gain nothing from intra-op threads, and on a shared CI box spinning OpenMP threads make the
        // tests many times slower; one thread also makes CPU runs bit-identical. Read when the engine first loads.
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    /** g0 → g2 (+), g1 → g3 (-), g0 → g4 (+) among 6 genes; TFs g0..g2. */
    static final int[][] EDGES = {{0, 2, 90}, {1, 3, -90}, {0, 4, 80}};

    static InferenceOptions opts(Map<String, String> params) {
        return new InferenceOptions(7, "cpu", params, List.of());
    }

    @Test
    void fixedWeightsReconstructExactlyThroughTheInverse() {
        // 2 TFs of 4 genes, with a TF→TF cycle (A = [[0, .5], [-.4, 0]]) so the inverse is not the identity.
        float[] w = {0, 0.5f, 0.3f, 0, -0.4f, 0, 0, 0.7f};
        float[] x = {1, 2, 3, 4, -1, 0.5f, 2, -3, 0, 1, -2, 1};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray wm = m.create(w, new Shape(2, 4));
            NDArray xa = m.create(x, new Shape(3, 4));
            NDArray mu = SemModel.encode(xa, wm, 2);
            // Hand check of the encoder for cell 0: mu = x - x[:, :2] W.
            float[] mu0 = {1 - (1 * 0 + 2 * -0.4f), 2 - (1 * 0.5f + 2 * 0), 3 - (1 * 0.3f + 0), 4 - (0 + 2 * 0.7f)};
            assertArrayEquals(mu0, Arrays.copyOf(mu.toFloatArray(), 4), 1e-6f);
            NDArray back = SemModel.decode(mu, wm, 2, m.eye(2));
            assertArrayEquals(x, back.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void recoversAPlantedNetworkWithSignsAndStability() {
        ExpressionMatrix data = Synthetic.linear(300, 6, 3, EDGES, 1);
        Network net = new SemModel().infer(data, List.of("g0", "g1", "g2"),
                opts(Map.of("ensemble", "2", "steps", "100")), Progress.NONE);
        assertEquals(3 * 5, net.size());
        List<String> top = net.top(3).edges().stream().map(e -> e.tf() + ">" + e.target()).sorted().toList();
        assertEquals(List.of("g0>g2", "g0>g4", "g1>g3"), top);
        Edge neg = net.edges().stream().filter(e -> e.tf().equals("g1") && e.target().equals("g3")).findFirst()
                .orElseThrow();
        assertEquals(-1, neg.sign());
        assertEquals(1.0, neg.stability());
        assertTrue(net.edges().stream().allMatch(e -> e.stability() >= 0 && e.stability() <= 1));
    }

    @Test
    void sameSeedSameRankingOnCpu() {
        ExpressionMatrix data = Synthetic.linear(80, 6, 3, EDGES, 2);
        InferenceOptions o = opts(Map.of("ensemble", "2", "steps", "20", "batch", "32"));
        Network a = new SemModel().infer(data, List.of("g0", "g1", "g2"), o, Progress.NONE);
        Network b = new SemModel().infer(data, List.of("g0", "g1", "g2"), o, Progress.NONE);
        // Same ranking; scores equal up to the last bits PyTorch's multi-threaded kernels may change.
        assertEquals(a.edges().stream().map(e -> e.tf() + ">" + e.target()).toList(),
                b.edges().stream().map(e -> e.tf() + ">" + e.target()).toList());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.edges().get(i).score(), b.edges().get(i).score(), 1e-3 * a.edges().get(0).score());
        }
    }

    @Test
    void badInputIsAModelExceptionNamingTheField() {
        ExpressionMatrix data = Synthetic.linear(20, 4, 2, new int[0][], 3);
        SemModel sem = new SemModel();
        assertEquals("tfs", assertThrows(ModelException.class,
                () -> sem.infer(data, List.of("nope"), opts(Map.of()), Progress.NONE)).field());
        assertEquals("epochz", assertThrows(ModelException.class,
                () -> sem.infer(data, List.of("g0"), opts(Map.of("epochz", "3")), Progress.NONE)).field());
        assertEquals("lr", assertThrows(ModelException.class,
                () -> sem.infer(data, List.of("g0"), opts(Map.of("lr", "-1")), Progress.NONE)).field());
        float[] v = data.values().clone();
        v[5] = Float.NaN;
        ExpressionMatrix nan = new ExpressionMatrix(v, data.cells(), data.genes());
        assertEquals("X", assertThrows(ModelException.class,
                () -> sem.infer(nan, List.of("g0"), opts(Map.of()), Progress.NONE)).field());
        ExpressionMatrix one = new ExpressionMatrix(new float[] {1, 2, 3, 4}, List.of("c"), data.genes());
        assertEquals("cells", assertThrows(ModelException.class,
                () -> sem.infer(one, List.of("g0"), opts(Map.of()), Progress.NONE)).field());
    }

    @Test
    void cancellationStopsBetweenSteps() {
        ExpressionMatrix data = Synthetic.linear(20, 4, 2, new int[0][], 3);
        int[] epochs = {0};
        Progress p = new Progress() {
            @Override
            public void epoch(int epoch, int total, double loss) {
                epochs[0] = epoch;
            }

            @Override
            public boolean cancelled() {
                return epochs[0] >= 10;
            }
        };
        assertThrows(CancellationException.class,
                () -> new SemModel().infer(data, List.of("g0"), opts(Map.of("steps", "50")), p));
        // Progress (and so the loss read-back) comes every 10 steps; the check runs before every step.
        assertEquals(10, epochs[0]);
    }
}
