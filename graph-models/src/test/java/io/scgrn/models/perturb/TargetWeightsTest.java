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

class TargetWeightsTest {
    @Test
    void weightIsThePerturbedGenesBestRankAmongTheCandidatesToTheMinusGamma() {
        // genes 0..5; candidates best first: 1 ← [0, 2], 2 ← [3, 4, 0], 3 ← [4], 4 ← [], 5 ← [2, 3, 4, 0]
        int[][] regs = {{}, {0, 2}, {3, 4, 0}, {4}, {}, {2, 3, 4, 0}};
        double[] w = TargetWeights.weights(regs, new int[]{0}, 3, 0.5);
        // the perturbed gene itself 1; then rank 1, rank 3, absent (3 + 1), no candidates (3 + 1), beyond the cap (3 + 1)
        assertArrayEquals(new double[]{1, 1, Math.pow(3, -0.5), 0.5, 0.5, 0.5}, w, 1e-12);
        // two perturbed genes: each gene takes the better of their ranks; both keep 1
        double[] two = TargetWeights.weights(regs, new int[]{0, 4}, 3, 1);
        assertArrayEquals(new double[]{1, 1, 0.5, 1, 1, 1.0 / 3}, two, 1e-12);
        double[] off = TargetWeights.weights(regs, new int[]{0}, 3, 0);
        assertArrayEquals(new double[]{1, 1, 1, 1, 1, 1}, off, 0);
    }

    /**
     * Wired into the run: T regulates Y (its best network regulator) and Z (where the network ranks A first and T
     * second). With γ = 1, every cell's shift of Y is the same as without the weights, Z's is exactly half of it,
     * and the knocked-out gene still goes to 0; by default Z keeps 2^−0.25 of it.
     */
    @Test
    void runScalesEachGenesShiftByItsWeight() {
        InSilicoPerturbation.Input in = knockOutOfT(3);
        int n = in.x().nCells();
        float[] v = in.x().values();
        PerturbOptions o = PerturbOptions.defaults();
        float[] plain = InSilicoPerturbation.run(in, o.withRankWeight(0), Progress.NONE).delta();
        float[] weighted = InSilicoPerturbation.run(in, o.withRankWeight(1), Progress.NONE).delta();
        float[] byDefault = InSilicoPerturbation.run(in, o, Progress.NONE).delta();
        double sumZ = 0;
        for (int c = 0; c < n; c++) {
            assertEquals(-v[c * 4], weighted[c * 4], 1e-6, "the knocked-out gene goes to 0");
            assertEquals(plain[c * 4 + 2], weighted[c * 4 + 2], 0, "rank 1: Y keeps its shift");
            assertEquals(plain[c * 4 + 3] * 0.5, weighted[c * 4 + 3], 1e-6, "rank 2: Z keeps half");
            assertEquals(plain[c * 4 + 3] * Math.pow(2, -PerturbOptions.RANK_WEIGHT), byDefault[c * 4 + 3], 1e-6,
                    "the default weight");
            sumZ += plain[c * 4 + 3];
        }
        assertTrue(sumZ / n < -0.5, "Z moves without the weights: " + sumZ / n);
        assertEquals(0.25, PerturbOptions.RANK_WEIGHT, "the default (docs/benchmarks.md, round 9)");
        assertThrows(ModelException.class, () -> o.withRankWeight(-0.1));
        assertThrows(ModelException.class, () -> o.withRankWeight(6));
    }

    /**
     * 600 cells of T, A ~ N(2, 1), Y = 0.8 T + noise, Z = 0.5 T + A + noise (columns T, A, Y, Z), a network in which
     * T is Y's best regulator and Z's second (after A), and T knocked out.
     */
    static InSilicoPerturbation.Input knockOutOfT(long seed) {
        int n = 600;
        Random rnd = new Random(seed);
        List<String> genes = List.of("T", "A", "Y", "Z");
        float[] v = new float[n * 4];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            double t = 2 + rnd.nextGaussian();
            double a = 2 + rnd.nextGaussian();
            v[c * 4] = (float) t;
            v[c * 4 + 1] = (float) a;
            v[c * 4 + 2] = (float) (0.8 * t + 0.2 * rnd.nextGaussian());
            v[c * 4 + 3] = (float) (0.5 * t + a + 0.2 * rnd.nextGaussian());
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, genes);
        List<Edge> net = List.of(new Edge("T", "Y", 1, 1, Double.NaN), new Edge("A", "Z", 0.9, 1, Double.NaN),
                new Edge("T", "Z", 0.5, 1, Double.NaN));
        return new InSilicoPerturbation.Input(x, new int[n], List.of("all"), net, null, null,
                List.of(Perturbation.ko("T")));
    }
}
