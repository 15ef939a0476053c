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

/** The pooled models' share of the between-group co-variation ({@link PerturbOptions#fitBetween}, round 10). */
class BetweenGroupTest {
    private static final int N = 900;
    private static final int K = 3;
    private static final List<String> GENES = List.of("T", "Y", "U");

    /**
     * Three cell types; T rises from type to type. Y is T's real target, exactly 0.8 · T in every cell; U is a
     * marker of the types that T does not regulate: its level rises with the type as T's does, but within each type
     * its variation is orthogonal to T's, so it co-varies with T only through the types. The network claims T → Y
     * and T → U.
     */
    static InSilicoPerturbation.Input input() {
        Random rnd = new Random(5);
        double[] t = new double[N];
        double[] u = new double[N];
        int[] groupOf = new int[N];
        for (int c = 0; c < N; c++) {
            groupOf[c] = c % K;
            t[c] = rnd.nextDouble() - 0.5;
            u[c] = rnd.nextDouble() - 0.5;
        }
        // within each type: centre both noises and take T's out of U's (Gram–Schmidt), so their within-type
        // covariance is 0
        for (int k = 0; k < K; k++) {
            double mt = 0;
            double mu = 0;
            int n = 0;
            for (int c = k; c < N; c += K) {
                mt += t[c];
                mu += u[c];
                n++;
            }
            mt /= n;
            mu /= n;
            double tu = 0;
            double tt = 0;
            for (int c = k; c < N; c += K) {
                t[c] -= mt;
                u[c] -= mu;
                tu += t[c] * u[c];
                tt += t[c] * t[c];
            }
            for (int c = k; c < N; c += K) {
                u[c] -= tu / tt * t[c];
            }
        }
        float[] v = new float[N * 3];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < N; c++) {
            int k = groupOf[c];
            float tv = (float) (2 + 1.5 * k + t[c]);
            v[c * 3] = tv;
            v[c * 3 + 1] = 0.8f * tv;
            v[c * 3 + 2] = (float) (1 + 2 * k + u[c]);
            cells.add("c" + c);
        }
        List<Edge> net = List.of(new Edge("T", "Y", 1, 1, Double.NaN), new Edge("T", "U", 0.9, 1, Double.NaN));
        return new InSilicoPerturbation.Input(new ExpressionMatrix(v, cells, GENES), groupOf, List.of("a", "b", "c"),
                net, null, null, List.of(Perturbation.ko("T")));
    }

    /** Single cells, λ 0, no rank weight: the shifts are the fitted slopes × T's change, exactly. */
    private static PerturbOptions exact() {
        return PerturbOptions.defaults().withFitNeighbours(1).withLambda(0).withRankWeight(0);
    }

    private static double[] meanShift(float[] delta) {
        double[] m = new double[3];
        for (int c = 0; c < N; c++) {
            for (int g = 0; g < 3; g++) {
                m[g] += delta[c * 3 + g] / (double) N;
            }
        }
        return m;
    }

    /**
     * With group fixed effects (between 0) the type marker U gets no shift while the real target Y keeps its exact
     * shift 0.8 · (0 − T) in every cell; with the types' co-variation kept (1, the default) U moves — through the
     * pooled direct fit, through the total effect, and through the default blend of per-group and pooled models.
     */
    @Test
    void theTypeMarkerGetsNoShiftAndTheTargetKeepsItsExactShift() {
        InSilicoPerturbation.Input in = input();
        float[] x = in.x().values();
        PerturbOptions[] settings = {
                exact().withPooling(1).withTotalEffect(0, 3),       // the pooled direct fit alone
                exact().withPooling(1).withTotalEffect(1, 3),       // the total effect alone (pooled)
                exact(),                                            // the default blend rule and total-effect weight
        };
        for (PerturbOptions o : settings) {
            float[] kept = InSilicoPerturbation.run(in, o.withBetween(1, 1), Progress.NONE).delta();
            float[] fixed = InSilicoPerturbation.run(in, o.withBetween(0, 0), Progress.NONE).delta();
            for (int c = 0; c < N; c++) {
                assertEquals(-x[c * 3], fixed[c * 3], 1e-6, "the knocked-out gene goes to 0");
                assertEquals(-0.8 * x[c * 3], fixed[c * 3 + 1], 1e-4, "Y keeps its exact shift, cell " + c);
                assertEquals(-0.8 * x[c * 3], kept[c * 3 + 1], 1e-4, "Y's shift without the centring too");
                assertEquals(0, fixed[c * 3 + 2], 1e-4, "U is flat, cell " + c);
            }
            // pooled over the types U rises with T (slope 2 / 1.5 between the type means)
            assertTrue(meanShift(kept)[2] < -0.5, "U moves when the types' co-variation is kept: "
                    + meanShift(kept)[2]);
        }
        // each knob acts on its own model: the direct fit's centring leaves the total effect's U shift
        PerturbOptions total = exact().withPooling(1).withTotalEffect(1, 3);
        assertTrue(meanShift(InSilicoPerturbation.run(in, total.withBetween(0, 1), Progress.NONE).delta())[2] < -0.5);
        assertEquals(0, meanShift(InSilicoPerturbation.run(in, total.withBetween(1, 0), Progress.NONE).delta())[2],
                1e-4);
        assertEquals(0.25, PerturbOptions.defaults().fitBetween());
        assertEquals(0.25, PerturbOptions.defaults().totalBetween());
        assertThrows(ModelException.class, () -> exact().withBetween(-0.1, 1));
        assertThrows(ModelException.class, () -> exact().withBetween(0, 1.5));
    }

    /**
     * {@code centred(keep)} merged over the groups gives the within-group sums of squares and products plus
     * {@code keep} of the between-group ones, exactly; {@code keep} 1 changes nothing.
     */
    @Test
    void centredKeepsTheWithinGroupCoVariationAndTheAskedShareOfTheBetween() {
        InSilicoPerturbation.Input in = input();
        int[][] regs = {{}, {0, 2}, {0}};
        GroupModels.Stats stats = GroupModels.Stats.accumulate(in.x(), in.groupOf(), K, regs, Progress.NONE);
        int e0 = 0; // target Y's run of edges: T, U
        int p = 2;
        GroupModels.Pooled within = stats.pooledCentred(e0, p);
        double[] allGram = new double[p * p];
        double[] allXty = new double[p];
        double allYy = stats.merge(new int[K], 1).addCentred(0, e0, p, allGram, allXty);
        for (double keep : new double[]{0, 0.25, 1}) {
            double[] gram = new double[p * p];
            double[] xty = new double[p];
            double yy = stats.centred(keep).merge(new int[K], 1).addCentred(0, e0, p, gram, xty);
            for (int i = 0; i < p * p; i++) {
                assertEquals(within.gram()[i] + keep * (allGram[i] - within.gram()[i]), gram[i], 1e-6);
            }
            for (int i = 0; i < p; i++) {
                assertEquals(within.xty()[i] + keep * (allXty[i] - within.xty()[i]), xty[i], 1e-6);
            }
            assertEquals(within.yty() + keep * (allYy - within.yty()), yy, 1e-6);
        }
        // U and T: no within-group co-variation, all of it between the groups
        assertEquals(0, within.gram()[1], 1e-6);
        assertTrue(allGram[1] > 100, "between the types U co-varies with T: " + allGram[1]);
        assertArrayEquals(stats.sum()[1], stats.centred(1).sum()[1], 0);
    }
}
