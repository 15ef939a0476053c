package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

class CandidateTreesTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    @Test
    void candidatesAreEachTargetsBestRegulatorsWithoutItself() {
        // 3 TF rows (genes 0, 1, 2) × 4 genes; row 1 is gene 1, so (1, 1) is a self-loop
        float[] score = {
            0.0f, 0.9f, 0.2f, 0.5f,
            0.8f, 0.0f, 0.2f, 0.1f,
            0.3f, 0.4f, 0.0f, 0.5f};
        boolean[] self = NnSupport.selfLoops(new int[] {0, 1, 2}, 4);
        int[][] c = CandidateTrees.candidates(score, 3, 4, self, 2);
        assertArrayEquals(new int[] {1, 2}, c[0]);
        assertArrayEquals(new int[] {0, 2}, c[1]);
        assertArrayEquals(new int[] {0, 1}, c[2]); // tie 0.2 / 0.2: the lower row first
        assertArrayEquals(new int[] {0, 2}, c[3]); // tie 0.5 / 0.5
    }

    @Test
    void rerankHandsTheTargetsScoresOutInImportanceOrder() {
        // one target column (g = 1), three TF rows, all candidates; the trees prefer row 2, then 0, then 1
        float[] score = {0.9f, 0.6f, 0.3f};
        float[] imp = {0.3f, 0.1f, 0.6f};
        int[][] cand = {{0, 1, 2}};
        float[] full = CandidateTrees.rerank(score, imp, cand, 1, 1.0);
        assertArrayEquals(new float[] {0.6f, 0.3f, 0.9f}, full, 1e-6f);
        float[] half = CandidateTrees.rerank(score, imp, cand, 1, 0.5);
        assertArrayEquals(new float[] {0.75f, 0.45f, 0.6f}, half, 1e-6f);
        // outside the candidates nothing moves
        float[] part = CandidateTrees.rerank(score, imp, new int[][] {{1, 2}}, 1, 1.0);
        assertArrayEquals(new float[] {0.9f, 0.3f, 0.6f}, part, 1e-6f);
    }

    /** g3 = g0² + 0.4 g2 + noise (no correlation with g0, a weak linear one with g2); g4 = g1 + noise. */
    private static ExpressionMatrix quadratic() {
        Random rnd = new Random(11);
        int n = 400;
        int g = 12;
        float[] v = new float[n * g];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                v[c * g + j] = (float) rnd.nextGaussian();
            }
            v[c * g + 3] = (float) (v[c * g] * v[c * g] + 0.4 * v[c * g + 2] + 0.3 * rnd.nextGaussian());
            v[c * g + 4] = (float) (v[c * g + 1] + 0.5 * rnd.nextGaussian());
        }
        return new ExpressionMatrix(v, Synthetic.names("c", n), Synthetic.names("g", g));
    }

    @Test
    void treesOnTheCandidatesFindTheNonlinearRegulator() {
        ExpressionMatrix data = quadratic();
        int[] tfIdx = {0, 1, 2};
        int g = data.nGenes();
        // every target: all three TFs but itself are candidates
        boolean[] self = NnSupport.selfLoops(tfIdx, g);
        int[][] cand = CandidateTrees.candidates(new float[3 * g], 3, g, self, 3);
        float[] imp = CandidateTrees.importances(data, tfIdx, cand, 0);
        assertTrue(imp[0 * g + 3] > 0.7f, "g0 -> g3 importance " + imp[3]);
        assertTrue(imp[1 * g + 4] > 0.8f, "g1 -> g4 importance " + imp[g + 4]);
        // normalised per target; a target's non-candidates stay 0
        assertEquals(1.0f, imp[3] + imp[g + 3] + imp[2 * g + 3], 1e-5f);
        int[][] only12 = new int[g][];
        for (int j = 0; j < g; j++) {
            only12[j] = new int[] {1, 2};
        }
        float[] restricted = CandidateTrees.importances(data, tfIdx, only12, 0);
        assertEquals(0f, restricted[3], 0f);
        assertArrayEquals(imp, CandidateTrees.importances(data, tfIdx, cand, 0), 0f);
    }

    @Test
    void nonlinearGainIsPositiveOnlyWhereTheTreesOutPredictALinearFit() {
        int[] tfIdx = {0, 1, 2};
        ExpressionMatrix quad = quadratic();
        int g = quad.nGenes();
        boolean[] self = NnSupport.selfLoops(tfIdx, g);
        int[][] all = CandidateTrees.candidates(new float[3 * g], 3, g, self, 3);
        // g3 = g0² + …: the trees predict it, a linear fit on g0 cannot; only target g3 of the 12 carries it, so the
        // gain is measured on that target alone (maxTargets over a sample would dilute it)
        int[][] onlyG3 = new int[g][];
        for (int j = 0; j < g; j++) {
            onlyG3[j] = j == 3 ? all[3] : new int[0];
        }
        double gq = CandidateTrees.nonlinearGain(quad, tfIdx, onlyG3, 0, 1000);
        assertTrue(gq > 0.3 / g, "quadratic target: trees − ridge held-out R² " + gq);
        // linear Gaussian data: the ridge fit is the right model, the binned trees lose held-out R²
        ExpressionMatrix lin = Synthetic.linear(400, 12, 3, new int[][] {{0, 3, 90}, {1, 4, -90}, {2, 5, 80}}, 4);
        double gl = CandidateTrees.nonlinearGain(lin, tfIdx, all, 0, 1000);
        assertTrue(gl < 0, "linear data: trees − ridge held-out R² " + gl);
        assertEquals(gl, CandidateTrees.nonlinearGain(lin, tfIdx, all, 0, 1000), 0.0);
    }

    @Test
    void crowdOptionsUseTheTreesAndAreValidated() {
        ExpressionMatrix data = quadratic();
        List<String> tfs = List.of("g0", "g1", "g2");
        Map<String, String> stat = Map.of("w-learned", "0", "w-mi", "0");
        Network base = new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", stat, List.of()),
                Progress.NONE);
        Network reranked = new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu",
                Map.of("w-learned", "0", "w-mi", "0", "tree-rerank", "1", "tree-k", "3"), List.of()), Progress.NONE);
        Network term = new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu",
                Map.of("w-learned", "0", "w-mi", "0", "w-ktree", "1", "tree-k", "3"), List.of()), Progress.NONE);
        // the partial correlation cannot see g0 -> g3 (r ≈ 0) and ranks g2 (linear, weak) first for g3; the trees
        // over g3's three candidates put g0 first, so the re-ranking gives it g3's best score
        assertEquals("g2", best(base, "g3"));
        assertEquals("g0", best(reranked, "g3"));
        assertEquals("g0", best(term, "g3"));
        assertEquals("g1", best(reranked, "g4"));
        // tree-gate=on: on linear data the trees do not out-predict the ridge fit, so the tree term is left out
        ExpressionMatrix lin = Synthetic.linear(400, 12, 3, new int[][] {{0, 3, 90}, {1, 4, -90}, {2, 5, 80}}, 4);
        Network linBase = new CrowdModel().infer(lin, tfs, new InferenceOptions(0, "cpu", stat, List.of()),
                Progress.NONE);
        Network linGated = new CrowdModel().infer(lin, tfs, new InferenceOptions(0, "cpu",
                Map.of("w-learned", "0", "w-mi", "0", "w-ktree", "1", "tree-k", "3", "tree-gate", "on"), List.of()),
                Progress.NONE);
        Network linTerm = new CrowdModel().infer(lin, tfs, new InferenceOptions(0, "cpu",
                Map.of("w-learned", "0", "w-mi", "0", "w-ktree", "1", "tree-k", "3"), List.of()), Progress.NONE);
        assertEquals(linBase.edges(), linGated.edges());
        assertNotEquals(linBase.edges(), linTerm.edges());
        assertThrows(ModelException.class, () -> new CrowdModel().checkParams(Map.of("tree-gate", "maybe")));
        assertThrows(ModelException.class, () -> new CrowdModel().checkParams(Map.of("tree-rerank", "1.5")));
        ModelException e = assertThrows(ModelException.class,
                () -> new CrowdModel().checkParams(Map.of("tree-k", "0")));
        assertTrue(e.getMessage().contains("tree-k"), e.getMessage());
    }

    private static String best(Network n, String target) {
        return n.edges().stream().filter(e -> e.target().equals(target))
                .max((a, b) -> Double.compare(a.score(), b.score())).orElseThrow().tf();
    }
}
