package io.scgrn.models.perturb;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseTestTest {
    private static final int N = 800;
    private static final List<String> GENES = List.of("T", "Y", "U", "W");

    /**
     * Two cell types; T is high in type 1. Y is T's real target (it follows T within each type too); U is a marker
     * of type 1 that T does not regulate, so it correlates with T over all cells only through the type; W is noise.
     * The network claims T → Y and T → U.
     */
    private static InSilicoPerturbation.Input input() {
        Random rnd = new Random(11);
        float[] v = new float[N * 4];
        int[] groupOf = new int[N];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < N; c++) {
            int k = c % 2;
            groupOf[c] = k;
            double t = 1 + 2 * k + 0.5 * rnd.nextGaussian();
            v[c * 4] = (float) Math.max(0, t);
            v[c * 4 + 1] = (float) Math.max(0, 0.3 + 0.8 * t + 0.3 * rnd.nextGaussian());
            v[c * 4 + 2] = (float) Math.max(0, 1 + 2 * k + 0.5 * rnd.nextGaussian());
            v[c * 4 + 3] = (float) Math.max(0, 2 + 0.5 * rnd.nextGaussian());
            cells.add("c" + c);
        }
        List<Edge> net = List.of(new Edge("T", "Y", 1, 1, Double.NaN), new Edge("T", "U", 0.9, 1, Double.NaN),
                new Edge("T", "W", 0.1, 1, Double.NaN));
        return new InSilicoPerturbation.Input(new ExpressionMatrix(v, cells, GENES), groupOf, List.of("a", "b"), net,
                null, null, List.of(Perturbation.ko("T")));
    }

    @Test
    void theRealTargetPassesAndTheTypeMarkerFails() {
        InSilicoPerturbation.Input in = input();
        int[][] regs = InSilicoPerturbation.regulators(in.edges(), GENES, 30);
        double[] q = ResponseTest.qValues(in.x().values(), 4, in.groupOf(), 2, regs, new int[]{0}, 3);
        assertEquals(0, q[0], "the perturbed gene");
        assertTrue(q[1] < 1e-6, "Y follows T within the types: q " + q[1]);
        assertTrue(q[2] > 0.05, "U co-varies with T only through the type: q " + q[2]);
        assertTrue(q[3] > 0.05, "W is noise: q " + q[3]);
        // without the groups (every cell one group) the marker looks like a target: the centring is what matters
        double[] pooled = ResponseTest.qValues(in.x().values(), 4, new int[N], 1, regs, new int[]{0}, 3);
        assertTrue(pooled[2] < 1e-6, "pooled over the types U correlates with T: q " + pooled[2]);
        assertArrayEquals(new double[]{1, 0.5, 0.5, 0.5}, ResponseTest.weights(new double[]{0, 0.3, 0.5, 1}, 0.2,
                0.5), 0);
        // soft: shrink + (1 − shrink) · (1 − q)
        assertArrayEquals(new double[]{1, 0.775, 0.625, 0.25}, ResponseTest.weights(new double[]{0, 0.3, 0.5, 1},
                Double.NaN, 0.25), 1e-12);
    }

    @Test
    void benjaminiHochbergQValues() {
        // p sorted 0.01, 0.02, 0.03, 0.5 of 4: q = min over the larger ranks of p · 4 / rank
        assertArrayEquals(new double[]{0.5, 0.04, 0.04, 0.04}, ResponseTest.bh(new double[]{0.5, 0.01, 0.03, 0.02}),
                1e-12);
    }

    /**
     * Wired into the run: without the test the type marker U moves with T's knock-out (with the pooled model alone,
     * which reads the types' difference as T's effect); with it U is predicted flat while Y keeps exactly its shift.
     */
    @Test
    void runSetsTheGenesThatFailFlatAndKeepsTheTargetsShift() {
        InSilicoPerturbation.Input in = input();
        PerturbOptions o = PerturbOptions.defaults().withPooling(1);
        float[] plain = InSilicoPerturbation.run(in, o, Progress.NONE).delta();
        float[] tested = InSilicoPerturbation.run(in, o.withResponseTest(0.05, 0), Progress.NONE).delta();
        float[] half = InSilicoPerturbation.run(in, o.withResponseTest(0.05, 0.5), Progress.NONE).delta();
        float[] soft = InSilicoPerturbation.run(in, o.withResponseTest(Double.NaN, 0.25), Progress.NONE).delta();
        double[] q = ResponseTest.qValues(in.x().values(), 4, in.groupOf(), 2,
                InSilicoPerturbation.regulators(in.edges(), GENES, 30), new int[]{0}, o.adjustParents());
        double sumU = 0;
        double sumY = 0;
        for (int c = 0; c < N; c++) {
            assertEquals(-in.x().values()[c * 4], tested[c * 4], 1e-6, "the knocked-out gene goes to 0");
            assertEquals(plain[c * 4 + 1], tested[c * 4 + 1], 0, "Y keeps its shift");
            assertEquals(0, tested[c * 4 + 2], 0, "U is flat");
            assertEquals(plain[c * 4 + 2] * 0.5, half[c * 4 + 2], 1e-6, "U keeps half");
            assertEquals(plain[c * 4 + 2] * (0.25 + 0.75 * (1 - q[2])), soft[c * 4 + 2], 1e-6, "U soft");
            assertEquals(plain[c * 4 + 1] * (0.25 + 0.75 * (1 - q[1])), soft[c * 4 + 1], 1e-6, "Y soft");
            sumU += plain[c * 4 + 2];
            sumY += plain[c * 4 + 1];
        }
        assertTrue(sumU / N < -0.3, "U moves without the test: " + sumU / N);
        assertTrue(sumY / N < -0.5, "Y moves: " + sumY / N);
        assertTrue(Double.isNaN(PerturbOptions.defaults().responseShrink()), "off by default");
        assertThrows(ModelException.class, () -> o.withResponseTest(0, 0));
        assertThrows(ModelException.class, () -> o.withResponseTest(0.05, 1.5));
    }
}
