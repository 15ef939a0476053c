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

class TotalEffectTest {
    @Test
    void regressorsAreThePerturbedGenesAndTheirBestParentsNoneForTheSetItself() {
        // genes 0..4; network regulators best first: 1 ← [0, 2, 3], 4 ← [1, 2]
        int[][] regs = {{}, {0, 2, 3}, {}, {}, {1, 2}};
        int[][] one = TotalEffect.regressors(regs, new int[]{1}, 1);
        assertArrayEquals(new int[][]{{}, {}, {1, 0}, {1, 0}, {1, 0}}, one, "parent 0 adjusted for, gets no effect");
        int[][] two = TotalEffect.regressors(regs, new int[]{1}, 2);
        assertArrayEquals(new int[][]{{}, {}, {}, {1, 0, 2}, {1, 0, 2}}, two);
        int[][] none = TotalEffect.regressors(regs, new int[]{1}, 0);
        assertArrayEquals(new int[][]{{1}, {}, {1}, {1}, {1}}, none, "only the group adjusts");
        // two perturbed genes: a perturbed gene is never a parent adjusted for (4's best regulator 1 is skipped,
        // 2 taken), and the adjustment set {0, 2} gets no effect
        int[][] both = TotalEffect.regressors(regs, new int[]{1, 4}, 1);
        assertArrayEquals(new int[][]{{}, {}, {}, {1, 4, 0, 2}, {}}, both);
    }

    /**
     * The hand-built confounded example: P regulates both T and Y, T regulates Y with slope 1. Knocking T out
     * (level 0) changes Y by −1 · x_T in every cell (its total effect), and P not at all. The regression of Y on T
     * alone (no parent adjusted for, the naive slope) is 1 + 2 · cov(P, T) / var(T) = 2.6; adjusting for T's
     * network parent P recovers 1.
     */
    @Test
    void adjustingForTheTfsParentRecoversTheTotalEffectTheNaiveSlopeDoesNot() {
        int n = 3000;
        Random rnd = new Random(11);
        List<String> genes = List.of("P", "T", "Y");
        float[] v = new float[n * 3];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            double p = rnd.nextGaussian();
            double t = p + 0.5 * rnd.nextGaussian();
            v[c * 3] = (float) p;
            v[c * 3 + 1] = (float) t;
            v[c * 3 + 2] = (float) (1.0 * t + 2.0 * p + 0.3 * rnd.nextGaussian());
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, genes);
        List<Edge> net = List.of(new Edge("P", "T", 1, 1, Double.NaN), new Edge("P", "Y", 0.9, 1, Double.NaN),
                new Edge("T", "Y", 0.8, 1, Double.NaN));
        InSilicoPerturbation.Input in = new InSilicoPerturbation.Input(x, new int[n], List.of("all"), net, null, null,
                List.of(Perturbation.ko("T")));
        // the rank weight off: this checks the total effect's own shifts
        PerturbOptions o = PerturbOptions.defaults().withRankWeight(0);
        float[] adjusted = InSilicoPerturbation.run(in, o.withTotalEffect(1, 1), Progress.NONE).delta();
        float[] naive = InSilicoPerturbation.run(in, o.withTotalEffect(1, 0), Progress.NONE).delta();
        assertEquals(1.0, slope(adjusted, v, n), 0.03, "adjusted for P: the total effect");
        assertEquals(2.6, slope(naive, v, n), 0.1, "not adjusted: the confounded slope");
        for (int c = 0; c < n; c++) {
            assertEquals(0, adjusted[c * 3], 0, "the parent does not move");
            assertEquals(-v[c * 3 + 1], adjusted[c * 3 + 1], 1e-6, "the knocked-out gene goes to 0");
        }
        assertThrows(ModelException.class, () -> o.withTotalEffect(1.5, 1));
        assertThrows(ModelException.class, () -> o.withTotalEffect(1, -1));
    }

    /** The blend with the direct fit: the mean shift is the blend of the two means, the TF's shift unchanged. */
    @Test
    void blendOfDirectAndTotalShiftsIsTheBlendOfTheirMeans() {
        int n = 400;
        Random rnd = new Random(5);
        List<String> genes = List.of("P", "T", "Y", "Z");
        float[] v = new float[n * 4];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            double p = rnd.nextGaussian();
            double t = p + 0.5 * rnd.nextGaussian();
            v[c * 4] = (float) p;
            v[c * 4 + 1] = (float) t;
            v[c * 4 + 2] = (float) (t + 2 * p + 0.3 * rnd.nextGaussian());
            v[c * 4 + 3] = (float) (0.5 * p + rnd.nextGaussian());
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, genes);
        List<Edge> net = List.of(new Edge("P", "T", 1, 1, Double.NaN), new Edge("T", "Y", 0.8, 1, Double.NaN),
                new Edge("T", "Z", 0.5, 1, Double.NaN));
        InSilicoPerturbation.Input in = new InSilicoPerturbation.Input(x, new int[n], List.of("all"), net, null, null,
                List.of(Perturbation.ko("T")));
        // the rank weight off: this checks the total effect's own shifts
        PerturbOptions o = PerturbOptions.defaults().withRankWeight(0);
        float[] direct = InSilicoPerturbation.run(in, o.withTotalEffect(0, 1), Progress.NONE).delta();
        float[] total = InSilicoPerturbation.run(in, o.withTotalEffect(1, 1), Progress.NONE).delta();
        float[] half = InSilicoPerturbation.run(in, o.withTotalEffect(0.5, 1), Progress.NONE).delta();
        double[] dm = means(direct, n, 4);
        double[] tm = means(total, n, 4);
        double[] hm = means(half, n, 4);
        boolean[] skip = {false, true, false, false};
        double[] want = MarginalBlend.blend(dm, tm, skip, 0.5);
        for (int g : new int[]{0, 2, 3}) {
            assertEquals(want[g], hm[g], 1e-5, "gene " + genes.get(g));
        }
        assertEquals(dm[1], hm[1], 1e-6);
        assertEquals(0, tm[0], 0, "the parent does not move in the total effect");
    }

    /** Mean over cells of shift(Y) / −x_T: the slope the knock-out applied. */
    private static double slope(float[] delta, float[] v, int n) {
        double num = 0;
        double den = 0;
        for (int c = 0; c < n; c++) {
            double dt = -v[c * 3 + 1];
            num += delta[c * 3 + 2] * dt;
            den += dt * dt;
        }
        return num / den;
    }

    private static double[] means(float[] d, int n, int nG) {
        double[] out = new double[nG];
        for (int c = 0; c < n; c++) {
            for (int g = 0; g < nG; g++) {
                out[g] += d[c * nG + g] / (double) n;
            }
        }
        return out;
    }
}
