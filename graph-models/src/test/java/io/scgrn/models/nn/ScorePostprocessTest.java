package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.calibration.DecoyCalibration;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Hand-built TF × gene matrices (row-major [nTf, g], self-loops 0) for crowd's {@code post} options. */
class ScorePostprocessTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    /** TFs t1 (gene 0) and t2 (gene 1); targets g (gene 2) and h (gene 3). */
    private static final int[] TF2 = {0, 1};
    private static final boolean[] SELF2 = NnSupport.selfLoops(TF2, 4);
    /**
     * The chain t1 → t2 → g (t2 → t1 weak: the scores are directed) with a weaker t1 → g (indirect) and two direct
     * edges t1 → h, t2 → h that no path through a regulator beats.
     */
    private static final float[] CHAIN = {
        0, 0.9f, 0.5f, 0.75f,  // t1 → t1 (self), t2, g, h
        0.3f, 0, 0.8f, 0.7f,   // t2 → t1, t2 (self), g, h
    };

    @Test
    void dpiRemovesTheIndirectEdgeOfAChainAndKeepsTheDirectOnes() {
        boolean[] ind = ScorePostprocess.indirect(CHAIN, TF2, 4, SELF2, 0);
        // only t1 → g: min(s(t1 → t2), s(t2 → g)) = 0.8 > 0.5
        assertArrayEquals(new boolean[] {false, false, true, false, false, false, false, false}, ind);
        float[] dropped = ScorePostprocess.apply(CHAIN, TF2, 4, SELF2, settings("dpi", 1, 0));
        assertArrayEquals(new float[] {0, 0.9f, 0, 0.75f, 0.3f, 0, 0.8f, 0.7f}, dropped, 1e-7f);
        // share 0.5 halves it; the other edges keep their scores
        float[] halved = ScorePostprocess.apply(CHAIN, TF2, 4, SELF2, settings("dpi", 0.5, 0));
        assertArrayEquals(new float[] {0, 0.9f, 0.25f, 0.75f, 0.3f, 0, 0.8f, 0.7f}, halved, 1e-7f);
        // tolerance ε = 0.5: 0.5 · 0.8 = 0.4 < 0.5, the edge is within the tolerance and stays
        assertFalse(ScorePostprocess.indirect(CHAIN, TF2, 4, SELF2, 0.5)[2]);
        // a weaker t2 → h (0.2) is indirect too, through t1 (min(0.3, 0.75) = 0.3)
        float[] weak = CHAIN.clone();
        weak[7] = 0.2f;
        assertTrue(ScorePostprocess.indirect(weak, TF2, 4, SELF2, 0)[7]);
    }

    @Test
    void indirectMarksExactlyWhatTheDefinitionMarks() {
        // The pruned, reordered loop against the definition read literally, on scores with ties and strong paths.
        Random rnd = new Random(3);
        int nt = 40;
        int g = 90;
        int[] tfIdx = new int[nt];
        for (int t = 0; t < nt; t++) {
            tfIdx[t] = 2 * t; // TFs spread among the genes
        }
        boolean[] self = NnSupport.selfLoops(tfIdx, g);
        for (double eps : new double[] {0, 0.1, 0.5}) {
            float[] s = new float[nt * g];
            for (int i = 0; i < s.length; i++) {
                s[i] = self[i] ? 0 : Math.round(rnd.nextFloat() * 40) / 40f;
            }
            boolean[] want = new boolean[s.length];
            for (int t = 0; t < nt; t++) {
                for (int j = 0; j < g; j++) {
                    for (int u = 0; u < nt && !self[t * g + j]; u++) {
                        if (u != t && tfIdx[u] != j
                                && (1 - eps) * Math.min(s[t * g + tfIdx[u]], s[u * g + j]) > s[t * g + j]) {
                            want[t * g + j] = true;
                        }
                    }
                }
            }
            boolean[] got = ScorePostprocess.indirect(s, tfIdx, g, self, eps);
            int marked = 0;
            for (int i = 0; i < s.length; i++) {
                assertEquals(want[i], got[i], "eps " + eps + ", edge " + i);
                marked += got[i] ? 1 : 0;
            }
            assertTrue(marked > 0 && marked < s.length - nt, "some edges marked, not all: " + marked);
        }
    }

    @Test
    void clrLiftsAnEdgeThatStandsOutAgainstAHubRegulator() {
        // TF 0 is a hub: every edge ~0.8; TF 1 scores low except one edge (1 → 3) at 0.7; TF 2 low everywhere
        int[] tfs = {0, 1, 2};
        int g = 8;
        boolean[] self = NnSupport.selfLoops(tfs, g);
        float[] s = new float[tfs.length * g];
        for (int j = 0; j < g; j++) {
            s[j] = 0.8f + 0.01f * j;
            s[g + j] = 0.1f + 0.01f * j;
            s[2 * g + j] = 0.12f + 0.01f * j;
        }
        s[g + 3] = 0.7f;
        for (int i = 0; i < s.length; i++) {
            s[i] = self[i] ? 0 : s[i];
        }
        // before: every hub edge outranks 1 → 3; after CLR (share 1) 1 → 3 is first
        float[] c = ScorePostprocess.apply(s, tfs, g, self, settings("clr", 1, 0));
        int best = 0;
        for (int i = 1; i < c.length; i++) {
            best = c[i] > c[best] ? i : best;
        }
        assertEquals(g + 3, best);
        // the same as crowd's context blend
        assertArrayEquals(RankEnsemble.context(s, tfs, g, self, 0.5),
                ScorePostprocess.apply(s, tfs, g, self, settings("clr", 0.5, 0)), 0f);
    }

    @Test
    void deconvolutionIsTheFeiziMapOfTheScaledObservation() {
        // three TFs in a chain 0 - 1 - 2 (scores w both ways) with an indirect 0 - 2 (c): G_dir = G (mI + G)⁻¹,
        // m = max(λ₊ (1 − β) / β, |λ₋| (1 + β) / β) from G's eigenvalues
        int[] tfs = {0, 1, 2};
        boolean[] self = NnSupport.selfLoops(tfs, 3);
        double w = 0.8;
        double c = 0.7;
        float[] s = {0, (float) w, (float) c, (float) w, 0, (float) w, (float) c, (float) w, 0};
        DMatrixRMaj gm = ScorePostprocess.symmetric(s, tfs, 3);
        // eigenvalues of [[0 w c] [w 0 w] [c w 0]]: -c and (c ± sqrt(c² + 8 w²)) / 2
        double root = Math.sqrt(c * c + 8 * w * w);
        double lp = (c + root) / 2;
        double ln = Math.max(c, (root - c) / 2);
        double beta = 0.9;
        double m = Math.max(lp * (1 - beta) / beta, ln * (1 + beta) / beta);
        DMatrixRMaj inv = CommonOps_DDRM.identity(3);
        CommonOps_DDRM.scale(m, inv);
        CommonOps_DDRM.addEquals(inv, gm);
        assertTrue(CommonOps_DDRM.invert(inv));
        DMatrixRMaj expect = new DMatrixRMaj(3, 3);
        CommonOps_DDRM.mult(gm, inv, expect);
        float[] nd = ScorePostprocess.deconvolve(s, tfs, 3, self, beta);
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                assertEquals(a == b ? 0 : expect.get(a, b), nd[a * 3 + b], 1e-6, a + "," + b);
            }
        }
        // the indirect pair falls below both direct ones (it was 0.7 against 0.8 before: now far below)
        assertTrue(nd[2] < nd[1] - 0.1 && nd[2] < nd[5] - 0.1, java.util.Arrays.toString(nd));
        // TF × non-TF positions come back at their place: one TF, two targets
        float[] one = {0, 0.5f, 0.25f};
        float[] d1 = ScorePostprocess.deconvolve(one, new int[] {0}, 3, NnSupport.selfLoops(new int[] {0}, 3), beta);
        assertEquals(0, d1[0]);
        assertTrue(d1[1] > d1[2] && d1[2] > 0, java.util.Arrays.toString(d1));
    }

    @Test
    void settingsRejectBadValuesNamingTheField() {
        assertEquals("post", assertThrows(ModelException.class, () -> settings("aracne", 1, 0)).field());
        assertEquals("post-share", assertThrows(ModelException.class, () -> settings("dpi", 0, 0)).field());
        assertEquals("post-eps", assertThrows(ModelException.class, () -> settings("dpi", 1, 1)).field());
        assertEquals("post-beta", assertThrows(ModelException.class,
                () -> new ScorePostprocess.Settings("nd", 1, 0, 1)).field());
        assertSame(CHAIN, ScorePostprocess.apply(CHAIN, TF2, 4, SELF2, ScorePostprocess.Settings.OFF));
    }

    @Test
    void crowdAppliesItLastAndRejectsBadOptionsNamingTheField() {
        ExpressionMatrix data = Synthetic.linear(300, 40, 3, new int[][] {{0, 3, 90}, {1, 4, -90}, {2, 5, 80},
            {0, 6, 70}, {1, 7, 70}}, 4);
        List<String> tfs = List.of("g0", "g1", "g2");
        for (Map.Entry<String, String> bad : Map.of("post", "silence", "post-share", "0", "post-eps", "1",
                "post-beta", "1.5").entrySet()) {
            ModelException e = assertThrows(ModelException.class, () -> new CrowdModel().infer(data, tfs,
                    new InferenceOptions(0, "cpu", Map.of(bad.getKey(), bad.getValue()), List.of()), Progress.NONE));
            assertEquals(bad.getKey(), e.field());
        }
        // direction=off: the TF pairs' order step runs after the post-processing (EdgeDirectionTest)
        Map<String, String> fixed = Map.of("w-learned", "0", "post", "off", "direction", "off");
        Network base = new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", fixed, List.of()),
                Progress.NONE);
        int[] tfIdx = {0, 1, 2};
        int g = data.nGenes();
        boolean[] self = NnSupport.selfLoops(tfIdx, g);
        float[] score = new float[tfIdx.length * g];
        NnSupport.place(base, data.genes(), tfIdx, score, null);
        for (String[] p : new String[][] {{"dpi", "0.5", "0.1"}, {"nd", "1", "0"}, {"clr", "0.5", "0"}}) {
            Map<String, String> params = new HashMap<>(fixed);
            params.put("post", p[0]);
            params.put("post-share", p[1]);
            params.put("post-eps", p[2]);
            params.put("post-gate", "off");
            Network net = new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", params, List.of()),
                    Progress.NONE);
            float[] got = new float[score.length];
            NnSupport.place(net, data.genes(), tfIdx, got, null);
            // exactly the post-processing of the default combination's scores, and not the default itself
            float[] want = ScorePostprocess.apply(score, tfIdx, g, self, settings(p[0], Double.parseDouble(p[1]),
                    Double.parseDouble(p[2])));
            assertArrayEquals(want, got, 1e-6f, p[0]);
            assertNotEquals(base.edges(), net.edges(), p[0]);
        }
    }

    @Test
    void postGateWithinLeavesAGateClosedNetworkAsItIsAndPostProcessesAGateOpenOne() {
        Map<String, String> dpi = Map.of("w-learned", "0", "post", "dpi", "post-share", "1", "post-eps", "0",
                "post-gate", "off");
        Map<String, String> gated = new HashMap<>(dpi);
        gated.put("post-gate", "within");
        Map<String, String> none = Map.of("w-learned", "0", "post", "off");
        // no cell states (one Gaussian population): the regulators' between-state share is small, the gate closed
        ExpressionMatrix closed = Synthetic.linear(300, 40, 3, new int[][] {{0, 3, 90}, {1, 4, -90}, {2, 5, 80},
            {0, 6, 70}, {1, 7, 70}}, 4);
        List<String> tfs = List.of("g0", "g1", "g2");
        Network base = crowd(closed, tfs, none);
        assertNotEquals(base.edges(), crowd(closed, tfs, dpi).edges(), "ungated DPI changes the closed set");
        assertEquals(base.edges(), crowd(closed, tfs, gated).edges(), "gate closed: the network without post");
        // two cell states holding ~72 % of the regulators' variance (WithinStatesTest): the gate opens
        ExpressionMatrix open = WithinStatesTest.twoStates(3);
        List<String> tfs2 = new ArrayList<>(List.of("t1", "t2"));
        for (int m = 0; m < 8; m++) {
            tfs2.add("m" + m);
        }
        Network openBase = crowd(open, tfs2, none);
        Network openGated = crowd(open, tfs2, gated);
        assertNotEquals(openBase.edges(), openGated.edges(), "gate open: post-processed");
        assertEquals(crowd(open, tfs2, dpi).edges(), openGated.edges(), "gate open: exactly the ungated DPI");
        // the default (round 10b): gated DPI at share 0.5, eps 0
        Map<String, String> half = new HashMap<>(gated);
        half.put("post-share", "0.5");
        assertEquals(crowd(open, tfs2, half).edges(), crowd(open, tfs2, Map.of("w-learned", "0")).edges(),
                "the default is gated DPI at share 0.5");
        assertEquals(base.edges(), crowd(closed, tfs, Map.of("w-learned", "0")).edges(), "default, gate closed");
        // the gate is crowd's own decision, also where the within term is off (measured for the gate alone)
        Map<String, String> gatedOff = new HashMap<>(gated);
        gatedOff.put("within", "off");
        Map<String, String> dpiOff = new HashMap<>(dpi);
        dpiOff.put("within", "off");
        assertEquals(crowd(open, tfs2, dpiOff).edges(), crowd(open, tfs2, gatedOff).edges());
        assertEquals(crowd(closed, tfs, Map.of("w-learned", "0", "within", "off")).edges(),
                crowd(closed, tfs, gatedOff).edges());
        // a bad value names the field
        Map<String, String> bad = new HashMap<>(dpi);
        bad.put("post-gate", "always");
        ModelException e = assertThrows(ModelException.class, () -> crowd(closed, tfs, bad));
        assertEquals("post-gate", e.field());
        assertTrue(e.getMessage().contains("always"), e.getMessage());
    }

    private static Network crowd(ExpressionMatrix data, List<String> tfs, Map<String, String> params) {
        return new CrowdModel().infer(data, tfs, new InferenceOptions(0, "cpu", params, List.of()), Progress.NONE);
    }

    @Test
    void decoysArePostProcessedAsRealTargetsSoQStaysCalibrated() {
        // 8 TFs g0..g7, each regulating three of g8..g31 (24 planted edges: enough for q <= 0.05 at ratio ~1)
        int[][] edges = new int[24][];
        for (int j = 8; j < 32; j++) {
            edges[j - 8] = new int[] {j % 8, j, 80};
        }
        ExpressionMatrix planted = Synthetic.linear(300, 40, 8, edges, 4);
        // every gene shuffled over the cells on its own: no structure, so no edge may be called
        Random rnd = new Random(2);
        int n = planted.nCells();
        int g = planted.nGenes();
        float[] x = planted.values().clone();
        for (int j = 0; j < g; j++) {
            for (int c = n - 1; c > 0; c--) {
                int r = rnd.nextInt(c + 1);
                float t = x[c * g + j];
                x[c * g + j] = x[r * g + j];
                x[r * g + j] = t;
            }
        }
        ExpressionMatrix noise = new ExpressionMatrix(x, planted.cells(), planted.genes());
        List<String> tfs = List.of("g0", "g1", "g2", "g3", "g4", "g5", "g6", "g7");
        for (String post : List.of("dpi", "nd", "clr")) {
            InferenceOptions o = new InferenceOptions(0, "cpu", Map.of("w-learned", "0", "post", post,
                    "post-share", "0.5"), List.of());
            DecoyCalibration.Result null0 = DecoyCalibration.infer(new CrowdModel(), noise, tfs, o, Progress.NONE,
                    DecoyCalibration.Settings.defaults());
            assertTrue(null0.summary().available(), post);
            assertEquals(0, null0.summary().atFdr05(), post + ": edges at 5 % on permuted data");
            DecoyCalibration.Result real = DecoyCalibration.infer(new CrowdModel(), planted, tfs, o, Progress.NONE,
                    DecoyCalibration.Settings.defaults());
            // the edges called at 5 % are (nearly) all planted, and most planted edges are called: their decoy
            // competitors were post-processed alike
            long planted5 = real.filter(0.05).edges().stream().filter(e -> {
                int j = Integer.parseInt(e.target().substring(1));
                return j >= 8 && j < 32 && e.tf().equals("g" + (j % 8));
            }).count();
            int at5 = real.summary().atFdr05();
            assertTrue(planted5 >= 20 && planted5 >= at5 - 2, post + ": " + planted5 + " planted of " + at5);
        }
    }

    private static ScorePostprocess.Settings settings(String method, double share, double eps) {
        return new ScorePostprocess.Settings(method, share, eps, 0.9);
    }
}
