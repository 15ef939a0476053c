package io.scgrn.models.sim;

import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.ModelException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CounterfactualTest {
    private static final SimulationConfig CFG = new SimulationConfig(400, 120, 1500, 12, 3, 0.1, 0.5, 11);

    /** The TF with the most direct targets. */
    private static String hub(Simulation sim) {
        Map<String, Long> n = new HashMap<>();
        sim.edges().forEach(e -> n.merge(e.tf(), 1L, Long::sum));
        return n.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey();
    }

    /** Genes reachable from {@code tf} through the true edges. */
    private static Set<String> descendants(Simulation sim, String tf) {
        Set<String> out = new HashSet<>();
        List<String> frontier = new ArrayList<>(List.of(tf));
        while (!frontier.isEmpty()) {
            String t = frontier.remove(frontier.size() - 1);
            for (Simulation.TrueEdge e : sim.edges()) {
                if (e.tf().equals(t) && out.add(e.target())) {
                    frontier.add(e.target());
                }
            }
        }
        return out;
    }

    @Test
    void originalIsTheUnperturbedSimulationAndOnlyDescendantsChange() {
        Simulation plain = MultiomeSimulator.simulate(CFG);
        String tf = hub(plain);
        Counterfactual cf = Counterfactual.simulate(CFG, Map.of(tf, 0.0));
        // the hook must not change the original data
        assertArrayEquals(plain.rna().indices(), cf.original().rna().indices());
        assertArrayEquals(plain.rna().indptr(), cf.original().rna().indptr());
        Set<String> down = descendants(plain, tf);
        assertTrue(down.size() >= 3, "hub has targets: " + down);
        int tfIdx = plain.genes().indexOf(tf);
        for (int g = 0; g < CFG.genes(); g++) {
            String name = plain.genes().get(g);
            if (g == tfIdx) {
                assertEquals(Double.NEGATIVE_INFINITY, cf.latentCf()[g][0]);
            } else if (!down.contains(name)) {
                assertArrayEquals(cf.latentOrig()[g], cf.latentCf()[g], 0.0, name + " is not downstream of " + tf);
            }
        }
        // a knocked-out TF has no counts at all
        double[] tfCounts = column(cf.rna(), tfIdx);
        assertEquals(0, Arrays.stream(tfCounts).sum(), 0.0);
        // activated targets fall, repressed ones rise: in mean latent level and in mean counts
        int checked = 0;
        for (Simulation.TrueEdge e : plain.edges()) {
            if (!e.tf().equals(tf)) {
                continue;
            }
            int g = plain.genes().indexOf(e.target());
            double dl = mean(cf.latentCf()[g]) - mean(cf.latentOrig()[g]);
            assertEquals(-e.sign(), Math.signum(dl), 0.0, "latent change of " + e.target());
            double dc = mean(column(cf.rna(), g)) - mean(column(plain.rna(), g));
            if (Math.abs(dl) > 0.2) {
                assertEquals(-e.sign(), Math.signum(dc), 0.0, "count change of " + e.target());
                checked++;
            }
        }
        assertTrue(checked >= 2, "some targets have a clear effect");
    }

    @Test
    void countsOfUnaffectedGenesMoveOnlyWithTheirLibraryShare() {
        Simulation plain = MultiomeSimulator.simulate(CFG);
        String tf = hub(plain);
        Counterfactual cf = Counterfactual.simulate(CFG, Map.of(tf, 0.0));
        Set<String> down = descendants(plain, tf);
        long same = 0;
        long total = 0;
        double[][] a = new double[CFG.genes()][];
        double[][] b = new double[CFG.genes()][];
        for (int g = 0; g < CFG.genes(); g++) {
            a[g] = column(plain.rna(), g);
            b[g] = column(cf.rna(), g);
        }
        for (int c = 0; c < CFG.cells(); c++) {
            boolean up = false;
            boolean downward = false;
            for (int g = 0; g < CFG.genes(); g++) {
                if (down.contains(plain.genes().get(g)) || plain.genes().get(g).equals(tf)) {
                    continue;
                }
                same += a[g][c] == b[g][c] ? 1 : 0;
                total++;
                up |= b[g][c] > a[g][c];
                downward |= b[g][c] < a[g][c];
            }
            // the unaffected genes' means all scale by the same factor (the softmax denominator), and the
            // coupling is monotone: within a cell they cannot move in both directions
            assertTrue(!(up && downward), "cell " + c + " has unaffected genes moving both ways");
        }
        assertTrue(same > 0.6 * total, same + " of " + total);
    }

    @Test
    void overExpressionRaisesActivatedTargetsAndIsDeterministic() {
        Simulation plain = MultiomeSimulator.simulate(CFG);
        String tf = hub(plain);
        Counterfactual a = Counterfactual.simulate(CFG, Map.of(tf, 4.0));
        Counterfactual b = Counterfactual.simulate(CFG, Map.of(tf, 4.0));
        assertArrayEquals(((NumArray.F32) a.rna().data()).values(),
                ((NumArray.F32) b.rna().data()).values());
        int tfIdx = plain.genes().indexOf(tf);
        assertEquals(Math.log(4), a.latentCf()[tfIdx][7] - a.latentOrig()[tfIdx][7], 1e-12);
        assertTrue(mean(column(a.rna(), tfIdx)) > 2.5 * mean(column(plain.rna(), tfIdx)));
    }

    @Test
    void rejectsUnknownTfsAndBadFactors() {
        assertThrows(ModelException.class, () -> Counterfactual.simulate(CFG, Map.of("G001", 0.0)));
        assertThrows(ModelException.class, () -> Counterfactual.simulate(CFG, Map.of("NOPE", 0.0)));
        assertThrows(ModelException.class, () -> Counterfactual.simulate(CFG, Map.of("TF01", -1.0)));
    }

    @Test
    void couplingCdfIsConsistent() {
        for (double mu : new double[]{0.3, 4, 60}) {
            for (int k = 0; k < 30; k++) {
                double hi = Counterfactual.cdf(k, mu, 0.1);
                double lo = k == 0 ? 0 : Counterfactual.cdf(k - 1, mu, 0.1);
                if (hi - lo < 1e-9) {
                    continue; // the step is below rounding
                }
                double u = (lo + hi) / 2;
                assertEquals(k, Counterfactual.inverse(u, mu, 0.1), "mu " + mu);
            }
        }
    }

    static double[] column(SparseMatrix m, int g) {
        double[] out = new double[m.nRows()];
        for (int r = 0; r < m.nRows(); r++) {
            for (long p = m.indptr()[r]; p < m.indptr()[r + 1]; p++) {
                if (m.indices()[(int) p] == g) {
                    out[r] = m.data().get((int) p);
                }
            }
        }
        return out;
    }

    static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }
}
