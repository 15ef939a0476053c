package io.scgrn.models.perturb;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WithinGroupParentsTest {
    private static final int GROUPS = 3;
    private static final int PER_GROUP = 1000;

    /**
     * Genes A (the target's regulator), M (a type marker: its level follows the cell type's, not A) and Y = A + a
     * cell-type effect + noise. Pooled over the cells, M explains Y beyond A (both carry the type); within each type
     * it does not. Cells × 3, row-major.
     */
    private static float[] confounded(int[] groupOf) {
        Random rnd = new Random(7);
        float[] v = new float[GROUPS * PER_GROUP * 3];
        for (int c = 0; c < GROUPS * PER_GROUP; c++) {
            int k = c / PER_GROUP;
            groupOf[c] = k;
            double type = 2.0 * k;
            double a = type + rnd.nextGaussian();
            double m = type + rnd.nextGaussian();
            double y = a + 1.5 * type + 0.5 * rnd.nextGaussian();
            v[c * 3] = (float) a;
            v[c * 3 + 1] = (float) m;
            v[c * 3 + 2] = (float) y;
        }
        return v;
    }

    @Test
    void withinGroupEvidenceDropsTheTypeMarkerThePooledStatisticKeeps() {
        int[] groupOf = new int[GROUPS * PER_GROUP];
        float[] v = confounded(groupOf);
        List<String> genes = List.of("A", "M", "Y");
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < groupOf.length; c++) {
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, genes);
        // the network ranks the marker first for Y
        int[][] cand = {{}, {}, {1, 0}};
        double[][] within = WithinGroupParents.partialCorrelations(
                GroupModels.Stats.accumulate(x, groupOf, GROUPS, cand, Progress.NONE), cand);
        assertEquals(0, within[2][0], 0.06, "the marker given A, within the types: no evidence");
        assertTrue(within[2][1] > 0.8, "A given the marker, within the types: " + within[2][1]);
        // the same statistic pooled over the types (one group) keeps the marker: the confounding is real
        int[] one = new int[groupOf.length];
        double[][] pooled = WithinGroupParents.partialCorrelations(
                GroupModels.Stats.accumulate(x, one, 1, cand, Progress.NONE), cand);
        assertTrue(pooled[2][0] > 0.3, "the marker given A, pooled: " + pooled[2][0]);

        int[][] kept = WithinGroupParents.select(x, groupOf, GROUPS, cand, 0.1, 0, Progress.NONE);
        assertArrayEquals(new int[]{0}, kept[2]);
        assertArrayEquals(new int[0], kept[0]);
        // pooled, both kept (best |ρ| first)
        assertArrayEquals(new int[]{0, 1}, WithinGroupParents.select(x, one, 1, cand, 0.1, 0, Progress.NONE)[2]);
        // at least `min` kept whatever their |ρ|, best first
        assertArrayEquals(new int[]{0, 1}, WithinGroupParents.select(x, groupOf, GROUPS, cand, 0.1, 2,
                Progress.NONE)[2]);

        // wired into the perturbation: with the option, the fitted models have no edge M → Y
        InSilicoPerturbation.Input in = new InSilicoPerturbation.Input(x, groupOf, List.of("g0", "g1", "g2"),
                List.of(new Edge("M", "Y", 2, 1, Double.NaN), new Edge("A", "Y", 1, 1, Double.NaN)), null, null,
                List.of(Perturbation.ko("A")));
        PerturbOptions o = PerturbOptions.defaults().withTotalEffect(0, 0).withSteps(1);
        GroupModels without = InSilicoPerturbation.run(in, o, Progress.NONE).models();
        GroupModels with = InSilicoPerturbation.run(in, o.withParents(0.1, 0), Progress.NONE).models();
        assertEquals(2, without.edgeReg().length);
        assertArrayEquals(new int[]{0}, with.edgeReg());
        assertArrayEquals(new int[]{2}, with.edgeTgt());
    }

    @Test
    void parentPenaltyShrinksTheTypeMarkerThePooledModelCredits() {
        int[] groupOf = new int[GROUPS * PER_GROUP];
        float[] v = confounded(groupOf);
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < groupOf.length; c++) {
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, List.of("A", "M", "Y"));
        InSilicoPerturbation.Input in = new InSilicoPerturbation.Input(x, groupOf, List.of("g0", "g1", "g2"),
                List.of(new Edge("M", "Y", 2, 1, Double.NaN), new Edge("A", "Y", 1, 1, Double.NaN)), null, null,
                List.of(Perturbation.ko("M")));
        // a fixed ridge penalty: with GCV the penalty is chosen again on the rescaled problem, and with this much
        // signal it becomes so small that the factors barely act (why the option measured level: round 8)
        PerturbOptions o = PerturbOptions.defaults().withTotalEffect(0, 0).withSteps(1).withLambda(1000);
        GroupModels plain = InSilicoPerturbation.run(in, o, Progress.NONE).models();
        GroupModels penalised = InSilicoPerturbation.run(in, o.withParentPenalty(1), Progress.NONE).models();
        int m = -1;
        for (int e = 0; e < plain.edgeReg().length; e++) {
            if (plain.edgeReg()[e] == 1) {
                m = e;
            }
        }
        for (int k = 0; k < GROUPS; k++) {
            // the pooled model sees the types' differences and credits the marker; its within-group |ρ| ≈ 0 makes
            // its penalty 1000× the mean, so the penalised fit gives it (almost) nothing
            assertTrue(Math.abs(plain.coef()[k][m]) > 0.2, "marker's coefficient without penalty: "
                    + plain.coef()[k][m]);
            assertTrue(Math.abs(penalised.coef()[k][m]) < 0.25 * Math.abs(plain.coef()[k][m]),
                    "marker's coefficient with penalty: " + penalised.coef()[k][m]);
        }
    }

    @Test
    void badParentSettingsNameTheirField() {
        ModelException e = assertThrows(ModelException.class, () -> PerturbOptions.defaults().withParents(1.5, 3));
        assertTrue(e.getMessage().contains("parent-pcor"), e.getMessage());
        e = assertThrows(ModelException.class, () -> PerturbOptions.defaults().withParents(0.1, -1));
        assertTrue(e.getMessage().contains("min-parents"), e.getMessage());
        e = assertThrows(ModelException.class, () -> PerturbOptions.defaults().withParentPenalty(-0.5));
        assertTrue(e.getMessage().contains("parent-penalty"), e.getMessage());
        // off by default: the round-7 pipeline
        assertTrue(Double.isNaN(PerturbOptions.defaults().parentPcor()));
        assertEquals(0, PerturbOptions.defaults().parentPenalty());
    }

    @Test
    void pcorFactorsFollowTheirFormula() {
        double[][] f = InSilicoPerturbation.pcorFactors(new double[][]{{0.5, -0.1, 0}, {}, {0, 0}}, 1);
        double mean = (0.25 + 0.01) / 3;
        assertArrayEquals(new double[]{mean / 0.25, mean / 0.01, 1e3}, f[0], 1e-12);
        assertArrayEquals(new double[0], f[1]);
        assertArrayEquals(new double[]{1, 1}, f[2], 0, "no evidence at all: plain ridge");
        assertArrayEquals(new double[]{Math.sqrt(mean / 0.25), Math.sqrt(mean / 0.01), 1e3},
                InSilicoPerturbation.pcorFactors(new double[][]{{0.5, -0.1, 0}}, 0.5)[0], 1e-12);
    }

    @Test
    void partialCorrelationsMatchTheClosedForms() {
        Random rnd = new Random(3);
        int n = 500;
        double[] a = new double[n];
        double[] b = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextGaussian();
            b[i] = 0.6 * a[i] + rnd.nextGaussian();
            y[i] = a[i] - 0.5 * b[i] + rnd.nextGaussian();
        }
        double[] ca = centred(a);
        double[] cb = centred(b);
        double[] cy = centred(y);
        double saa = dot(ca, ca);
        double sbb = dot(cb, cb);
        double syy = dot(cy, cy);
        double sab = dot(ca, cb);
        double say = dot(ca, cy);
        double sby = dot(cb, cy);
        // one regressor: the plain correlation
        assertEquals(say / Math.sqrt(saa * syy), WithinGroupParents.partialCorrelations(new double[]{saa},
                new double[]{say}, syy)[0], 1e-6);
        // two: (r_ya − r_yb r_ab) / √((1 − r_yb²)(1 − r_ab²))
        double rya = say / Math.sqrt(saa * syy);
        double ryb = sby / Math.sqrt(sbb * syy);
        double rab = sab / Math.sqrt(saa * sbb);
        double[] r = WithinGroupParents.partialCorrelations(new double[]{saa, sab, sab, sbb},
                new double[]{say, sby}, syy);
        assertEquals((rya - ryb * rab) / Math.sqrt((1 - ryb * ryb) * (1 - rab * rab)), r[0], 1e-5);
        assertEquals((ryb - rya * rab) / Math.sqrt((1 - rya * rya) * (1 - rab * rab)), r[1], 1e-5);
        assertTrue(r[1] < 0);
        // a constant target: no evidence for anything
        assertArrayEquals(new double[2], WithinGroupParents.partialCorrelations(new double[]{saa, sab, sab, sbb},
                new double[]{0, 0}, 0), 0);
    }

    private static double[] centred(double[] v) {
        double m = Arrays.stream(v).average().orElse(0);
        return Arrays.stream(v).map(d -> d - m).toArray();
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
