package io.scgrn.models.perturb;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Round 11's knobs on multi-step paths (docs/benchmarks.md, "In-silico perturbation: round 11"): step damping and the
 * path gate in {@link Propagation}, and the network's indirect edges removed by the data-processing inequality
 * ({@link IndirectEdges}), each on a hand-built network with an exact expected effect.
 */
class MultiStepPathsTest {
    /** Edges A → B (2), B → C (0.5), C → D (3), A → D (1), one group; genes A, B, C, D. */
    private static GroupModels chain() {
        return new GroupModels(List.of("A", "B", "C", "D"), List.of("g"), new int[]{0, 1, 0, 2},
                new int[]{1, 2, 3, 3}, new double[][]{{2, 0.5, 1, 3}}, new double[][]{{0, 0, 0, 0}},
                new double[][]{{0, 0, 0, 0}}, new int[]{1});
    }

    /** A knocked out from 1 (δA = −1), no clipping, {@code steps} steps with pass-on shares {@code passOn}. */
    private static double[] knockOut(int steps, double[] passOn) {
        float[] x = {1, 5, 5, 5};
        double[] out = new double[4];
        new Propagation(chain(), new int[]{0}, new double[]{0}, steps, false, passOn).apply(x, 0, 0, out,
                new double[4]);
        return out;
    }

    @Test
    void dampingWeighsAPathOfKEdgesByLambdaToTheKMinusOne() {
        // δB = 2·δA = −2 (one edge: never damped); δC = λ·δB·0.5 = −λ (two edges); δD = 1·δA + 3·λ·δC = −1 − 3λ²
        for (double lambda : new double[]{1, 0.75, 0.5}) {
            double[] passOn = new double[4];
            Arrays.fill(passOn, lambda);
            assertArrayEquals(new double[]{-1, -2, -lambda, -1 - 3 * lambda * lambda}, knockOut(10, passOn), 1e-12,
                    "λ " + lambda);
        }
        // λ 1 is the plain propagation, the same arithmetic to the bit
        double[] ones = {1, 1, 1, 1};
        assertArrayEquals(knockOut(10, null), knockOut(10, ones), 0.0);
        assertArrayEquals(new double[]{-1, -2, -1, -4}, knockOut(10, null), 0.0);
        // one step reads only the perturbed gene, which is never damped
        assertArrayEquals(new double[]{-1, -2, 0, -1}, knockOut(1, new double[]{0.5, 0.5, 0.5, 0.5}), 0.0);
        // the perturbed gene's own share is ignored: it passes δ(0) on in full
        assertArrayEquals(knockOut(10, null), knockOut(10, new double[]{0, 1, 1, 1}), 0.0);
    }

    @Test
    void theGateStopsPathsThroughRegulatorsWhoseTwoEstimatesDisagree() {
        // B's one-step shifts: direct −2, total +0.3 (disagree): B keeps its own shift but passes none on, so C is
        // not reached and D only by A's own edge; C's agree (both negative) but C is reached only through B
        double[] direct1 = {-1, -2, -0.1, -1};
        double[] total1 = {-1, 0.3, -0.2, -0.5};
        double[] passOn = InSilicoPerturbation.passOn(1, direct1, total1, 4);
        assertArrayEquals(new double[]{1, 0, 1, 1}, passOn, 0.0);
        assertArrayEquals(new double[]{-1, -2, 0, -1}, knockOut(10, passOn), 0.0);
        // a zero in either estimate fails the test; with damping the passing genes keep λ
        assertArrayEquals(new double[]{0.5, 0, 0, 0.5}, InSilicoPerturbation.passOn(0.5, direct1,
                new double[]{-1, 0.3, 0, -0.5}, 4), 0.0);
        // no gate: λ everywhere
        assertArrayEquals(new double[]{0.75, 0.75, 0.75, 0.75}, InSilicoPerturbation.passOn(0.75, null, null, 4),
                0.0);
    }

    @Test
    void dpiDropsTheEdgeWeakerThanBothLegsOfATriangle() {
        List<String> genes = List.of("T", "U", "W", "J", "K");
        // TFs T, U (they have edges out). T → J (0.5) is weaker than T → U (0.9) and U → J (0.8): indirect.
        // T → K (0.7) is stronger than min(T → U, U → K) = 0.2: direct. T → W (0.3) into the TF-less gene W via
        // U → W (0.85): indirect. U's best edges are never indirect (nothing scores U → T).
        List<Edge> net = List.of(new Edge("T", "U", 0.9, 1, Double.NaN), new Edge("U", "J", 0.8, 1, Double.NaN),
                new Edge("T", "J", 0.5, 1, Double.NaN), new Edge("T", "K", 0.7, 1, Double.NaN),
                new Edge("U", "K", 0.2, 1, Double.NaN), new Edge("T", "W", 0.3, 1, Double.NaN),
                new Edge("U", "W", 0.85, 1, Double.NaN), new Edge("T", "X", 0.1, 1, Double.NaN));
        List<String> kept = names(IndirectEdges.drop(net, genes, 0, false));
        assertEquals(List.of("T>U", "U>J", "T>K", "U>K", "U>W", "T>X"), kept);
        // tolerance 0.5: T → J needs a path above 0.5 / 0.5 = 1, none; T → W needs one above 0.6: U (0.85, 0.9)
        assertEquals(List.of("T>U", "U>J", "T>J", "T>K", "U>K", "U>W", "T>X"),
                names(IndirectEdges.drop(net, genes, 0.5, false)));
        // only edges into TFs judged: here no TF is a target but U, whose only edge in (T → U) is its best
        assertEquals(names(net), names(IndirectEdges.drop(net, genes, 0, true)));
        // an edge into a TF through a third TF: T → U (0.3) with T → V (0.9), V → U (0.8)
        List<Edge> tf = List.of(new Edge("T", "V", 0.9, 1, Double.NaN), new Edge("V", "U", 0.8, 1, Double.NaN),
                new Edge("T", "U", 0.3, 1, Double.NaN), new Edge("U", "J", 0.6, 1, Double.NaN));
        List<String> g2 = List.of("T", "U", "V", "J");
        assertEquals(List.of("T>V", "V>U", "U>J"), names(IndirectEdges.drop(tf, g2, 0, true)));
    }

