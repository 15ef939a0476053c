package io.scgrn.models.perturb;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InSilicoPerturbationTest {
    /**
     * The direct fit alone (no total effect blended in, no rank weight on the shifts): these tests check the direct
     * models and their propagation exactly.
     */
    static PerturbOptions direct() {
        return PerturbOptions.defaults().withTotalEffect(0, PerturbOptions.ADJUST_PARENTS).withRankWeight(0);
    }

    private static final List<String> GENES = List.of("A", "B", "C", "D");
    private static final List<Edge> NET = List.of(new Edge("A", "B", 1, 1, Double.NaN),
            new Edge("B", "C", 0.9, 1, Double.NaN), new Edge("A", "D", 0.8, -1, Double.NaN));

    /** B = 1 + 0.5 A, C = 0.3 + 2 B, D = 3 − A exactly; A from 0.5 to 2.5. */
    private static ExpressionMatrix chain(int n) {
        float[] v = new float[n * 4];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            double a = 0.5 + 2.0 * c / (n - 1);
            double b = 1 + 0.5 * a;
            v[c * 4] = (float) a;
            v[c * 4 + 1] = (float) b;
            v[c * 4 + 2] = (float) (0.3 + 2 * b);
            v[c * 4 + 3] = (float) (3 - a);
            cells.add("c" + c);
        }
        return new ExpressionMatrix(v, cells, GENES);
    }

    private static double[] lineEmbedding(ExpressionMatrix x) {
        double[] e = new double[2 * x.nCells()];
        for (int c = 0; c < x.nCells(); c++) {
            e[2 * c] = x.get(c, 0);
            e[2 * c + 1] = 0.01 * (c % 3);
        }
        return e;
    }

    private static InSilicoPerturbation.Result run(ExpressionMatrix x, int[] groupOf, List<String> groups,
                                                   List<Perturbation> p, PerturbOptions o) {
        return InSilicoPerturbation.run(new InSilicoPerturbation.Input(x, groupOf, groups, NET, lineEmbedding(x),
                "X_line", p), o, Progress.NONE);
    }

    @Test
    void candidatesByQKeepEachTargetsBestEdgesAndTheSignificantOnes() {
        List<String> genes = List.of("A", "B", "C", "D", "E");
        List<Edge> net = List.of(new Edge("A", "E", 0.9, 1, Double.NaN, 0.01),
                new Edge("B", "E", 0.8, 1, Double.NaN, 0.04), new Edge("C", "E", 0.5, 1, Double.NaN, 0.3),
                new Edge("D", "E", 0.4, 1, Double.NaN, 0.5), new Edge("C", "D", 0.3, 1, Double.NaN, 0.6),
                new Edge("B", "D", 0.2, 1, Double.NaN, 0.7));
        // per target: [A, B, C, D, E]
        assertArrayEquals(new int[][]{{}, {}, {}, {2}, {0, 1}},
                InSilicoPerturbation.regulators(net, genes, 30, 0.05, 1));
        assertArrayEquals(new int[][]{{}, {}, {}, {}, {0, 1}},
                InSilicoPerturbation.regulators(net, genes, 30, 0.05, 0));
        assertArrayEquals(new int[][]{{}, {}, {}, {2, 1}, {0, 1, 2}},
                InSilicoPerturbation.regulators(net, genes, 30, 0.05, 3));
        assertArrayEquals(new int[][]{{}, {}, {}, {2}, {0}},
                InSilicoPerturbation.regulators(net, genes, 1, 0.05, 1), "at most max");
        assertArrayEquals(new int[][]{{}, {}, {}, {2}, {0, 1, 2}},
                InSilicoPerturbation.regulators(net, genes, 30, 0.3, 1), "q equal to the threshold is kept");
        int[][] all = {{}, {}, {}, {2, 1}, {0, 1, 2, 3}};
        assertArrayEquals(all, InSilicoPerturbation.regulators(net, genes, 30));
        assertArrayEquals(all, InSilicoPerturbation.regulators(net, genes, 30, Double.NaN, 1), "off");
        List<Edge> noQ = net.stream().map(e -> e.withQ(Double.NaN)).toList();
        assertArrayEquals(all, InSilicoPerturbation.regulators(noQ, genes, 30, 0.05, 1),
                "a network without q-values keeps every edge");
        Assertions.assertThrows(ModelException.class, () -> PerturbOptions.defaults().withCandidates(1.5, 1));
        Assertions.assertThrows(ModelException.class, () -> PerturbOptions.defaults().withCandidates(0.05, -1));
    }

    @Test
    void candidateQReachesTheFit() {
        ExpressionMatrix x = chain(11);
        List<Edge> net = List.of(NET.get(0).withQ(0.01), NET.get(1).withQ(0.02), NET.get(2).withQ(0.5));
        var r = InSilicoPerturbation.run(new InSilicoPerturbation.Input(x, new int[11], List.of("all"), net,
                lineEmbedding(x), "X_line", List.of(Perturbation.ko("A"))),
                direct().withLambda(0).withSteps(3).withCandidates(0.05, 0), Progress.NONE);
        assertEquals(0.5, r.models().coefficient(0, "A", "B"), 1e-4);
        assertEquals(2.0, r.models().coefficient(0, "B", "C"), 1e-4);
        assertEquals(0.0, r.models().coefficient(0, "A", "D"), "A → D (q 0.5) is not a candidate");
        for (int c = 0; c < 11; c++) {
            double a = x.get(c, 0);
            assertEquals(-0.5 * a, r.delta()[c * 4 + 1], 1e-4, "B, cell " + c);
            assertEquals(-a, r.delta()[c * 4 + 2], 1e-4, "C, cell " + c);
            assertEquals(0.0, r.delta()[c * 4 + 3], "D has no regulator left, cell " + c);
        }
    }

    /**
     * The fit's row sample (groups above FitRows.MAX_ROWS_PER_GROUP cells) and the neighbour draws go by position:
     * the same cells in another order must still get the same shifts and arrows.
     */
    @Test
    void theOrderOfTheCellsDoesNotChangeThePrediction() {
        int n = 4200;
        java.util.Random rnd = new java.util.Random(5);
        float[] v = new float[n * 4];
        double[] emb = new double[2 * n];
        int[] groupOf = new int[n];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            groupOf[c] = c % 2;
            double a = 2 + groupOf[c] + rnd.nextGaussian();
            double b = 1 + 0.5 * a + 0.3 * rnd.nextGaussian();
            v[c * 4] = (float) a;
            v[c * 4 + 1] = (float) b;
            v[c * 4 + 2] = (float) (0.3 + 2 * b + 0.3 * rnd.nextGaussian());
            v[c * 4 + 3] = (float) (3 - a + 0.3 * rnd.nextGaussian());
            emb[2 * c] = a + 0.1 * rnd.nextGaussian();
            emb[2 * c + 1] = rnd.nextGaussian();
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, GENES);
        float[] rv = new float[v.length];
        double[] remb = new double[emb.length];
        int[] rgroup = new int[n];
        List<String> rcells = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = n - 1 - i;
            System.arraycopy(v, 4 * c, rv, 4 * i, 4);
            System.arraycopy(emb, 2 * c, remb, 2 * i, 2);
            rgroup[i] = groupOf[c];
            rcells.add(cells.get(c));
        }
        List<Perturbation> ko = List.of(Perturbation.ko("A"));
        var a = InSilicoPerturbation.run(new InSilicoPerturbation.Input(x, groupOf, List.of("g0", "g1"), NET, emb,
                "X_test", ko), PerturbOptions.defaults(), Progress.NONE);
        var b = InSilicoPerturbation.run(new InSilicoPerturbation.Input(new ExpressionMatrix(rv, rcells, GENES),
                rgroup, List.of("g0", "g1"), NET, remb, "X_test", ko), PerturbOptions.defaults(), Progress.NONE);
        for (int c = 0; c < n; c++) {
            int i = n - 1 - c;
            for (int g = 0; g < 4; g++) {
                assertEquals(a.delta()[4 * c + g], b.delta()[4 * i + g], 0f, "cell " + c + ", gene " + g);
            }
            assertEquals(a.vectors()[2 * c], b.vectors()[2 * i], 0.0, "arrow of cell " + c);
            assertEquals(a.vectors()[2 * c + 1], b.vectors()[2 * i + 1], 0.0, "arrow of cell " + c);
        }
        for (int k = 0; k < 2; k++) {
            var ga = a.groupSummaries().get(k);
            var gb = b.groupSummaries().get(k);
            assertEquals(ga.toGroup(), gb.toGroup());
            assertEquals(ga.meanShift(), gb.meanShift(), 1e-12);
            assertEquals(ga.stayFlow(), gb.stayFlow(), 1e-12); // a parallel sum: last-bit differences
        }
    }

    @Test
    void rowsGoBackToTheFileOrderInPlace() {
        // 7 rows of width 3, row i holding i*10 + column; one 4-cycle, one 2-cycle and a fixed point
        int[] order = {3, 0, 5, 1, 4, 2, 6};
        float[] rows = new float[21];
        for (int i = 0; i < 7; i++) {
            for (int c = 0; c < 3; c++) {
                rows[i * 3 + c] = i * 10 + c;
            }
        }
        float[] expected = new float[21];
        for (int i = 0; i < 7; i++) {
            System.arraycopy(rows, i * 3, expected, order[i] * 3, 3);
        }
        InSilicoPerturbation.toFileOrder(rows, order, 3);
        assertArrayEquals(expected, rows);
        assertEquals(10f, rows[0]); // row 1 went to row 0
        assertEquals(0f, rows[9]);  // row 0 went to row 3
    }

    @Test
    void transitionsReadTheShiftInPlaceAsFromACompactCopy() {
        // the shift read through its own stride and columns gives the vectors of a copy of those columns
        Random rnd = new Random(5);
        int n = 60;
        int g = 7;
        int[] cols = {1, 4, 6};
        float[] x = new float[n * cols.length];
        float[] delta = new float[n * g];
        float[] compact = new float[n * cols.length];
        double[] emb = new double[2 * n];
        int[] groupOf = new int[n];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < cols.length; a++) {
                x[i * cols.length + a] = (float) rnd.nextGaussian();
            }
            for (int j = 0; j < g; j++) {
                delta[i * g + j] = (float) rnd.nextGaussian();
            }
            for (int a = 0; a < cols.length; a++) {
                compact[i * cols.length + a] = delta[i * g + cols[a]];
            }
            emb[2 * i] = rnd.nextGaussian();
            emb[2 * i + 1] = rnd.nextGaussian();
            groupOf[i] = i % 2;
        }
        int k = 5;
        int[] knn = Knn2d.neighbours(emb, k);
        int[] identity = {0, 1, 2};
        TransitionField.Cells inPlace = TransitionField.cellVectors(x, 3, identity, delta, g, cols, emb, knn, k, 0.05,
                groupOf, 2);
        TransitionField.Cells copied = TransitionField.cellVectors(x, 3, identity, compact, 3, identity, emb, knn, k,
                0.05, groupOf, 2);
        assertArrayEquals(copied.vectors(), inPlace.vectors());
        assertTrue(Arrays.stream(inPlace.vectors()).anyMatch(v -> v != 0));
        Assertions.assertThrows(IllegalArgumentException.class, () -> TransitionField.cellVectors(x, 3, identity,
                delta, g, new int[] {1, 4}, emb, knn, k, 0.05, groupOf, 2));
    }

    @Test
    void knockOutPropagatesExactlyThroughTheChain() {
        ExpressionMatrix x = chain(11);
        int[] g = new int[11];
        var r = run(x, g, List.of("all"), List.of(Perturbation.ko("A")),
                direct().withLambda(0).withSteps(3));
        assertEquals(0.5, r.models().coefficient(0, "A", "B"), 1e-4);
        assertEquals(2.0, r.models().coefficient(0, "B", "C"), 1e-4);
        assertEquals(-1.0, r.models().coefficient(0, "A", "D"), 1e-4);
        for (int c = 0; c < 11; c++) {
            double a = x.get(c, 0);
            // step 1: δA = −a (clamped), δB = −a/2, δD = +a; step 2: δC = 2·δB = −a; step 3 unchanged
            assertEquals(-a, r.delta()[c * 4], 1e-5, "A, cell " + c);
            assertEquals(-0.5 * a, r.delta()[c * 4 + 1], 1e-4, "B, cell " + c);
            assertEquals(-a, r.delta()[c * 4 + 2], 1e-4, "C, cell " + c);
            assertEquals(a, r.delta()[c * 4 + 3], 1e-4, "D, cell " + c);
        }
    }

    @Test
    void oneStepReachesOnlyDirectTargets() {
        ExpressionMatrix x = chain(11);
        var r = run(x, new int[11], List.of("all"), List.of(Perturbation.ko("A")),
                direct().withLambda(0).withSteps(1));
        for (int c = 0; c < 11; c++) {
            assertEquals(-0.5 * x.get(c, 0), r.delta()[c * 4 + 1], 1e-4);
            assertEquals(0.0, r.delta()[c * 4 + 2], 0.0, "C is two steps away");
        }
    }

    @Test
    void overExpressionIsClippedAtZeroExpression() {
        ExpressionMatrix x = chain(11);
        var r = run(x, new int[11], List.of("all"), List.of(Perturbation.set("A", 4)),
                direct().withLambda(0));
        for (int c = 0; c < 11; c++) {
            double a = x.get(c, 0);
            assertEquals(4 - a, r.delta()[c * 4], 1e-5);
            assertEquals(0.5 * (4 - a), r.delta()[c * 4 + 1], 1e-4);
            // D = 3 − a would become −1: clipped to 0, so δD = −(3 − a)
            assertEquals(-(3 - a), r.delta()[c * 4 + 3], 1e-4);
        }
    }

    @Test
    void twoPerturbationsAtOnceClampBoth() {
        ExpressionMatrix x = chain(11);
        var r = run(x, new int[11], List.of("all"), List.of(Perturbation.ko("A"), Perturbation.set("B", 2)),
                direct().withLambda(0));
        for (int c = 0; c < 11; c++) {
            double b = x.get(c, 1);
            assertEquals(2 - b, r.delta()[c * 4 + 1], 1e-5, "B clamped to 2, not driven by A");
            assertEquals(2 * (2 - b), r.delta()[c * 4 + 2], 1e-4);
        }
    }

    @Test
    void groupsHaveTheirOwnCoefficients() {
        // group 0: B = 1 + 0.5 A; group 1: B = 4 − A
        int n = 20;
        float[] v = new float[n * 4];
        int[] groupOf = new int[n];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            groupOf[c] = c < 10 ? 0 : 1;
            double a = 0.5 + 0.2 * (c % 10);
            double b = groupOf[c] == 0 ? 1 + 0.5 * a : 4 - a;
            v[c * 4] = (float) a;
            v[c * 4 + 1] = (float) b;
            v[c * 4 + 2] = (float) (0.3 + 2 * b);
            v[c * 4 + 3] = (float) (3 - a);
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, GENES);
        var r = run(x, groupOf, List.of("g0", "g1"), List.of(Perturbation.ko("A")),
                direct().withLambda(0).withPooling(0));
        assertEquals(0.5, r.models().coefficient(0, "A", "B"), 1e-4);
        assertEquals(-1.0, r.models().coefficient(1, "A", "B"), 1e-4);
        for (int c = 0; c < n; c++) {
            double a = x.get(c, 0);
            double expectB = groupOf[c] == 0 ? -0.5 * a : a;
            assertEquals(expectB, r.delta()[c * 4 + 1], 1e-4, "cell " + c);
        }
        assertEquals("g0", r.groupSummaries().get(0).group());
        assertEquals(10, r.groupSummaries().get(1).cells());
        var geneB = r.genes().get(1);
        assertEquals("target", geneB.role());
        assertTrue(geneB.groupMeanDelta()[0] < 0 && geneB.groupMeanDelta()[1] > 0);
        assertEquals("perturbed", r.genes().get(0).role());
    }

    @Test
    void pooledModelSeesTheDifferenceBetweenGroups() {
        // B saturates: within each group it does not follow A (noise only), but the group with high A has high B
        // (B = 2 in group 0 where A ≈ 1, B = 4 in group 1 where A ≈ 3). Per-group models see no effect of A; the
        // pooled model sees slope 1, so knocking A out lowers B by about A's level.
        Random rnd = new Random(4);
        int n = 400;
        float[] v = new float[n * 4];
        int[] groupOf = new int[n];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            groupOf[c] = c % 2;
            double a = (groupOf[c] == 0 ? 1 : 3) + 0.1 * rnd.nextGaussian();
            v[c * 4] = (float) a;
            v[c * 4 + 1] = (float) ((groupOf[c] == 0 ? 2 : 4) + 0.1 * rnd.nextGaussian());
            v[c * 4 + 2] = (float) (1 + rnd.nextGaussian());
            v[c * 4 + 3] = (float) (1 + rnd.nextGaussian());
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, GENES);
        List<String> groups = List.of("low", "high");
        PerturbOptions single = direct().withFitNeighbours(1);
        var pooled = run(x, groupOf, groups, List.of(Perturbation.ko("A")), single.withPooling(1));
        var perGroup = run(x, groupOf, groups, List.of(Perturbation.ko("A")), single);
        var half = run(x, groupOf, groups, List.of(Perturbation.ko("A")), single.withPooling(0.5));
        double b = pooled.models().coefficient(0, "A", "B");
        assertEquals(1.0, b, 0.05);
        assertEquals(b, pooled.models().coefficient(1, "A", "B"), 0.0, "one model for both groups");
        for (int k = 0; k < 2; k++) {
            double own = perGroup.models().coefficient(k, "A", "B");
            assertTrue(Math.abs(own) < 0.3, "group " + k + " alone sees no effect: " + own);
            assertEquals(0.5 * b + 0.5 * own, half.models().coefficient(k, "A", "B"), 1e-12);
        }
        for (int c = 0; c < n; c++) {
            double a = x.get(c, 0);
            assertEquals(-b * a, pooled.delta()[c * 4 + 1], 1e-4, "cell " + c);
        }
    }

    /**
     * Three groups (A's mean 1, 2, 3; within each group A = mean + u, u ∈ {±1/8, ±1/16, 0}, exact in float). B
     * saturates: constant within a group, its group means follow A's (B = μ); D = −A + o_k with an offset o = (0, 1,
     * 0) unrelated to A. The pooled model extrapolates B's group differences better (weight 1), the groups' own
     * slopes D's (weight 0). Errors checked against the closed-form least-squares slopes (λ = 0).
     */
    private static ExpressionMatrix threeGroups(int[] groupOf) {
        double[] u = {-0.125, -0.0625, 0, 0.0625, 0.125};
        double[] off = {0, 1, 0};
        int n = 3 * u.length;
        float[] v = new float[n * 4];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            int k = c / u.length;
            groupOf[c] = k;
            double a = k + 1 + u[c % u.length];
            v[c * 4] = (float) a;
            v[c * 4 + 1] = (float) (k + 1);
            v[c * 4 + 2] = 1;
            v[c * 4 + 3] = (float) (-a + off[k]);
            cells.add("c" + c);
        }
        return new ExpressionMatrix(v, cells, GENES);
    }

    /** E_pooled by hand: the pooled least-squares slope of target means m on A (within variance s2) without k. */
    private static double pooledError(double[] mu, double[] m, double within, double s2) {
        double e = 0;
        for (int k = 0; k < 3; k++) {
            double mx = 0;
            double my = 0;
            for (int j = 0; j < 3; j++) {
                if (j != k) {
                    mx += mu[j] / 2;
                    my += m[j] / 2;
                }
            }
            double sxx = 0;
            double sxy = 0;
            for (int j = 0; j < 3; j++) {
                if (j != k) {
                    sxx += s2 + (mu[j] - mx) * (mu[j] - mx);
                    sxy += within * s2 + (mu[j] - mx) * (m[j] - my);
                }
            }
            double slope = sxy / sxx;
            for (int j = 0; j < 3; j++) {
                if (j != k) {
                    double r = (m[k] - m[j]) - slope * (mu[k] - mu[j]);
                    e += r * r;
                }
            }
        }
        return e;
    }

    @Test
    void poolingChoiceTrustsTheModelThatExtrapolatesToUnseenGroups() {
        int[] groupOf = new int[15];
        ExpressionMatrix x = threeGroups(groupOf);
        List<String> groups = List.of("g1", "g2", "g3");
        int[][] regs = {{}, {0}, {}, {0}};
        GroupModels.Stats stats = GroupModels.Stats.accumulate(x, groupOf, 3, regs, Progress.NONE);
        GroupModels perGroup = GroupModels.fit(stats, GENES, groups, null, GroupModels.Selection.NONE, 0);
        PoolingChoice.Weights w = PoolingChoice.weights(stats, perGroup, GroupModels.Selection.NONE, null, 0,
                "choose");
        double s2 = 2 * (0.125 * 0.125 + 0.0625 * 0.0625) / 5;
        double[] mu = {1, 2, 3};
        // B: per-group slopes 0 (B constant within groups), so every group difference is missed: Σ (μ_k − μ_j)²
        assertEquals(2 * (1 + 4 + 1), w.groupError()[1], 1e-9);
        assertEquals(pooledError(mu, mu, 0, s2), w.pooledError()[1], 1e-9);
        assertEquals(1.0, w.weight()[1], 0.0);
        // D: per-group slope −1 exactly, missing only the offset of group 2: 4 ordered pairs × 1²
        assertEquals(-1.0, perGroup.coefficient(0, "A", "D"), 1e-9);
        assertEquals(4.0, w.groupError()[3], 1e-9);
        double[] dMeans = {-1, -2 + 1, -3};
        double pooledD = pooledError(mu, dMeans, -1, s2);
        assertEquals(pooledD, w.pooledError()[3], 1e-9);
        assertTrue(pooledD > 4, "the offset misleads the pooled slope: " + pooledD);
        assertEquals(0.0, w.weight()[3], 0.0);
        // genes without candidates keep weight 0 and no errors
        assertEquals(0.0, w.weight()[0], 0.0);
        assertTrue(Double.isNaN(w.groupError()[0]));
        PoolingChoice.Weights blend = PoolingChoice.weights(stats, perGroup, GroupModels.Selection.NONE, null, 0,
                "blend");
        assertEquals(12 / (12 + w.pooledError()[1]), blend.weight()[1], 1e-12);
        assertEquals(4 / (4 + pooledD), blend.weight()[3], 1e-12);
        // fewer than three groups: nothing unseen to extrapolate to, per-group models
        int[] two = Arrays.stream(groupOf).map(k -> k == 2 ? -1 : k).toArray();
        GroupModels.Stats stats2 = GroupModels.Stats.accumulate(x, two, 3, regs, Progress.NONE);
        assertEquals(0.0, PoolingChoice.weights(stats2, GroupModels.fit(stats2, GENES, groups, null,
                GroupModels.Selection.NONE, 0), GroupModels.Selection.NONE, null, 0, "choose").weight()[1], 0.0);

        // the whole fit: B's coefficients are the pooled model's in every group, D's each group's own
        PerturbOptions o = direct().withFitNeighbours(1).withLambda(0);
        var chosen = InSilicoPerturbation.run(new InSilicoPerturbation.Input(x, groupOf, groups, NET, lineEmbedding(x),
                "X_line", List.of(Perturbation.ko("A"))), o.withPoolingRule("choose"), Progress.NONE);
        var pooled = InSilicoPerturbation.run(new InSilicoPerturbation.Input(x, groupOf, groups, NET, lineEmbedding(x),
                "X_line", List.of(Perturbation.ko("A"))), o.withPooling(1), Progress.NONE);
        for (int k = 0; k < 3; k++) {
            assertEquals(pooled.models().coefficient(k, "A", "B"), chosen.models().coefficient(k, "A", "B"), 0.0);
            assertEquals(-1.0, chosen.models().coefficient(k, "A", "D"), 1e-9);
        }
        assertTrue(pooled.models().coefficient(0, "A", "B") > 0.9, "pooled B slope near 1");
    }

    @Test
    void gcvKeepsExactRelationsAndShrinksNoise() {
        Random rnd = new Random(3);
        int n = 400;
        float[] v = new float[n * 4];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            double a = 1 + rnd.nextGaussian();
            v[c * 4] = (float) a;
            v[c * 4 + 1] = (float) (1 + 0.5 * a);
            v[c * 4 + 2] = (float) (5 + rnd.nextGaussian()); // C unrelated to B
            v[c * 4 + 3] = (float) (3 - a + 0.3 * rnd.nextGaussian());
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, GENES);
        // single cells: this is about GCV, not about the smoothing of the fitted rows
        var r = run(x, new int[n], List.of("all"), List.of(Perturbation.ko("A")),
                direct().withFitNeighbours(1));
        assertEquals(0.5, r.models().coefficient(0, "A", "B"), 1e-3);
        assertEquals(-1.0, r.models().coefficient(0, "A", "D"), 0.05);
        assertTrue(Math.abs(r.models().coefficient(0, "B", "C")) < 0.15,
                "noise target shrunk: " + r.models().coefficient(0, "B", "C"));
    }

    @Test
    void lassoKeepsTheRegulatorAndDropsCorrelatedDecoys() {
        // B = 1 + 0.8 A + noise; five decoy TFs E1..E5 follow A (correlation ~0.7) but do not regulate B, and the
        // network offers all six as B's candidates with equal scores. F = 2 − E1 exactly (E1's own target).
        Random rnd = new Random(11);
        int n = 600;
        List<String> genes = List.of("A", "B", "E1", "E2", "E3", "E4", "E5", "F");
        int nG = genes.size();
        float[] v = new float[n * nG];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            double a = 2 + rnd.nextGaussian();
            v[c * nG] = (float) a;
            v[c * nG + 1] = (float) (1 + 0.8 * a + 0.3 * rnd.nextGaussian());
            for (int d = 2; d < 7; d++) {
                v[c * nG + d] = (float) (2 + 0.7 * (a - 2) + 0.7 * rnd.nextGaussian());
            }
            v[c * nG + 7] = (float) (2 + 2 - v[c * nG + 2]);
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, genes);
        List<Edge> net = new ArrayList<>();
        for (String tf : List.of("A", "E1", "E2", "E3", "E4", "E5")) {
            net.add(new Edge(tf, "B", 0.5, 0, Double.NaN));
        }
        net.add(new Edge("E1", "F", 0.9, 0, Double.NaN));
        PerturbOptions single = direct().withFitNeighbours(1);
        var lasso = InSilicoPerturbation.run(new InSilicoPerturbation.Input(x, new int[n], List.of("all"), net, null,
                null, List.of(Perturbation.ko("A"))), single.withRegression("lasso"), Progress.NONE);
        var ridge = InSilicoPerturbation.run(new InSilicoPerturbation.Input(x, new int[n], List.of("all"), net, null,
                null, List.of(Perturbation.ko("A"))), single.withRegression("ridge"), Progress.NONE);
        assertEquals(0.8, lasso.models().coefficient(0, "A", "B"), 0.05);
        double ridgeDecoys = 0;
        for (String d : List.of("E1", "E2", "E3", "E4", "E5")) {
            assertEquals(0.0, lasso.models().coefficient(0, d, "B"), 0.0, d + " → B is not selected");
            ridgeDecoys += Math.abs(ridge.models().coefficient(0, d, "B"));
        }
        assertTrue(ridgeDecoys > 0.01, "ridge gives the decoys weight: " + ridgeDecoys);
        assertEquals(-1.0, lasso.models().coefficient(0, "E1", "F"), 1e-4, "an exact single regulator is kept");
        for (int c = 0; c < n; c++) {
            double a = x.get(c, 0);
            assertEquals(-0.8 * a, lasso.delta()[c * nG + 1], 0.05 * Math.abs(a) + 1e-6, "δB, cell " + c);
            assertEquals(0.0, lasso.delta()[c * nG + 7], 0.0, "F's regulator E1 does not move");
        }
    }

    @Test
    void cellSelectionKeepsTheRegulatorGivenTheOthersWithinGroups() {
        // Three groups whose means of A, E and C all rise together (1, 2, 3). Within a group: B = 0.8·A + noise;
        // E follows A (correlation ~0.7) but does not regulate B; C only follows the groups' means. Candidates of
        // B and of C: A and E.
        Random rnd = new Random(5);
        int n = 900;
        List<String> genes = List.of("A", "B", "E", "C");
        float[] v = new float[n * 4];
        int[] groupOf = new int[n];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            int k = c % 3;
            groupOf[c] = k;
            double a = rnd.nextGaussian();
            v[c * 4] = (float) (1 + k + a);
            v[c * 4 + 1] = (float) (2 * k + 0.8 * a + 0.5 * rnd.nextGaussian());
            v[c * 4 + 2] = (float) (1 + k + 0.7 * a + 0.7 * rnd.nextGaussian());
            v[c * 4 + 3] = (float) (3 * k + 0.5 * rnd.nextGaussian());
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, genes);
        int[][] candidates = {{}, {2, 0}, {}, {0, 2}};
        int[][] sel = CellSelection.select(x, groupOf, 3, candidates, 1, Progress.NONE);
        assertArrayEquals(new int[]{0}, sel[1], "B keeps A, drops E");
        assertArrayEquals(new int[0], sel[3], "C follows only the group means: no regulator within groups");
        assertArrayEquals(new int[0], sel[0]);
        // every row in one group: the group means now look like regulation of C
        int[][] one = CellSelection.select(x, new int[n], 1, candidates, 1, Progress.NONE);
        assertTrue(one[3].length > 0, "without the groups C picks up a candidate");
        // rows of a too-small group and unassigned rows are left out
        int[] fewer = groupOf.clone();
        fewer[0] = -1;
        assertArrayEquals(new int[]{0}, CellSelection.select(x, fewer, 3, candidates, 1, Progress.NONE)[1]);
    }

    @Test
    void stabilitySelectionKeepsTheRegulatorAndDropsNoiseCandidates() {
        // Three groups whose means of A, B and C rise together. Within a group B = 0.8·A + noise; N1 and N2 are
        // independent noise (no effect on anything); C only follows the groups' means. Candidates of B: N1, A, N2;
        // of C: A, N1.
        Random rnd = new Random(11);
        int n = 900;
        List<String> genes = List.of("A", "B", "N1", "N2", "C");
        int nG = genes.size();
        float[] v = new float[n * nG];
        int[] groupOf = new int[n];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            int k = c % 3;
            groupOf[c] = k;
            double a = rnd.nextGaussian();
            v[c * nG] = (float) (1 + k + a);
            v[c * nG + 1] = (float) (2 * k + 0.8 * a + 0.5 * rnd.nextGaussian());
            v[c * nG + 2] = (float) rnd.nextGaussian();
            v[c * nG + 3] = (float) rnd.nextGaussian();
            v[c * nG + 4] = (float) (3 * k + 0.5 * rnd.nextGaussian());
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, genes);
        int[][] candidates = {{}, {2, 0, 3}, {}, {}, {0, 2}};
        int[][] within = StabilitySelection.select(x, groupOf, 3, candidates, 10, 0.8, 1, false, 3, Progress.NONE);
        assertArrayEquals(new int[]{0}, within[1], "B keeps A, drops the noise candidates");
        assertArrayEquals(new int[0], within[4], "C follows only the group means: nothing within groups");
        assertArrayEquals(new int[0], within[0], "no candidates, nothing kept");
        // all rows as one group, not centred per group: the group means are evidence, and C takes A (whose group
        // means rise with C's) in every half; B still keeps A and only A
        int[][] between = StabilitySelection.select(x, groupOf, 3, candidates, 10, 0.8, 1, true, 3, Progress.NONE);
        assertArrayEquals(new int[]{0}, between[1]);
        assertArrayEquals(new int[]{0}, between[4]);
        // seeded: the same halves give the same choice
        assertArrayEquals(within, StabilitySelection.select(x, groupOf, 3, candidates, 10, 0.8, 1, false, 3,
                Progress.NONE));
        // a threshold above 1 or at 0 is refused with the option's name
        ModelException e = Assertions.assertThrows(ModelException.class,
                () -> PerturbOptions.defaults().withStability(1.5));
        assertTrue(e.getMessage().contains("stability"), e.getMessage());
        Assertions.assertThrows(ModelException.class, () -> PerturbOptions.defaults().withStability(0));
    }

    @Test
    void stabilityOptionReachesTheFit() {
        // B = 0.8·A + noise in every cell; candidates of B: A and a noise gene N. Off, both get a ridge
        // coefficient; with the stability selection N's is exactly 0 and A's is the regulator's.
        Random rnd = new Random(2);
        int n = 600;
        List<String> genes = List.of("A", "B", "N");
        float[] v = new float[n * 3];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            double a = rnd.nextGaussian();
            v[c * 3] = (float) (2 + a);
            v[c * 3 + 1] = (float) (2 + 0.8 * a + 0.5 * rnd.nextGaussian());
            v[c * 3 + 2] = (float) (2 + rnd.nextGaussian());
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, genes);
        List<Edge> edges = List.of(new Edge("A", "B", 2, 1, Double.NaN), new Edge("N", "B", 1, 1, Double.NaN));
        InSilicoPerturbation.Input in = new InSilicoPerturbation.Input(x, new int[n], List.of("all"), edges, null,
                null, List.of(Perturbation.ko("A")));
        PerturbOptions off = direct().withFitNeighbours(1);
        double[] pcs = FitRows.pca(v, n, 3, 0).scores();
        int[][] regs = InSilicoPerturbation.regulators(edges, genes, 30);
        GroupModels plain = InSilicoPerturbation.fit(in, off, regs, pcs, GroupModels.Selection.NONE,
                GroupModels.Selection.NONE, 0, Progress.NONE);
        GroupModels stable = InSilicoPerturbation.fit(in, off.withStability(0.8), regs, pcs,
                GroupModels.Selection.NONE, GroupModels.Selection.NONE, 0, Progress.NONE);
        Assertions.assertNotEquals(0, plain.coefficient(0, "N", "B"));
        assertEquals(0, stable.coefficient(0, "N", "B"));
        assertEquals(0.8, stable.coefficient(0, "A", "B"), 0.1);
    }

    @Test
    void weightedRidgePenalisesEachCoefficientByItsFactor() {
        // two regulators, XᵀX = [[4, 1], [1, 2]], Xᵀy = [3, 1]; at λ = 0.5 with factors (1, 4) the solution of
        // (XᵀX + λ·diag(f)) b = Xᵀy is [[4.5, 1], [1, 4]] b = [3, 1]: b = (11/17, 1.5/17) by Cramer's rule
        double[] gram = {4, 1, 1, 2};
        double[] xty = {3, 1};
        double det = 4.5 * 4 - 1;
        RidgeGcv.Fit f = RidgeGcv.fitWeighted(gram, xty, 10, 50, 0.5, new double[]{1, 4});
        assertEquals((3 * 4 - 1 * 1) / det, f.coef()[0], 1e-12);
        assertEquals((4.5 * 1 - 1 * 3) / det, f.coef()[1], 1e-12);
        // factors all 1: plain ridge, GCV included
        RidgeGcv.Fit plain = RidgeGcv.fit(gram, xty, 10, 50, Double.NaN);
        RidgeGcv.Fit ones = RidgeGcv.fitWeighted(gram, xty, 10, 50, Double.NaN, new double[]{1, 1});
        assertArrayEquals(plain.coef(), ones.coef(), 1e-12);
        assertEquals(plain.lambda(), ones.lambda(), 1e-12);
    }

    @Test
    void agreementFactorsPenaliseACandidateWhoseEffectChangesSignBetweenGroups() {
        // two groups; A and E uncorrelated with equal spread within each group; B = A + E in group 0 and
        // B = A − E in group 1, exactly: A's standardised effect is the same in both groups, E's cancels
        List<String> genes = List.of("A", "E", "B");
        double[][] ae = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};
        int n = 8;
        float[] v = new float[n * 3];
        int[] groupOf = new int[n];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            int k = c / 4;
            groupOf[c] = k;
            double a = ae[c % 4][0];
            double e = ae[c % 4][1];
            v[c * 3] = (float) a;
            v[c * 3 + 1] = (float) e;
            v[c * 3 + 2] = (float) (k == 0 ? a + e : a - e);
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, genes);
        int[][] regs = {{}, {}, {0, 1}};
        GroupModels.Stats stats = GroupModels.Stats.accumulate(x, groupOf, 2, regs, Progress.NONE);
        GroupModels perGroup = GroupModels.fit(stats, genes, List.of("g0", "g1"), null, GroupModels.Selection.NONE,
                0);
        assertEquals(-1.0, perGroup.coefficient(1, "E", "B"), 1e-12);
        double[][] f = InSilicoPerturbation.agreementFactors(stats, perGroup, 1);
        // m_A = 1/√2 (sd A = 1, sd B = √2), m_E = 0: mean m² = 1/4, so f_A = (1/4)/(1/2), f_E clamped at 1e3
        assertEquals(0.5, f[2][0], 1e-12);
        assertEquals(1e3, f[2][1], 0.0);
        assertEquals(0, f[0].length);
        assertEquals(Math.sqrt(0.5), InSilicoPerturbation.agreementFactors(stats, perGroup, 0.5)[2][0], 1e-12);
    }

    @Test
    void statisticsReadTargetsFromTheirOwnRows() {
        // regulators from x, targets from y: B in y is exactly 1 + 2·A of x, while B in x is unrelated noise
        Random rnd = new Random(7);
        int n = 50;
        float[] vx = new float[n * 2];
        float[] vy = new float[n * 2];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            double a = rnd.nextGaussian();
            vx[c * 2] = (float) a;
            vx[c * 2 + 1] = (float) rnd.nextGaussian();
            vy[c * 2] = (float) rnd.nextGaussian();
            vy[c * 2 + 1] = (float) (1 + 2 * (double) vx[c * 2]);
            cells.add("c" + c);
        }
        List<String> genes = List.of("A", "B");
        ExpressionMatrix x = new ExpressionMatrix(vx, cells, genes);
        ExpressionMatrix y = new ExpressionMatrix(vy, cells, genes);
        int[][] regs = {{}, {0}};
        GroupModels.Stats split = GroupModels.Stats.accumulate(x, y, new int[n], 1, regs, Progress.NONE);
        GroupModels m = GroupModels.fit(split, genes, List.of("all"), null, GroupModels.Selection.NONE, 0);
        assertEquals(2.0, m.coefficient(0, "A", "B"), 1e-5);
        assertEquals(1.0, m.r2()[0][1], 1e-6);
        double meanB = 0;
        for (int c = 0; c < n; c++) {
            meanB += vy[c * 2 + 1];
        }
        assertEquals(meanB / n, split.targetMean(0, 1), 1e-9);
        // the same rows for both: the statistics are shared and the slope is x's own
        GroupModels.Stats same = GroupModels.Stats.accumulate(x, new int[n], 1, regs, Progress.NONE);
        assertTrue(same.tSum() == same.sum());
        assertTrue(Math.abs(GroupModels.fit(same, genes, List.of("all"), null, GroupModels.Selection.NONE, 0)
                .coefficient(0, "A", "B")) < 0.5);
        // merging keeps the target sums apart
        GroupModels.Stats merged = split.merge(new int[]{0}, 1);
        assertEquals(split.targetMean(0, 1), merged.targetMean(0, 1), 1e-12);
        assertEquals(split.mean(0, 1), merged.mean(0, 1), 1e-12);
    }

    @Test
    void propagationAddsEveryEdgeWhateverTheirOrder() {
        // edges A → C, A → B, B → C in that order (C's edges not adjacent); knock out A from 1
        List<String> genes = List.of("A", "B", "C");
        GroupModels m = new GroupModels(genes, List.of("g"), new int[]{0, 0, 1}, new int[]{2, 1, 2},
                new double[][]{{2, 0.5, 3}}, new double[][]{{0, 0, 0}}, new double[][]{{0, 0, 0}}, new int[]{1});
        float[] x = {1, 2, 10};
        double[] out = new double[3];
        double[] work = new double[3];
        new Propagation(m, new int[]{0}, new double[]{0}, 1, false).apply(x, 0, 0, out, work);
        assertArrayEquals(new double[]{-1, -0.5, -2}, out, 0.0);
        new Propagation(m, new int[]{0}, new double[]{0}, 2, false).apply(x, 0, 0, out, work);
        assertArrayEquals(new double[]{-1, -0.5, -2 - 1.5}, out, 0.0);
        // settled: more steps change nothing
        new Propagation(m, new int[]{0}, new double[]{0}, PerturbOptions.STEPS, false).apply(x, 0, 0, out, work);
        assertArrayEquals(new double[]{-1, -0.5, -3.5}, out, 0.0);
    }

    @Test
    void lassoSelectionFindsTheExactSupport() {
        // y = 2·x0 − x2 exactly among five random candidates
        Random rnd = new Random(2);
        int n = 200;
        int p = 5;
        double[][] x = new double[n][p];
        double[] y = new double[n];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < p; j++) {
                x[c][j] = rnd.nextGaussian();
            }
            y[c] = 2 * x[c][0] - x[c][2];
        }
        double[] gram = new double[p * p];
        double[] xty = new double[p];
        double yty = 0;
        for (int c = 0; c < n; c++) {
            for (int a = 0; a < p; a++) {
                xty[a] += x[c][a] * y[c];
                for (int b = 0; b < p; b++) {
                    gram[a * p + b] += x[c][a] * x[c][b];
                }
            }
            yty += y[c] * y[c];
        }
        assertArrayEquals(new boolean[]{true, false, true, false, false},
                LassoSelection.select(gram, xty, yty, n, null, 1));
        // a candidate the network ranks low (large penalty factor) still enters when it is needed
        assertArrayEquals(new boolean[]{true, false, true, false, false},
                LassoSelection.select(gram, xty, yty, n, new double[]{1, 2, 3, 4, 5}, 1));
        // a target uncorrelated with every candidate: nothing enters
        assertArrayEquals(new boolean[p], LassoSelection.select(gram, new double[p], 50.0, n, null, 1));
    }

    @Test
    void knockOutMovesCellsTowardLowerLevels() {
        // the embedding's x axis is A's level: knocking out A must point the arrows to smaller x
        ExpressionMatrix x = chain(200);
        var r = run(x, new int[200], List.of("all"), List.of(Perturbation.ko("A")),
                direct().withNeighbours(20));
        int left = 0;
        for (int c = 20; c < 180; c++) {
            // a cell whose 6 sampled neighbours all lie on one side gets no direction (uniform probabilities)
            assertTrue(r.vectors()[2 * c] <= 1e-12, "cell " + c + " moves to higher A: " + r.vectors()[2 * c]);
            left += r.vectors()[2 * c] < 0 ? 1 : 0;
        }
        assertTrue(left >= 150, left + " of 160 inner cells move toward lower A");
        assertTrue(r.groupSummaries().get(0).meanDx() < 0);
        assertTrue(!r.arrows().isEmpty());
        assertTrue(r.arrows().stream().filter(a -> a.mass() > 1).allMatch(a -> a.dx() < 0));
    }

    @Test
    void transitionArrowsAlsoMoveTowardLowerLevels() {
        // CellOracle's kNN transition vectors (arrows "transition") on the same chain
        ExpressionMatrix x = chain(200);
        var r = run(x, new int[200], List.of("all"), List.of(Perturbation.ko("A")),
                direct().withNeighbours(20).withArrows("transition"));
        int left = 0;
        for (int c = 20; c < 180; c++) {
            assertTrue(r.vectors()[2 * c] <= 1e-12, "cell " + c + " moves to higher A: " + r.vectors()[2 * c]);
            left += r.vectors()[2 * c] < 0 ? 1 : 0;
        }
        assertTrue(left >= 150, left + " of 160 inner cells move toward lower A");
    }

    @Test
    void projectedVectorsAreExactForALinearEmbedding() {
        // embedding = M · z exactly, so the local fit recovers M and the vector is M · Vᵀδ
        Random rnd = new Random(5);
        int n = 300;
        int q = 4;
        int genes = 6;
        double[] z = new double[n * q];
        for (int i = 0; i < z.length; i++) {
            z[i] = rnd.nextGaussian();
        }
        double[] m = {0.7, -0.2, 0.4, 1.1, 0.3, 0.9, -0.5, 0.2};
        double[] emb = new double[2 * n];
        for (int c = 0; c < n; c++) {
            for (int a = 0; a < q; a++) {
                emb[2 * c] += m[a] * z[c * q + a];
                emb[2 * c + 1] += m[q + a] * z[c * q + a];
            }
        }
        double[] loadings = new double[genes * q];
        for (int i = 0; i < loadings.length; i++) {
            loadings[i] = rnd.nextGaussian();
        }
        float[] delta = new float[n * genes];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = (float) rnd.nextGaussian();
        }
        int k = 40;
        int[] knn = Knn2d.neighbours(emb, k);
        double[] v = TransitionField.projectedVectors(delta, genes, z, loadings, q, q, emb, knn, k);
        for (int c = 0; c < n; c++) {
            double ex = 0;
            double ey = 0;
            for (int a = 0; a < q; a++) {
                double u = 0;
                for (int g = 0; g < genes; g++) {
                    u += delta[c * genes + g] * loadings[g * q + a];
                }
                ex += m[a] * u;
                ey += m[q + a] * u;
            }
            double scale = Math.max(1, Math.hypot(ex, ey));
            assertEquals(ex, v[2 * c], 0.02 * scale, "cell " + c);
            assertEquals(ey, v[2 * c + 1], 0.02 * scale, "cell " + c);
        }
    }

    @Test
    void smoothedFitRowsStayInTheirGroupAndRecoverANoisyRegulatorsEffect() {
        // B = 1 + 0.5·a and D = 3 − a of a latent a that 120 other genes also follow; A is read with heavy noise (as
        // a few counts are): fitting on single cells attenuates A → B, on rows averaged over neighbours (found in
        // the principal components, which the many genes dominate) it recovers much of it
        Random rnd = new Random(7);
        int n = 2000;
        int nG = 124;
        float[] v = new float[n * nG];
        List<String> cells = new ArrayList<>();
        List<String> genes = new ArrayList<>(GENES);
        for (int g = 4; g < nG; g++) {
            genes.add("R" + g);
        }
        int[] group = new int[n];
        for (int c = 0; c < n; c++) {
            double a = 2 * rnd.nextGaussian();
            group[c] = c % 2;
            v[c * nG] = (float) (a + 2 * rnd.nextGaussian());
            v[c * nG + 1] = (float) (1 + 0.5 * a + 0.2 * rnd.nextGaussian());
            v[c * nG + 2] = (float) (5 + 10 * group[c] + rnd.nextGaussian());
            v[c * nG + 3] = (float) (3 - a + 0.2 * rnd.nextGaussian());
            for (int g = 4; g < nG; g++) {
                v[c * nG + g] = (float) (a + rnd.nextGaussian());
            }
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, genes);
        FitRows.Rows rows = FitRows.smooth(x, group, 2, 30, FitRows.pca(v, n, nG, 0).scores(), 0);
        assertEquals(n, rows.x().nCells());
        for (int r = 0; r < n; r++) {
            // C is 5 in group 0 and 15 in group 1: an average over both groups would fall in between
            double c = rows.x().get(r, 2);
            assertTrue(rows.groupOf()[r] == 0 ? c < 8 : c > 12, "row " + r + " mixes groups: C = " + c);
        }
        List<String> both = List.of("g0", "g1");
        int[][] regs = InSilicoPerturbation.regulators(NET, genes, 30);
        double b1 = GroupModels.fit(x, group, both, regs, Double.NaN, Progress.NONE).coefficient(0, "A", "B");
        double b30 = GroupModels.fit(rows.x(), rows.groupOf(), both, regs, Double.NaN, Progress.NONE)
                .coefficient(0, "A", "B");
        assertTrue(b1 < 0.3, "single cells attenuate: " + b1);
        assertTrue(b30 > b1 + 0.1 && b30 < 0.55, "smoothed rows recover much of 0.5: " + b30 + " vs " + b1);
        FitRows.Rows again = FitRows.smooth(x, group, 2, 30, FitRows.pca(v, n, nG, 0).scores(), 0);
        assertArrayEquals(rows.x().values(), again.x().values(), "deterministic");
        // each row's own cell, unsmoothed: the cell of the same name
        ExpressionMatrix own = rows.own();
        for (int r = 0; r < n; r += 37) {
            int c = x.cells().indexOf(rows.x().cells().get(r));
            for (int g = 0; g < nG; g++) {
                assertEquals(x.get(c, g), own.get(r, g), 0.0);
            }
        }
        FitRows.Rows single = FitRows.smooth(x, group, 2, 1, FitRows.pca(v, n, nG, 0).scores(), 0);
        assertTrue(single.own() == single.x() && single.x() == x, "nothing smoothed: the cells themselves");
    }

    @Test
    void neighbourSampleIsSeeded() {
        int[] knn = new int[10 * 20];
        for (int i = 0; i < knn.length; i++) {
            knn[i] = i % 20;
        }
        int[] a = InSilicoPerturbation.sample(knn, 10, 20, 6, 3);
        assertArrayEquals(a, InSilicoPerturbation.sample(knn, 10, 20, 6, 3));
        assertTrue(!Arrays.equals(a, InSilicoPerturbation.sample(knn, 10, 20, 6, 4)));
        for (int c = 0; c < 10; c++) {
            assertEquals(6, Arrays.stream(a, c * 6, c * 6 + 6).distinct().count(), "without replacement");
        }
    }

    @Test
    void computesAPcaWhenThereIsNoEmbedding() {
        ExpressionMatrix x = chain(30);
        var r = InSilicoPerturbation.run(new InSilicoPerturbation.Input(x, new int[30], List.of("all"), NET, null,
                null, List.of(Perturbation.ko("A"))), PerturbOptions.defaults(), Progress.NONE);
        assertEquals("X_pca (computed)", r.embeddingName());
        assertEquals(60, r.embedding().length);
        assertEquals(8, r.pcaLoadings().length);
    }

    @Test
    void parsesPerturbations() {
        assertEquals(Perturbation.ko("GATA1"), Perturbation.parse("GATA1=0"));
        assertEquals(Perturbation.ko("GATA1"), Perturbation.parse("GATA1=ko"));
        assertEquals(Perturbation.set("GATA1", 2.5), Perturbation.parse("GATA1=2.5"));
        assertEquals("GATA1=2.5", Perturbation.set("GATA1", 2.5).label());
        assertEquals("GATA1-ko", Perturbation.ko("GATA1").label());
        Assertions.assertThrows(ModelException.class,
                () -> Perturbation.parse("GATA1=x"));
        Assertions.assertThrows(ModelException.class,
                () -> Perturbation.parse("GATA1=-1"));
    }

    @Test
    void knnMatchesBruteForce() {
        Random rnd = new Random(5);
        int n = 700;
        double[] xy = new double[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            xy[i] = i % 2 == 0 ? rnd.nextGaussian() * 3 : rnd.nextGaussian() * 0.5 + (i % 7 == 1 ? 4 : 0);
        }
        int k = 9;
        int[] knn = Knn2d.neighbours(xy, k);
        for (int i = 0; i < n; i++) {
            final int q = i;
            int[] brute = IntStream.range(0, n).filter(j -> j != q).boxed()
                    .sorted(Comparator.comparingDouble((Integer j) -> d2(xy, q, j)).thenComparing(j -> j))
                    .limit(k).mapToInt(Integer::intValue).toArray();
            for (int t = 0; t < k; t++) {
                assertEquals(d2(xy, i, brute[t]), d2(xy, i, knn[i * k + t]), 1e-12, "point " + i + " rank " + t);
            }
        }
    }

    private static double d2(double[] xy, int i, int j) {
        double dx = xy[2 * i] - xy[2 * j];
        double dy = xy[2 * i + 1] - xy[2 * j + 1];
        return dx * dx + dy * dy;
    }
}
