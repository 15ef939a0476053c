package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.numerics.ReferenceStatistics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

class TfActivityTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    private static final int N = 300;
    private static final int G = 30;

    /**
     * g0 is a TF whose mRNA is noise (flat: independent of its activity h); g1–g6 follow h (g4 with the opposite
     * sign), every other gene is noise. {@code tfLink} mixes h into the TF's own mRNA.
     */
    private static float[] hidden(long seed, double tfLink) {
        Random r = new Random(seed);
        float[] x = new float[N * G];
        for (int c = 0; c < N; c++) {
            double h = r.nextGaussian();
            for (int j = 0; j < G; j++) {
                double noise = r.nextGaussian();
                double v;
                if (j == 0) {
                    v = tfLink * h + noise;
                } else if (j <= 6) {
                    v = (j == 4 ? -1.2 : 1.2) * h + noise;
                } else {
                    v = noise;
                }
                x[c * G + j] = (float) v;
            }
        }
        return x;
    }

    private static ExpressionMatrix matrix(float[] x) {
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < N; c++) {
            cells.add("c" + c);
        }
        List<String> genes = new ArrayList<>();
        for (int j = 0; j < G; j++) {
            genes.add("g" + j);
        }
        return new ExpressionMatrix(x, cells, genes);
    }

    /** A first pass for TF g0 that ranks the six targets among noise genes 7..10 (k = 10 takes them all). */
    private static float[] firstPass() {
        float[] p = new float[G];
        float[] order = {0, 0.9f, 0.5f, 0.85f, 0.6f, 0.8f, 0.7f, 0.95f, 0.75f, 0.65f, 0.55f};
        System.arraycopy(order, 0, p, 0, order.length);
        return p;
    }

    private static float[] signs(float[] z) {
        // the sign of each gene's correlation with g1 (a true target): the first pass' edge signs
        float[] s = new float[G];
        for (int j = 0; j < G; j++) {
            double c = 0;
            for (int i = 0; i < N; i++) {
                c += z[i * G + j] * z[i * G + 1];
            }
            s[j] = c < 0 ? -1 : 1;
        }
        return s;
    }

    @Test
    void ranksTheTrueTargetsFirstWhereTheRegulatorsMrnaIsFlat() {
        float[] z = NnSupport.standardise(matrix(hidden(1, 0)));
        float[] ev = TfActivity.evidence(z, N, G, new int[] {0}, firstPass(), signs(z), 10);
        // the TF's own mRNA says nothing about its targets ...
        double maxR = 0;
        for (int j = 1; j <= 6; j++) {
            double c = 0;
            for (int i = 0; i < N; i++) {
                c += z[i * G] * z[i * G + j];
            }
            maxR = Math.max(maxR, Math.abs(c / N));
        }
        assertTrue(maxR < 0.2, "TF mRNA correlates with a target: " + maxR);
        // ... its activity does: g1..g6 (g4 anti-correlated, counted with its sign) are the top six
        Integer[] order = new Integer[G];
        for (int j = 0; j < G; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(ev[b], ev[a]));
        assertEquals(java.util.Set.of(1, 2, 3, 4, 5, 6), new java.util.HashSet<>(List.of(order).subList(0, 6)));
        assertTrue(ev[4] > 0.6, "the negative target: " + ev[4]);
        assertEquals(0, ev[0], "no self-edge");
        // noise genes in S_t (7..10) and out of it (11..) stay low
        for (int j = 7; j < G; j++) {
            assertTrue(ev[j] < 0.25, "noise gene g" + j + ": " + ev[j]);
        }
    }

    @Test
    void leaveOneOutExcludesTheGeneItselfFromItsActivity() {
        float[] z = NnSupport.standardise(matrix(hidden(2, 0)));
        float[] sign = signs(z);
        float[] pass = firstPass();
        int[][] targets = TfActivity.targets(pass, new int[] {0}, G, 10);
        assertArrayEquals(new int[] {7, 1, 3, 5, 8, 6, 9, 4, 10, 2}, targets[0]);
        float[] ev = TfActivity.evidence(z, N, G, new int[] {0}, pass, sign, 10);
        double[] a = TfActivity.activities(z, N, G, targets, sign);
        for (int j = 1; j < G; j++) {
            boolean member = false;
            for (int m : targets[0]) {
                member |= m == j;
            }
            // brute force: the activity without g (where g is a member), then |Pearson r|
            double[] am = new double[N];
            double[] zj = new double[N];
            for (int c = 0; c < N; c++) {
                am[c] = a[c] - (member ? (sign[j] < 0 ? -1 : 1) * z[c * G + j] : 0);
                zj[c] = z[c * G + j];
            }
            assertEquals(Math.abs(ReferenceStatistics.pearson(am, zj)), ev[j], 1e-4, "gene g" + j);
            if (member) {
                double inSample = Math.abs(ReferenceStatistics.pearson(a, zj));
                assertTrue(inSample > ev[j] + 0.02, "g" + j + " counted in its own activity: " + inSample + " vs "
                        + ev[j]);
            }
        }
        // a one-gene module: without the gene itself nothing is left, so no evidence (not a perfect 1)
        float[] one = TfActivity.evidence(z, N, G, new int[] {0}, pass, sign, 1);
        assertEquals(0, one[7]);
        assertTrue(one[1] > 0, "g1 against the activity of g7 alone");
    }

    @Test
    void mrnaAndActivityCombinedMatchTheirDirectCorrelation() {
        float[] z = NnSupport.standardise(matrix(hidden(5, 0.5)));
        float[] sign = signs(z);
        float[] pass = firstPass();
        int[][] targets = TfActivity.targets(pass, new int[] {0}, G, 10);
        double[] a = TfActivity.activities(z, N, G, targets, sign);
        float[] ev = TfActivity.evidence(z, N, G, new int[] {0}, pass, sign, 10, true);
        float[] alone = TfActivity.evidence(z, N, G, new int[] {0}, pass, sign, 10, false);
        double nz = 0;
        for (int c = 0; c < N; c++) {
            nz += z[c * G] * z[c * G];
        }
        for (int j = 1; j < G; j++) {
            boolean member = false;
            for (int m : targets[0]) {
                member |= m == j;
            }
            double[] am = new double[N];
            double na = 0;
            for (int c = 0; c < N; c++) {
                am[c] = a[c] - (member ? (sign[j] < 0 ? -1 : 1) * z[c * G + j] : 0);
                na += am[c] * am[c];
            }
            double[] b = new double[N];
            double[] zj = new double[N];
            for (int c = 0; c < N; c++) {
                b[c] = z[c * G] / Math.sqrt(nz) + am[c] / Math.sqrt(na);
                zj[c] = z[c * G + j];
            }
            assertEquals(Math.abs(ReferenceStatistics.pearson(b, zj)), ev[j], 1e-4, "gene g" + j);
        }
        assertNotEquals(alone[1], ev[1]);
        assertEquals(0, ev[0], "no self-edge");
    }

    @Test
    void crossFittedPartialCorrelationMatchesTheDirectInverse() {
        float[] z = NnSupport.standardise(matrix(hidden(6, 0.3)));
        int[] tfIdx = {0, 7, 8};
        float[] sign = new float[tfIdx.length * G];
        float[] pass = new float[tfIdx.length * G];
        Random r = new Random(9);
        for (int i = 0; i < pass.length; i++) {
            pass[i] = r.nextFloat();
            sign[i] = r.nextBoolean() ? 1 : -1;
        }
        System.arraycopy(firstPass(), 0, pass, 0, G);
        double shrink = 0.5;
        float[] ev = TfActivity.partialEvidence(z, N, G, tfIdx, pass, sign, 4, shrink);
        for (int j = 1; j < G; j++) {
            // the activities of gene j's half: targets from the other half only (the gene is never among them)
            float[] masked = pass.clone();
            for (int t = 0; t < tfIdx.length; t++) {
                for (int q = j % 2; q < G; q += 2) {
                    masked[t * G + q] = Float.NEGATIVE_INFINITY;
                }
            }
            int[][] targets = TfActivity.targets(masked, tfIdx, G, 4);
            for (int[] ts : targets) {
                for (int q : ts) {
                    assertTrue(q % 2 != j % 2, "gene g" + j + " scored against an activity of its own half");
                }
            }
            double[] a = TfActivity.activities(z, N, G, targets, sign);
            // the shrunk correlation matrix of [a_0, a_1, a_2, z_j], inverted directly
            int m = tfIdx.length + 1;
            double[][] cols = new double[m][N];
            for (int c = 0; c < N; c++) {
                for (int t = 0; t < tfIdx.length; t++) {
                    cols[t][c] = a[c * tfIdx.length + t];
                }
                cols[m - 1][c] = z[c * G + j];
            }
            org.ejml.data.DMatrixRMaj rm = new org.ejml.data.DMatrixRMaj(m, m);
            for (int p = 0; p < m; p++) {
                for (int q = 0; q < m; q++) {
                    rm.set(p, q, p == q ? 1 : (1 - shrink) * ReferenceStatistics.pearson(cols[p], cols[q]));
                }
            }
            org.ejml.dense.row.CommonOps_DDRM.invert(rm);
            for (int t = 0; t < tfIdx.length; t++) {
                double want = j == tfIdx[t] ? 0
                        : Math.abs(-rm.get(t, m - 1) / Math.sqrt(rm.get(t, t) * rm.get(m - 1, m - 1)));
                assertEquals(want, ev[t * G + j], 1e-4, "TF " + t + ", gene g" + j);
            }
        }
    }

    private static double meanTargetRank(Network net) {
        List<Edge> row = net.edges().stream().filter(e -> e.tf().equals("g0")).sorted(Network.RANKING).toList();
        double sum = 0;
        for (int i = 0; i < row.size(); i++) {
            int j = Integer.parseInt(row.get(i).target().substring(1));
            sum += j >= 1 && j <= 6 ? i : 0;
        }
        return sum / 6;
    }

    @Test
    void crowdsActivityTermLiftsTheTargetsOfAWeaklyExpressedRegulator() {
        // the TF's mRNA follows its activity only weakly: the first pass finds some targets, the activity the rest
        ExpressionMatrix data = matrix(hidden(3, 0.1));
        List<String> tfs = List.of("g0", "g7", "g8");
        Map<String, String> base = new HashMap<>(Map.of("w-learned", "0"));
        Network off = new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", base, List.of()),
                Progress.NONE);
        Map<String, String> on = new HashMap<>(base);
        on.put("w-activity", "1");
        on.put("activity-k", "6");
        Network with = new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", on, List.of()),
                Progress.NONE);
        // mean rank of g1..g6 in g0's row (2.5 = the top six): 3.5 without, 2.67 with the activity term
        assertTrue(meanTargetRank(with) < 3 && meanTargetRank(with) < meanTargetRank(off) - 0.5,
                meanTargetRank(with) + " vs " + meanTargetRank(off));
        // deterministic; w-activity=0 is no option at all; k matters
        assertEquals(with.edges(), new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", on, List.of()),
                Progress.NONE).edges());
        Map<String, String> zero = new HashMap<>(base);
        zero.put("w-activity", "0");
        zero.put("activity-k", "3");
        assertEquals(off.edges(), new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", zero, List.of()),
                Progress.NONE).edges());
        Map<String, String> k3 = new HashMap<>(on);
        k3.put("activity-k", "3");
        assertNotEquals(with.edges(), new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", k3,
                List.of()), Progress.NONE).edges());
        Map<String, String> mix = new HashMap<>(on);
        mix.put("activity-mix", "on");
        assertNotEquals(with.edges(), new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", mix,
                List.of()), Progress.NONE).edges());
        Map<String, String> pc = new HashMap<>(on);
        pc.put("activity-evidence", "pcor");
        assertNotEquals(with.edges(), new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", pc,
                List.of()), Progress.NONE).edges());
        Map<String, String> clr = new HashMap<>(on);
        clr.put("activity-context", "clr");
        assertNotEquals(with.edges(), new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", clr,
                List.of()), Progress.NONE).edges());
    }

    @Test
    void withinStateActivitiesOnlyWhereTheGateOpens() {
        List<String> tfs = List.of("g0", "g7", "g8");
        Map<String, String> on = new HashMap<>(Map.of("w-learned", "0", "w-activity", "1", "activity-k", "6"));
        Map<String, String> within = new HashMap<>(on);
        within.put("activity-within", "on");
        // no cell states: the gate stays closed and the term is the same
        ExpressionMatrix flat = matrix(hidden(3, 0.1));
        assertEquals(new CrowdModel().infer(flat, tfs, new InferenceOptions(0, "cpu", on, List.of()), Progress.NONE)
                .edges(), new CrowdModel().infer(flat, tfs, new InferenceOptions(0, "cpu", within, List.of()),
                Progress.NONE).edges());
        // two cell states that shift every gene by 3 sd: the gate opens and the activities are computed within them
        float[] x = hidden(3, 0.1);
        for (int c = 0; c < N / 2; c++) {
            for (int j = 0; j < G; j++) {
                x[c * G + j] += 3;
            }
        }
        ExpressionMatrix states = matrix(x);
        assertNotEquals(new CrowdModel().infer(states, tfs, new InferenceOptions(0, "cpu", on, List.of()),
                Progress.NONE).edges(), new CrowdModel().infer(states, tfs, new InferenceOptions(0, "cpu", within,
                List.of()), Progress.NONE).edges());
    }

    @Test
    void badActivityOptionsNameTheirField() {
        ExpressionMatrix data = matrix(hidden(4, 0));
        for (Map.Entry<String, String> bad : Map.of("w-activity", "-1", "activity-k", "0", "activity-pass", "maybe",
                "activity-context", "zscore", "activity-mix", "both", "activity-evidence", "spearman", "activity-within", "maybe").entrySet()) {
            ModelException e = assertThrows(ModelException.class, () -> new CrowdModel().infer(data,
                    List.of("g0"), new InferenceOptions(0, "cpu", Map.of("w-learned", "0", bad.getKey(),
                            bad.getValue()), List.of()), Progress.NONE));
            assertEquals(bad.getKey(), e.field());
        }
        assertEquals("activity-k", assertThrows(ModelException.class,
                () -> TfActivity.targets(new float[G], new int[] {0}, G, 0)).field());
    }
}