    private static List<String> names(List<Edge> edges) {
        return edges.stream().map(e -> e.tf() + ">" + e.target()).toList();
    }

    /** B = 1 + 0.5 A, C = 0.3 + 2 B exactly; A from 0.5 to 2.5 (as InSilicoPerturbationTest's chain, without D). */
    private static ExpressionMatrix abc(int n) {
        float[] v = new float[n * 3];
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            double a = 0.5 + 2.0 * c / (n - 1);
            v[c * 3] = (float) a;
            v[c * 3 + 1] = (float) (1 + 0.5 * a);
            v[c * 3 + 2] = (float) (0.3 + 2 * (1 + 0.5 * a));
            cells.add("c" + c);
        }
        return new ExpressionMatrix(v, cells, List.of("A", "B", "C"));
    }

    private static InSilicoPerturbation.Result run(ExpressionMatrix x, List<Edge> net, PerturbOptions o) {
        double[] emb = new double[2 * x.nCells()];
        for (int c = 0; c < x.nCells(); c++) {
            emb[2 * c] = x.get(c, 0);
            emb[2 * c + 1] = 0.01 * (c % 3);
        }
        return InSilicoPerturbation.run(new InSilicoPerturbation.Input(x, new int[x.nCells()], List.of("all"), net,
                emb, "X_line", List.of(Perturbation.ko("A"))), o, Progress.NONE);
    }

    @Test
    void optionsReachTheRun() {
        ExpressionMatrix x = abc(11);
        // A → C (0.5) is weaker than A → B (1) and B → C (0.9): the DPI removes it, and C is reached through B
        List<Edge> net = List.of(new Edge("A", "B", 1, 1, Double.NaN), new Edge("B", "C", 0.9, 1, Double.NaN),
                new Edge("A", "C", 0.5, 1, Double.NaN));
        PerturbOptions direct = InSilicoPerturbationTest.direct().withLambda(0).withSteps(3);
        var pruned = run(x, net, direct.withIndirect(0, false));
        assertEquals(0.5, pruned.models().coefficient(0, "A", "B"), 1e-4);
        assertEquals(2.0, pruned.models().coefficient(0, "B", "C"), 1e-4);
        assertTrue(!hasEdge(pruned.models(), "A", "C"), "A → C is not a candidate");
        // with C not a TF, the TF-targets-only DPI keeps A → C
        assertTrue(hasEdge(run(x, net, InSilicoPerturbationTest.direct().withSteps(3).withIndirect(0, true))
                .models(), "A", "C"));
        // damping ½ on the pruned network: δB = −a/2 (one edge), δC = ½ · 2 · δB = −a/2 (two edges)
        var damped = run(x, net, direct.withIndirect(0, false).withPaths(0.5, false));
        for (int c = 0; c < 11; c++) {
            double a = x.get(c, 0);
            assertEquals(-a, pruned.delta()[c * 3 + 2], 1e-4, "undamped C, cell " + c);
            assertEquals(-0.5 * a, damped.delta()[c * 3 + 1], 1e-4, "B, cell " + c);
            assertEquals(-0.5 * a, damped.delta()[c * 3 + 2], 1e-4, "damped C, cell " + c);
        }
        // bad settings are refused with the option's name
        assertEquals("path-damping", assertThrows(ModelException.class,
                () -> PerturbOptions.defaults().withPaths(0, false)).field());
        assertEquals("path-damping", assertThrows(ModelException.class,
                () -> PerturbOptions.defaults().withPaths(1.5, false)).field());
        assertEquals("path-gate", assertThrows(ModelException.class,
                () -> direct.withPaths(1, true)).field());
        assertEquals("indirect-eps", assertThrows(ModelException.class,
                () -> PerturbOptions.defaults().withIndirect(1, false)).field());
        PerturbOptions d = PerturbOptions.defaults();
        assertEquals(1.0, d.pathDamping());
        assertTrue(!d.pathGate() && Double.isNaN(d.indirectEps()) && !d.indirectTfs(), "off by default");
    }

    private static boolean hasEdge(GroupModels m, String reg, String tgt) {
        int r = m.genes().indexOf(reg);
        int t = m.genes().indexOf(tgt);
        for (int e = 0; e < m.edgeReg().length; e++) {
            if (m.edgeReg()[e] == r && m.edgeTgt()[e] == t) {
                return true;
            }
        }
        return false;
    }
}
