package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.baseline.CorrelationModel;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

class CrowdModelTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    private static final List<String> TFS = List.of("g0", "g1", "g2");
    private static final int[][] EDGES = {{0, 3, 90}, {1, 4, -90}, {2, 5, 80}, {0, 6, 70}, {1, 7, 70}};

    private static Set<String> top(Network n, int k) {
        Set<String> out = new HashSet<>();
        n.top(k).edges().forEach(e -> out.add(e.tf() + ">" + e.target()));
        return out;
    }

    private static int rank(Network n, String edge) {
        List<Edge> sorted = n.edges().stream().sorted(Network.RANKING).toList();
        for (int i = 0; i < sorted.size(); i++) {
            if ((sorted.get(i).tf() + ">" + sorted.get(i).target()).equals(edge)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void recoversPlantedEdgesWithTheirSign() {
        ExpressionMatrix data = Synthetic.linear(300, 40, 3, EDGES, 4);
        Network net = new CrowdModel().infer(data, TFS, new InferenceOptions(0, "cpu", Map.of(), List.of()),
                Progress.NONE);
        // 3 TFs × 39 genes = 117 candidates, 5 planted: all five must be the top five (chance: 1 in ~10^8).
        assertEquals(Set.of("g0>g3", "g1>g4", "g2>g5", "g0>g6", "g1>g7"), top(net, 5));
        Edge neg = net.edges().stream().filter(e -> e.tf().equals("g1") && e.target().equals("g4")).findFirst()
                .orElseThrow();
        assertEquals(-1, neg.sign());
        assertEquals(117, net.size());
    }

    @Test
    void mutualInformationTermFindsANonMonotoneEdgeThatCorrelationMisses() {
        // g0 -> g3 as g3 = g0^2 + noise: Pearson r is ~0, the binned MI is large.
        Random rnd = new Random(7);
        int n = 400;
        int g = 20;
        float[] v = new float[n * g];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                v[c * g + j] = (float) rnd.nextGaussian();
            }
            v[c * g + 3] = (float) (v[c * g] * v[c * g] + 0.3 * rnd.nextGaussian());
        }
        ExpressionMatrix data = new ExpressionMatrix(v, Synthetic.names("c", n), Synthetic.names("g", g));
        InferenceOptions o = new InferenceOptions(0, "cpu", Map.of(), List.of());
        Network mi = new CrowdModel().infer(data, TFS, new InferenceOptions(0, "cpu", Map.of("w-pcor", "0",
                "w-learned", "0"), List.of()), Progress.NONE);
        // the statistical ensemble (partial correlation + MI), without the learned term
        Network crowd = new CrowdModel().infer(data, TFS, new InferenceOptions(0, "cpu", Map.of("w-learned", "0"),
                List.of()), Progress.NONE);
        Network pearson = CorrelationModel.pearson().infer(data, TFS, o, Progress.NONE);
        assertEquals(Set.of("g0>g3"), top(mi, 1));
        // in the top quarter of the 57 candidates (rank 11 by default; 14 with reliability=on, which favours the
        // partial correlation on this toy: one nonlinear target among 19 noise genes)
        assertTrue(rank(crowd, "g0>g3") < rank(pearson, "g0>g3") && rank(crowd, "g0>g3") < 57 / 4.0,
                "crowd " + rank(crowd, "g0>g3") + " pearson " + rank(pearson, "g0>g3"));
    }

    @Test
    void sameSeedSameNetworkAlsoWithCellSampling() {
        ExpressionMatrix data = Synthetic.linear(250, 30, 3, EDGES, 5);
        InferenceOptions o = new InferenceOptions(11, "cpu", Map.of("mi-cells", "100"), List.of());
        Network a = new CrowdModel().infer(data, TFS, o, Progress.NONE);
        Network b = new CrowdModel().infer(data, TFS, o, Progress.NONE);
        assertEquals(a.edges(), b.edges());
        Network c = new CrowdModel().infer(data, TFS, new InferenceOptions(12, "cpu", Map.of("mi-cells", "100"),
                List.of()), Progress.NONE);
        assertTrue(!a.edges().equals(c.edges()), "a different seed samples other cells for the MI term");
    }

    @Test
    void miBinsPutTiesInOneBinAndBalanceTheRest() {
        // 4 zeros then 4 distinct values, 4 bins: zeros share bin 0, the rest fill bins 2 and 3.
        float[] v = {0, 0, 0, 0, 1, 2, 3, 4};
        ExpressionMatrix data = new ExpressionMatrix(v, Synthetic.names("c", 8), List.of("a"));
        byte[][] b = CrowdModel.bins(data, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, 4);
        assertEquals("[0, 0, 0, 0, 2, 2, 3, 3]", Arrays.toString(b[0]));
    }

    @Test
    void invalidParametersNameTheirField() {
        ExpressionMatrix data = Synthetic.linear(50, 8, 3, EDGES, 1);
        for (Map.Entry<String, String> bad : Map.of("pcor", "spline", "shrink", "1.5", "bins", "1", "w-mi", "-1",
                "typo", "1", "da", "0.95", "learned-cells", "10").entrySet()) {
            ModelException e = assertThrows(ModelException.class, () -> new CrowdModel().infer(data, TFS,
                    new InferenceOptions(0, "cpu", Map.of(bad.getKey(), bad.getValue()), List.of()), Progress.NONE));
            assertEquals(bad.getKey(), e.field());
        }
        ModelException zero = assertThrows(ModelException.class, () -> new CrowdModel().infer(data, TFS,
                new InferenceOptions(0, "cpu", Map.of("w-pcor", "0", "w-mi", "0", "w-learned", "0"), List.of()),
                Progress.NONE));
        assertEquals("w-pcor", zero.field());
        assertEquals("tfs", assertThrows(ModelException.class, () -> new CrowdModel().infer(data, List.of("x"),
                InferenceOptions.defaults(), Progress.NONE)).field());
    }

    @Test
    void learnedTermIsRankAveragedIn() {
        // 100 genes so that the auto-encoder's 10-neighbour graph is sparse enough to be trained.
        ExpressionMatrix data = Synthetic.linear(500, 100, 3, EDGES, 4);
        assertTrue(GnnModel.learns(data, new InferenceOptions(3, "cpu", Map.of("coexpr", "0"), List.of())));
        // fixed weights (agreement=off) 1 : 1 : 1: the learned term enters with a third (the default weight, 2, gives
        // it half)
        Network stat = new CrowdModel().infer(data, TFS, new InferenceOptions(3, "cpu", Map.of("w-learned", "0",
                "agreement", "off"), List.of()), Progress.NONE);
        Network both = new CrowdModel().infer(data, TFS, new InferenceOptions(3, "cpu", Map.of("agreement", "off",
                "w-learned", "1"), List.of()), Progress.NONE);
        assertTrue(!stat.edges().equals(both.edges()), "the learned term changed no score");
        // with the default agreement weights the learned term still counts
        Network agreed = new CrowdModel().infer(data, TFS, new InferenceOptions(3, "cpu", Map.of(), List.of()),
                Progress.NONE);
        assertTrue(!stat.edges().equals(agreed.edges()) && !both.edges().equals(agreed.edges()));
        // 3 TFs × 99 genes = 297 candidates: the five planted edges stay among the top 10
        assertTrue(top(both, 10).containsAll(Set.of("g0>g3", "g1>g4", "g2>g5", "g0>g6", "g1>g7")),
                top(both, 10).toString());
    }

    @Test
    void statisticalTermsDuringTheTrainingGiveTheSameNetwork() {
        // 100 genes: the auto-encoder trains, so the default runs the statistical terms on a second thread
        ExpressionMatrix data = Synthetic.linear(300, 100, 3, EDGES, 4);
        assertTrue(CrowdModel.concurrent(data.nCells(), data.nGenes()));
        InferenceOptions o = new InferenceOptions(5, "cpu", Map.of("epochs", "30"), List.of());
        Network after = new CrowdModel().infer(data, TFS, o, Progress.NONE, false);
        Network during = new CrowdModel().infer(data, TFS, o, Progress.NONE, true);
        assertEquals(after.edges(), during.edges());
        // and with the learned term's share visible: without it the network differs
        Network stat = new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", Map.of("w-learned", "0"),
                List.of()), Progress.NONE);
        assertTrue(!stat.edges().equals(during.edges()), "the learned term changed no score");
        // cancelled by the caller: the second thread stops too and the call ends with a CancellationException
        Progress cancelled = new Progress() {
            @Override
            public boolean cancelled() {
                return true;
            }
        };
        assertThrows(java.util.concurrent.CancellationException.class,
                () -> new CrowdModel().infer(data, TFS, o, cancelled, true));
        // above the cap (cells × genes) one after the other: an atlas holds one set of copies at a time
        assertTrue(!CrowdModel.concurrent(300_000, 100) && CrowdModel.concurrent(2_700, 1_000));
    }

    @Test
    void dropoutAugmentationReachesTheLearnedTerm() {
        // 100 genes: sparse enough (density < GnnModel.MAX_DENSITY) for the 10-neighbour graph to be trained on
        ExpressionMatrix data = Synthetic.linear(200, 100, 3, EDGES, 4);
        Map<String, String> plain = Map.of("da", "0");
        Map<String, String> augmented = Map.of("da", "0.3");
        Network a = new CrowdModel().infer(data, TFS, new InferenceOptions(3, "cpu", augmented, List.of()),
                Progress.NONE);
        Network b = new CrowdModel().infer(data, TFS, new InferenceOptions(3, "cpu", augmented, List.of()),
                Progress.NONE);
        Network c = new CrowdModel().infer(data, TFS, new InferenceOptions(3, "cpu", plain, List.of()),
                Progress.NONE);
        assertEquals(a.edges(), b.edges());
        assertTrue(!a.edges().equals(c.edges()), "da did not reach the auto-encoder");
    }

    @Test
    void learnedTermTrainsOnASeededCellSampleAboveTheCap() {
        ExpressionMatrix data = Synthetic.linear(300, 100, 3, EDGES, 4);
        // at or under the cap the data itself; above it a seeded sample of rows, copied exactly, in their order
        assertSame(data, CrowdModel.cellSample(data, 300, 7));
        ExpressionMatrix s = CrowdModel.cellSample(data, 120, 7);
        assertEquals(120, s.nCells());
        assertEquals(data.genes(), s.genes());
        assertEquals(s.cells(), CrowdModel.cellSample(data, 120, 7).cells());
        int prev = -1;
        for (int i = 0; i < s.nCells(); i++) {
            int row = data.cells().indexOf(s.cells().get(i));
            assertTrue(row > prev, "sample rows keep their order");
            prev = row;
            for (int j = 0; j < data.nGenes(); j++) {
                assertEquals(data.get(row, j), s.get(i, j));
            }
        }
        // the cap reaches the learned term: same seed, same network; a cap below the cells changes it
        Map<String, String> capped = Map.of("learned-cells", "120");
        Network a = new CrowdModel().infer(data, TFS, new InferenceOptions(3, "cpu", capped, List.of()),
                Progress.NONE);
        Network b = new CrowdModel().infer(data, TFS, new InferenceOptions(3, "cpu", capped, List.of()),
                Progress.NONE);
        Network all = new CrowdModel().infer(data, TFS, new InferenceOptions(3, "cpu", Map.of(), List.of()),
                Progress.NONE);
        assertEquals(a.edges(), b.edges());
        assertTrue(!a.edges().equals(all.edges()), "learned-cells did not reach the auto-encoder");
    }

    @Test
    void meanRankScaleAveragesEachRunsRankScaling() {
        // ranks / n (n = 4, the self-loop counted, then set to 0): [3, 1, 2, 9] -> [3/4, 1/4, 2/4, 0],
        // [1, 2, 3, 9] -> [1/4, 2/4, 3/4, 0]; mean [1/2, 3/8, 5/8, 0]
        float[] m = CrowdModel.meanRankScale(List.of(new float[] {3, 1, 2, 9}, new float[] {1, 2, 3, 9}),
                new boolean[] {false, false, false, true});
        assertEquals(4, m.length);
        assertEquals(0.5, m[0], 1e-6);
        assertEquals(0.375, m[1], 1e-6);
        assertEquals(0.625, m[2], 1e-6);
        assertEquals(0, m[3]);
        // one run: its rank scaling
        assertTrue(Arrays.equals(NnSupport.rankScale(new float[] {3, 1, 2}, null),
                CrowdModel.meanRankScale(List.of(new float[] {3, 1, 2}), null)));
    }

    @Test
    void learnedRunsAverageSeededTrainingsTheSameOnAnyThreadCount() {
        // 100 genes: the auto-encoder trains; 20 epochs keep it fast
        ExpressionMatrix data = Synthetic.linear(300, 100, 3, EDGES, 4);
        int[] tfIdx = io.scgrn.models.ModelInputs.tfIndices(data, TFS);
        int g = data.nGenes();
        boolean[] self = NnSupport.selfLoops(tfIdx, g);
        // the learned term alone, fixed weight: crowd's scores are the term itself
        // learned-batch=off: the separate runs (the batched ones are GnnEnsembleTest's); direction=off: TF pairs
        // keep the term's own order (EdgeDirectionTest)
        Map<String, String> p = Map.of("w-pcor", "0", "w-mi", "0", "agreement", "off", "epochs", "20",
                "learned-runs", "3", "learned-batch", "off", "direction", "off");
        Network three = new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", p, List.of()),
                Progress.NONE);
        // expected: the mean of the rank scalings of gnn's logits (crowd's learned options) with seeds 5, 6, 7
        assertLearnedMean(three, data, tfIdx, self, Map.of());
        // two runs at once on two threads: the same network byte for byte; the same again for the seed
        Map<String, String> p2 = new java.util.HashMap<>(p);
        p2.put("learned-threads", "2");
        Network threaded = new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", p2, List.of()),
                Progress.NONE);
        assertEquals(three.edges(), threaded.edges());
        assertEquals(threaded.edges(), new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", p2,
                List.of()), Progress.NONE).edges());
        // one run differs: the runs are averaged, not one of them used
        Map<String, String> p1 = new java.util.HashMap<>(p);
        p1.put("learned-runs", "1");
        Network one = new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", p1, List.of()),
                Progress.NONE);
        assertTrue(!one.edges().equals(three.edges()), "learned-runs changed nothing");
        // three runs are the built-in default
        Map<String, String> p3 = new java.util.HashMap<>(p);
        p3.remove("learned-runs");
        assertEquals(three.edges(), new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", p3, List.of()),
                Progress.NONE).edges());
        ModelException bad = assertThrows(ModelException.class, () -> new CrowdModel().checkParams(
                Map.of("learned-runs", "0")));
        assertEquals("learned-runs", bad.field());
    }

    @Test
    void baggedRunsTrainEachOnTheCellsOfItsSeedTheSameOnAnyThreadCount() {
        ExpressionMatrix data = Synthetic.linear(300, 100, 3, EDGES, 4);
        int[] tfIdx = io.scgrn.models.ModelInputs.tfIndices(data, TFS);
        int g = data.nGenes();
        boolean[] self = NnSupport.selfLoops(tfIdx, g);
        Map<String, String> p = new java.util.HashMap<>(Map.of("w-pcor", "0", "w-mi", "0", "agreement", "off",
                "epochs", "20", "learned-runs", "3", "learned-bag", "0.5", "direction", "off"));
        Network bagged = new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", p, List.of()),
                Progress.NONE);
        // expected: the mean rank scaling of gnn's bagged runs with seeds 5, 6, 7 (run k's cells from seed 5 + k)
        assertLearnedMean(bagged, data, tfIdx, self, Map.of("bag", "0.5"));
        // two runs at once: the same network; and the same again for the seed
        p.put("learned-threads", "2");
        Network threaded = new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", p, List.of()),
                Progress.NONE);
        assertEquals(bagged.edges(), threaded.edges());
        assertEquals(threaded.edges(), new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", p,
                List.of()), Progress.NONE).edges());
        // the bag matters (another share, or all cells, trains other runs); learned-bag=1 is the unbagged ensemble
        p.put("learned-bag", "0.67");
        assertTrue(!bagged.edges().equals(new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", p,
                List.of()), Progress.NONE).edges()), "the bag's share changed nothing");
        // scored from the bag's own features (learned-bag-scores=bag): other scores, deterministic for the seed
        p.put("learned-bag", "0.5");
        p.put("learned-bag-scores", "bag");
        Network onBag = new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", p, List.of()), Progress.NONE);
        assertTrue(!bagged.edges().equals(onBag.edges()), "learned-bag-scores=bag changed nothing");
        assertEquals(onBag.edges(), new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", p, List.of()),
                Progress.NONE).edges());
        p.remove("learned-bag-scores");
        p.put("learned-bag", "1");
        Network all = new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", p, List.of()), Progress.NONE);
        assertTrue(!bagged.edges().equals(all.edges()), "bagging changed nothing");
        p.remove("learned-bag");
        assertEquals(all.edges(), new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", p, List.of()),
                Progress.NONE).edges());
        // bad values name the field
        for (Map<String, String> bad : List.of(Map.of("learned-bag", "0"), Map.of("learned-bag", "1.5"),
                Map.of("learned-bag", "half"), Map.of("learned-bag", "0.5", "learned-batch", "on"))) {
            ModelException e = assertThrows(ModelException.class, () -> new CrowdModel().checkParams(bad));
            assertEquals("learned-bag", e.field(), bad.toString());
        }
        assertEquals("learned-bag-scores", assertThrows(ModelException.class, () -> new CrowdModel().checkParams(
                Map.of("learned-bag-scores", "cells"))).field());
    }

    @Test
    void learnedTermDropsOutWhereTheAutoEncoderDoesNotTrain() {
        // 12 genes: every gene's 10 neighbours link nearly all pairs (density > 0.25), gnn does not train and its
        // "learned" term would be the partial correlation counted twice; crowd leaves it out.
        ExpressionMatrix data = Synthetic.linear(300, 12, 3, EDGES, 4);
        assertTrue(!GnnModel.learns(data, new InferenceOptions(0, "cpu", Map.of("coexpr", "0"), List.of())));
        Network def = new CrowdModel().infer(data, TFS, new InferenceOptions(0, "cpu", Map.of(), List.of()),
                Progress.NONE);
        Network stat = new CrowdModel().infer(data, TFS, new InferenceOptions(0, "cpu", Map.of("w-learned", "0"),
                List.of()), Progress.NONE);
        assertEquals(stat.edges(), def.edges());
        ModelException only = assertThrows(ModelException.class, () -> new CrowdModel().infer(data, TFS,
                new InferenceOptions(0, "cpu", Map.of("w-pcor", "0", "w-mi", "0"), List.of()), Progress.NONE));
        assertEquals("w-learned", only.field());
    }

    @Test
    void combinationOptionsAreValidatedAndChangeTheRanking() {
        ExpressionMatrix data = Synthetic.linear(300, 40, 3, EDGES, 4);
        for (Map.Entry<String, String> bad : Map.of("power", "0.5", "agreement", "yes", "hub", "2",
                "target-rank", "-1", "context", "1.5", "reliability", "maybe").entrySet()) {
            ModelException e = assertThrows(ModelException.class, () -> new CrowdModel().infer(data, TFS,
                    new InferenceOptions(0, "cpu", Map.of(bad.getKey(), bad.getValue()), List.of()), Progress.NONE));
            assertEquals(bad.getKey(), e.field());
        }
        // three terms (pcor, MI, |r|): with two, agreement gives both the same factor and changes nothing
        Map<String, String> fixed = Map.of("w-learned", "0", "w-corr", "1", "agreement", "off", "reliability", "off");
        Network base = new CrowdModel().infer(data, TFS, new InferenceOptions(0, "cpu", fixed, List.of()),
                Progress.NONE);
        for (Map.Entry<String, String> opt : Map.of("power", "4", "agreement", "on", "hub", "0.5",
                "target-rank", "0.5", "context", "0.5", "reliability", "on").entrySet()) {
            Map<String, String> params = new java.util.HashMap<>(fixed);
            params.put(opt.getKey(), opt.getValue());
            Network net = new CrowdModel().infer(data, TFS, new InferenceOptions(0, "cpu", params, List.of()),
                    Progress.NONE);
            assertTrue(!net.edges().equals(base.edges()), opt + " changed no score");
            // strong planted edges stay on top whatever the option
            assertTrue(top(net, 8).containsAll(Set.of("g0>g3", "g1>g4", "g2>g5")), opt + " " + top(net, 8));
        }
    }

    @Test
    void reliabilityWeightsAreSeededOffByDefaultAndLeaveThePlantedEdgesOnTop() {
        // 100 genes: the auto-encoder trains; reliability=on re-weights pcor and MI by their held-out conditional
        // gain (TermReliability) and keeps the learned term's share, then applies the agreement weights
        ExpressionMatrix data = Synthetic.linear(300, 100, 3, EDGES, 4);
        Map<String, String> rel = Map.of("epochs", "20", "reliability", "on");
        Network a = new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", rel, List.of()), Progress.NONE);
        Network b = new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", rel, List.of()), Progress.NONE);
        assertEquals(a.edges(), b.edges());
        Network def = new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", Map.of("epochs", "20"),
                List.of()), Progress.NONE);
        Network off = new CrowdModel().infer(data, TFS, new InferenceOptions(5, "cpu", Map.of("epochs", "20",
                "reliability", "off"), List.of()), Progress.NONE);
        assertEquals(off.edges(), def.edges());
        assertTrue(!a.edges().equals(off.edges()), "reliability changed no score");
        // the two strongest planted edges stay first (20 epochs leave the learned term noisy on 100 genes: g0>g3
        // ranks 21st here, 29th with reliability=off)
        assertEquals(Set.of("g1>g4", "g2>g5"), top(a, 2));
    }

    @Test
    void treeTermFindsPlantedEdgesIncludingAThreshold() {
        // g2 -> g5 as a step (g5 high only where g2 > 1): trees split on it; plus the planted linear edges.
        ExpressionMatrix lin = Synthetic.linear(300, 30, 3, EDGES, 4);
        float[] v = lin.values().clone();
        int g = lin.nGenes();
        Random rnd = new Random(3);
        for (int c = 0; c < lin.nCells(); c++) {
            v[c * g + 5] = (float) ((v[c * g + 2] > 1 ? 3 : 0) + 0.3 * rnd.nextGaussian());
        }
        ExpressionMatrix data = new ExpressionMatrix(v, lin.cells(), lin.genes());
        Map<String, String> treesOnly = Map.of("w-pcor", "0", "w-mi", "0", "w-learned", "0", "w-tree", "1");
        Network t = new CrowdModel().infer(data, TFS, new InferenceOptions(0, "cpu", treesOnly, List.of()),
                Progress.NONE);
        assertEquals(Set.of("g0>g3", "g1>g4", "g2>g5", "g0>g6", "g1>g7"), top(t, 5));
        assertEquals(-1, t.edges().stream().filter(e -> e.tf().equals("g1") && e.target().equals("g4"))
                .findFirst().orElseThrow().sign());
        // deterministic for a seed, whatever the thread count (each target has its own random stream)
        assertEquals(t.edges(), new CrowdModel().infer(data, TFS, new InferenceOptions(0, "cpu", treesOnly,
                List.of()), Progress.NONE).edges());
        ModelException e = assertThrows(ModelException.class, () -> new CrowdModel().infer(data, TFS,
                new InferenceOptions(0, "cpu", Map.of("trees", "0"), List.of()), Progress.NONE));
        assertEquals("trees", e.field());
    }

    @Test
    void registeredUnderItsName() {
        assertEquals(CrowdModel.NAME, Models.byName("crowd").name());
    }

    /**
     * {@code crowd}'s scores (its learned term alone) are the mean rank scaling of {@code gnn}'s logits with crowd's
     * learned options plus {@code extra}, trained with seeds 5, 6 and 7.
     */
    private static void assertLearnedMean(Network crowd, ExpressionMatrix data, int[] tfIdx, boolean[] self,
                                          Map<String, String> extra) {
        int g = data.nGenes();
        List<float[]> runs = new java.util.ArrayList<>();
        for (long seed = 5; seed < 8; seed++) {
            Map<String, String> p = new java.util.HashMap<>(Map.of("coexpr", "0", "epochs", "20", "da",
                    Double.toString(CrowdModel.LEARNED_DA)));
            p.putAll(extra);
            Network r = new GnnModel().infer(data, TFS, new InferenceOptions(seed, "cpu", p, List.of()),
                    Progress.NONE);
            float[] v = new float[tfIdx.length * g];
            NnSupport.place(r, data.genes(), tfIdx, v, null);
            runs.add(v);
        }
        float[] expected = CrowdModel.meanRankScale(runs, self);
        float[] got = new float[tfIdx.length * g];
        NnSupport.place(crowd, data.genes(), tfIdx, got, null);
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], 1e-6, "score " + i);
        }
    }
}
