package io.scgrn.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.numerics.EngineThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GnnModelTest {
    static {
        // Tiny tensors gain nothing from intra-op threads, and on a shared CI box spinning OpenMP threads make the
        // tests many times slower; one thread also makes CPU runs bit-identical. Read when the engine first loads.
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    @Test
    void messagePassingOnAPathGraphGivesNormalisedSums() {
        // Path 0 - 1 - 2; with self-loops the degrees are 2, 3, 2, so Â_ij = 1 / sqrt(d_i d_j) on edges.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray adj = m.create(new float[] {0, 1, 0, 1, 0, 1, 0, 1, 0}, new Shape(3, 3));
            NDArray an = GeneGraph.normalise(adj);
            float s6 = (float) (1 / Math.sqrt(6));
            float[] expected = {0.5f, s6, 0, s6, 1 / 3f, s6, 0, s6, 0.5f};
            NDArray h = m.create(new float[] {1, 0, 0, 1, 2, 3}, new Shape(3, 2));
            NDArray out = GnnEncoder.propagate(an, h, m.eye(2));
            assertArrayEquals(expected, an.toFloatArray(), 1e-6f);
            // Node 1 receives h0/sqrt(6) + h1/3 + h2/sqrt(6).
            assertArrayEquals(new float[] {s6 + 0 + 2 * s6, 0 + 1 / 3f + 3 * s6},
                    Arrays.copyOfRange(out.toFloatArray(), 2, 4), 1e-6f);
        }
    }

    @Test
    void weightsSurviveSaveAndLoad(@TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager()) {
            GnnEncoder enc = GnnEncoder.init(m, 4, 5, 3, new Random(1));
            NDArray an = GeneGraph.normalise(m.create(new float[] {0, 1, 0, 1, 0, 1, 0, 1, 0}, new Shape(3, 3)));
            NDArray h0 = m.create(new float[] {1, 2, 3, 4, -1, 0, 1, 0, 2, 2, -2, 1}, new Shape(3, 4));
            float[] before = enc.allLogits(enc.embed(an, h0), m.create(new int[] {0, 2})).toFloatArray();
            Path file = dir.resolve("gnn.ndlist");
            enc.save(file);
            GnnEncoder back = GnnEncoder.load(m, file);
            float[] after = back.allLogits(back.embed(an, h0), m.create(new int[] {0, 2})).toFloatArray();
            assertArrayEquals(before, after, 0f);
        }
        assertThrows(ModelException.class, () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                GnnEncoder.load(m, dir.resolve("missing"));
            }
        });
    }

    @Test
    void gnnRanksPlantedEdgesHighAndIsReproducible() {
        int[][] edges = {{0, 3, 90}, {1, 4, -90}, {2, 5, 80}, {0, 6, 70}, {1, 7, 70}};
        // 40 genes (35 pure noise) so that the 3-neighbour graph is sparse enough for the learned term.
        ExpressionMatrix data = Synthetic.linear(200, 40, 3, edges, 4);
        List<Double> lossTrace = new ArrayList<>();
        Progress p = new Progress() {
            @Override
            public void epoch(int epoch, int total, double loss) {
                lossTrace.add(loss);
            }
        };
        InferenceOptions o = new InferenceOptions(3, "cpu", Map.of("epochs", "60", "k", "3"), List.of());
        Network a = new GnnModel().infer(data, List.of("g0", "g1", "g2"), o, p);
        Network b = new GnnModel().infer(data, List.of("g0", "g1", "g2"), o, Progress.NONE);
        assertEquals(a.edges().stream().map(e -> e.tf() + ">" + e.target()).toList(),
                b.edges().stream().map(e -> e.tf() + ">" + e.target()).toList());
        // The loss leaves the device only every 10 epochs (and at the last).
        assertEquals(6, lossTrace.size());
        double first = lossTrace.get(0);
        double last = (lossTrace.get(4) + lossTrace.get(5)) / 2;
        assertTrue(last < first, "masked-edge loss did not fall: " + first + " -> " + last);
        // 117 candidates, 5 planted: every planted edge must rank in the top 15.
        Set<String> top = new HashSet<>();
        a.top(15).edges().forEach(e -> top.add(e.tf() + ">" + e.target()));
        assertTrue(top.containsAll(Set.of("g0>g3", "g1>g4", "g2>g5", "g0>g6", "g1>g7")), top.toString());
        assertEquals(-1, a.edges().stream().filter(e -> e.tf().equals("g1") && e.target().equals("g4"))
                .findFirst().orElseThrow().sign());
    }

    @Test
    void bagRowsAreASeededShareOfTheCellsAndItsFeaturesKeepTheScale() {
        // the fraction is honoured (round(f n), at least 2), rows distinct and ascending, the seed fixes them
        int[] a = GnnModel.bagRows(425, 0.5, 7);
        assertEquals(213, a.length);
        assertEquals(285, GnnModel.bagRows(425, 0.67, 7).length);
        assertEquals(2, GnnModel.bagRows(10, 0.05, 7).length);
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i] > a[i - 1] && a[i] < 425, "row " + i);
        }
        assertArrayEquals(a, GnnModel.bagRows(425, 0.5, 7));
        assertFalse(Arrays.equals(a, GnnModel.bagRows(425, 0.5, 8)), "the seed changed nothing");
        // not the sample crowd's learned-cells draws with the same seed
        assertFalse(Arrays.equals(a, io.scgrn.models.numerics.Sampling.sortedSample(425, 213, 7)));
        assertNull(GnnModel.bagRows(425, 1, 7));
        // the bag's features z_S^T R_S sqrt(n/m) have the all-cell features' scale (squared norm ~ f per gene)
        int n = 400;
        int g = 6;
        int f = 64;
        Random rnd = new Random(3);
        float[] z = new float[n * g];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rnd.nextGaussian();
        }
        float[] proj = GnnModel.projection(n, f, rnd);
        int[] rows = GnnModel.bagRows(n, 0.5, 1);
        float[] zs = new float[rows.length * g];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(z, rows[i] * g, zs, i * g, g);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            double all = GnnModel.features(m, z, n, g, f, proj).square().sum().getFloat() / g;
            double bag = GnnModel.features(m, zs, rows.length, g, f,
                    GnnModel.bagProjection(proj, n, f, rows)).square().sum().getFloat() / g;
            assertEquals(f, all, 0.2 * f);
            assertEquals(all, bag, 0.2 * all, "the bag's features lost the all-cell scale");
        }
        ModelException bad = assertThrows(ModelException.class, () -> new GnnModel().checkParams(Map.of("bag", "0")));
        assertEquals("bag", bad.field());
        assertEquals("bag-scores", assertThrows(ModelException.class, () -> new GnnModel().checkParams(
                Map.of("bag-scores", "cells"))).field());
    }

    @Test
    void pureCoexpressionTermIsThePartialCorrelationRanking() {
        int[][] edges = {{0, 3, 90}, {1, 4, -90}, {2, 5, 80}, {0, 6, 70}, {1, 7, 70}};
        ExpressionMatrix data = Synthetic.linear(200, 12, 3, edges, 4);
        InferenceOptions o = new InferenceOptions(3, "cpu", Map.of("coexpr", "1"), List.of());
        Network a = new GnnModel().infer(data, List.of("g0", "g1", "g2"), o, Progress.NONE);
        Set<String> top = new HashSet<>();
        a.top(5).edges().forEach(e -> top.add(e.tf() + ">" + e.target()));
        assertEquals(Set.of("g0>g3", "g1>g4", "g2>g5", "g0>g6", "g1>g7"), top);
    }

    @Test
    void learnedScoresOnASharedGraphAreInfersNetworkBitForBit() throws Exception {
        int[][] edges = {{0, 3, 90}, {1, 4, -90}, {2, 5, 80}, {0, 6, 70}, {1, 7, 70}};
        List<String> tfs = List.of("g0", "g1", "g2");
        Map<String, String> p = Map.of("coexpr", "0", "epochs", "20", "da", "0.1");
        // 100 genes: the 10-neighbour graph is sparse, the auto-encoder trains
        ExpressionMatrix sparse = Synthetic.linear(200, 100, 3, edges, 4);
        int[] tfIdx = io.scgrn.models.ModelInputs.tfIndices(sparse, tfs);
        GnnModel.Graph graph = GnnModel.Graph.of(sparse, new InferenceOptions(0, "cpu", p, List.of()));
        assertTrue(graph.learns());
        assertTrue(GnnModel.learns(sparse, new InferenceOptions(0, "cpu", p, List.of())));
        for (long seed = 3; seed < 6; seed++) {
            InferenceOptions o = new InferenceOptions(seed, "cpu", p, List.of());
            // what crowd's learned term read before: gnn's network (coexpr=0) placed back by name
            float[] placed = new float[tfIdx.length * sparse.nGenes()];
            NnSupport.place(new GnnModel().infer(sparse, tfs, o, Progress.NONE), sparse.genes(), tfIdx, placed, null);
            // one graph for all seeds; the epoch inputs made ahead on a second thread, or on this one; and the
            // whole run on a new thread (whose engine thread count is applied before its first product)
            assertArrayEquals(placed, GnnModel.learnedScores(graph, sparse, tfIdx, o, Progress.NONE), "seed " + seed);
            assertArrayEquals(placed, GnnModel.learnedScores(graph, sparse, tfIdx, o, Progress.NONE, false));
            float[][] other = new float[1][];
            Thread t = new Thread(() -> other[0] = GnnModel.learnedScores(graph, sparse, tfIdx, o, Progress.NONE));
            t.start();
            t.join();
            assertArrayEquals(placed, other[0]);
            // interrupted during the training: the epoch made ahead is still waited for, the run ends as usual
            Progress interrupting = new Progress() {
                @Override
                public void epoch(int epoch, int total, double loss) {
                    Thread.currentThread().interrupt();
                }
            };
            boolean[] kept = new boolean[1];
            other[0] = null;
            Thread u = new Thread(() -> {
                other[0] = GnnModel.learnedScores(graph, sparse, tfIdx, o, interrupting);
                kept[0] = Thread.interrupted();
            });
            u.start();
            u.join();
            assertArrayEquals(placed, other[0]);
            assertTrue(kept[0], "the interrupt is kept for the caller");
        }
        // repeated gene names: what placing by name gives (the later g5's edges land on the first)
        List<String> names = new ArrayList<>(sparse.genes());
        names.set(50, "g5");
        ExpressionMatrix repeated = new ExpressionMatrix(sparse.values(), sparse.cells(), names);
        InferenceOptions o = new InferenceOptions(3, "cpu", p, List.of());
        float[] placed = new float[tfIdx.length * sparse.nGenes()];
        NnSupport.place(new GnnModel().infer(repeated, tfs, o, Progress.NONE), names, tfIdx, placed, null);
        assertArrayEquals(placed, GnnModel.learnedScores(GnnModel.Graph.of(repeated, o), repeated, tfIdx, o,
                Progress.NONE));
        // 12 genes: the graph is nearly complete, the auto-encoder does not train
        ExpressionMatrix dense = Synthetic.linear(200, 12, 3, edges, 4);
        assertFalse(GnnModel.Graph.of(dense, o).learns());
        assertFalse(GnnModel.learns(dense, o));
    }

    @Test
    void candidateGraphTakesEachGenesLargestAbsoluteValuesTiesByIndex() {
        // values on a coarse grid (many ties, both signs, -0 and 0, one NaN row entry): the graph equals the one
        // a boxed comparator sort (|v| descending by Float.compare, then index) gives
        int g = 60;
        Random r = new Random(7);
        float[] v = new float[g * g];
        for (int i = 0; i < v.length; i++) {
            v[i] = (r.nextInt(9) - 4) / 4f;
        }
        v[5] = -0f;
        v[6] = 0f;
        v[3 * g + 8] = Float.NaN;
        for (int k : new int[] {1, 3, 10, 59, 80}) {
            float[] expected = new float[g * g];
            Integer[] order = new Integer[g];
            for (int i = 0; i < g; i++) {
                for (int j = 0; j < g; j++) {
                    order[j] = j;
                }
                int row = i;
                Arrays.sort(order, (p, q) -> {
                    int c = Float.compare(Math.abs(v[row * g + q]), Math.abs(v[row * g + p]));
                    return c != 0 ? c : Integer.compare(p, q);
                });
                int taken = 0;
                for (int q = 0; q < g && taken < Math.min(k, g - 1); q++) {
                    if (order[q] != i) {
                        expected[i * g + order[q]] = 1;
                        expected[order[q] * g + i] = 1;
                        taken++;
                    }
                }
            }
            List<String> genes = new ArrayList<>();
            for (int j = 0; j < g; j++) {
                genes.add("g" + j);
            }
            assertArrayEquals(expected, GeneGraph.candidateGraph(v, g, k, genes, List.of()), "k " + k);
        }
    }

    @Test
    void theEngineThreadCountIsAppliedBeforeAThreadsFirstProduct() throws Exception {
        // a product large enough for the math libraries to split it over cores when a thread runs it with their
        // default count: on a new thread after EngineThreads.prepare it is the product of a thread that has worked before
        float[] x = new float[3000 * 64];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] here;
        try (NDManager m = NDManager.newBaseManager()) {
            EngineThreads.prepare();
            here = GeneGraph.correlation(m, x, 3000, 64);
        }
        float[][] fresh = new float[1][];
        Thread t = new Thread(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                EngineThreads.prepare();
                fresh[0] = GeneGraph.correlation(m, x, 3000, 64);
            }
        });
        t.start();
        t.join();
        assertArrayEquals(here, fresh[0]);
    }

    @Test
    void linkPredictionReportsOnlyHeldOutPairs() {
        // 4 TFs each driving 12 of 60 genes: known pairs are learnable from co-expression.
        List<int[]> planted = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            for (int j = 0; j < 12; j++) {
                planted.add(new int[] {t, 4 + t * 12 + j, 80});
            }
        }
        ExpressionMatrix data = Synthetic.linear(150, 60, 4, planted.toArray(new int[0][]), 5);
        List<String[]> known = new ArrayList<>();
        for (int[] e : planted) {
            known.add(new String[] {"g" + e[0], "g" + e[1]});
        }
        InferenceOptions o = new InferenceOptions(1, "cpu", Map.of("epochs", "60"), List.of());
        LinkPrediction.Result r = LinkPrediction.run(data, List.of("g0", "g1", "g2", "g3"), known, o,
                Progress.NONE);
        assertEquals(29, r.nTrainPositive());
        Set<String> heldOut = new HashSet<>();
        r.validation().forEach(h -> heldOut.add(h.tf() + ">" + h.target()));
        r.test().forEach(h -> assertTrue(heldOut.add(h.tf() + ">" + h.target()), "pair in two splits"));
        long heldOutKnown = r.validation().stream().filter(LinkPrediction.HeldOut::known).count()
                + r.test().stream().filter(LinkPrediction.HeldOut::known).count();
        assertEquals(known.size() - r.nTrainPositive(), heldOutKnown);
        assertTrue(r.testAuroc() > 0.75, "test AUROC " + r.testAuroc());
        assertFalse(Double.isNaN(r.testAuprc()));
        assertEquals("split", assertThrows(ModelException.class, () -> LinkPrediction.run(data, List.of("g0"),
                known, new InferenceOptions(1, "cpu", Map.of("split", "0.9/0.2"), List.of()), Progress.NONE))
                .field());
    }

    @Test
    void trainEdgesParameterReturnsOnlyTheTestPairs(@TempDir Path dir) throws IOException {
        List<int[]> planted = new ArrayList<>();
        StringBuilder csv = new StringBuilder("Gene1,Gene2\n");
        for (int t = 0; t < 2; t++) {
            for (int j = 0; j < 10; j++) {
                planted.add(new int[] {t, 2 + t * 10 + j, 80});
                csv.append("g").append(t).append(",g").append(2 + t * 10 + j).append('\n');
            }
        }
        ExpressionMatrix data = Synthetic.linear(100, 30, 2, planted.toArray(new int[0][]), 6);
        Path file = dir.resolve("known.csv");
        Files.writeString(file, csv);
        InferenceOptions o = new InferenceOptions(2, "cpu", Map.of("epochs", "20", "train-edges", file.toString()),
                List.of());
        Network net = new GnnModel().infer(data, List.of("g0", "g1"), o, Progress.NONE);
        LinkPrediction.Result r = LinkPrediction.run(data, List.of("g0", "g1"), LinkPrediction.readEdges(file), o,
                Progress.NONE);
        // 20 known: 12 train, 4 validation, 4 test positives, each with one sampled negative.
        assertEquals(12, r.nTrainPositive());
        assertEquals(8, net.size());
        assertEquals(r.test().stream().map(h -> h.tf() + ">" + h.target()).sorted().toList(),
                net.edges().stream().map(e -> e.tf() + ">" + e.target()).sorted().toList());
    }

    @Test
    void heldOutMetricsMatchHandValues() {
        List<LinkPrediction.HeldOut> h = List.of(new LinkPrediction.HeldOut("a", "b", 0.9, true),
                new LinkPrediction.HeldOut("a", "c", 0.8, false), new LinkPrediction.HeldOut("a", "d", 0.7, true),
                new LinkPrediction.HeldOut("a", "e", 0.1, false));
        assertEquals(0.75, LinkPrediction.auroc(h), 1e-12);
        assertEquals((1.0 + 2.0 / 3) / 2, LinkPrediction.averagePrecision(h), 1e-12);
    }

    // dropout augmentation: 4 cells x 3 genes, rank-standardised values; gene levels (column minima) -1.5, -1, -2;
    // a projection to 2 features
    private static final float[] AUG_Z = {-1.5f, 1, -2, 0.5f, -1, 0, 1, 0.5f, 2, 0, -0.5f, 0};
    private static final float[] AUG_PROJ = {1, 0, 0, 1, 1, 1, 2, -1};
    private static final float[] AUG_LEVEL = {-1.5f, -1, -2};

    @Test
    void dropoutAugmentationMovesAShareOfValuesToTheGeneLevelAndIsSeeded() {
        float[] z = AUG_Z;
        float[] proj = AUG_PROJ;
        float[] level = AUG_LEVEL;
        try (NDManager m = NDManager.newBaseManager()) {
            GnnModel.Augmentation none = GnnModel.Augmentation.upload(m, z, 4, 3, proj, 2, 0, 7, false);
            GnnModel.Augmentation all = GnnModel.Augmentation.upload(m, z, 4, 3, proj, 2, 1, 7, false);
            GnnModel.Augmentation half = GnnModel.Augmentation.upload(m, z, 4, 3, proj, 2, 0.5, 7, false);
            GnnModel.Augmentation half2 = GnnModel.Augmentation.upload(m, z, 4, 3, proj, 2, 0.5, 7, false);
            // p = 0: the clean features, exactly those the model scores with
            assertArrayEquals(GnnModel.features(m, z, 4, 3, 2, proj).toFloatArray(), none.features(0).toFloatArray(),
                    1e-6f);
            // p = 1: every value at its gene's level, so feature (j, k) = level_j * sum_c proj[c, k]
            float[] f = all.features(3).toFloatArray();
            for (int j = 0; j < 3; j++) {
                assertEquals(level[j] * (1 + 0 + 1 + 2), f[j * 2], 1e-5f);
                assertEquals(level[j] * (0 + 1 + 1 - 1), f[j * 2 + 1], 1e-5f);
            }
            // p = 0.5: each value either kept or at its level; same (seed, epoch) same draw, epochs differ
            int changed = 0;
            Set<String> draws = new HashSet<>();
            for (int epoch = 0; epoch < 6; epoch++) {
                float[] x = half.expression(epoch).toFloatArray();
                assertArrayEquals(x, half2.expression(epoch).toFloatArray(), 0f);
                draws.add(Arrays.toString(x));
                changed += keptOrAtLevel(x);
            }
            assertTrue(draws.size() > 1, "every epoch drew the same mask");
            // 72 draws at p = 0.5, 9 of whose values already sit at their level: about 32 change
            assertTrue(changed > 15 && changed < 50, "changed " + changed);
            NDArray held = half.expression(0);
            half.close();
            // the augmentation owns what it uploads and draws: closing it frees them
            assertTrue(held.isReleased(), "augmented expression outlived its augmentation");
            none.close();
            all.close();
            half2.close();
        }
    }

    @Test
    void pooledDropoutMaskIsARotatedWindowOfItsPoolSeededByTheEpoch() {
        int n = 30;
        int g = 20;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray pool = GnnModel.Augmentation.pool(m, n, g, 0.1f, 7);
            assertEquals(new Shape(GnnModel.Augmentation.POOL_BLOCKS * n, g), pool.getShape());
            boolean[] p = pool.toBooleanArray();
            int rows = GnnModel.Augmentation.POOL_BLOCKS * n;
            Set<String> draws = new HashSet<>();
            long set = 0;
            for (int epoch = 0; epoch < 40; epoch++) {
                boolean[] w = GnnModel.Augmentation.window(pool, n, 7, epoch).toBooleanArray();
                assertArrayEquals(w, GnnModel.Augmentation.window(pool, n, 7, epoch).toBooleanArray());
                draws.add(Arrays.toString(w));
                // some offset o and rotation s make the window the pool's rows [o, o + n), genes rotated by s
                boolean found = false;
                for (int o = 0; o + n <= rows && !found; o++) {
                    for (int sh = 0; sh < g && !found; sh++) {
                        boolean same = true;
                        for (int i = 0; i < n && same; i++) {
                            for (int j = 0; j < g && same; j++) {
                                same = w[i * g + j] == p[(o + i) * g + (j + sh) % g];
                            }
                        }
                        found = same;
                    }
                }
                assertTrue(found, "epoch " + epoch + ": not a rotated window of the pool");
                for (boolean b : w) {
                    set += b ? 1 : 0;
                }
            }
            assertTrue(draws.size() >= 39, "epochs repeat their mask: " + draws.size() + " distinct of 40");
            // share of masked values near p = 0.1 over 40 · 600 values
            double share = set / (40.0 * n * g);
            assertTrue(share > 0.08 && share < 0.12, "share " + share);
            // another seed, another pool
            assertFalse(Arrays.equals(p, GnnModel.Augmentation.pool(m, n, g, 0.1f, 8).toBooleanArray()));
        }
    }

    @Test
    void pooledAugmentationMovesValuesToTheGeneLevelOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            GnnModel.Augmentation half = GnnModel.Augmentation.upload(m, AUG_Z, 4, 3, AUG_PROJ, 2, 0.5, 7, true);
            int changed = 0;
            for (int epoch = 0; epoch < 6; epoch++) {
                changed += keptOrAtLevel(half.expression(epoch).toFloatArray());
            }
            assertTrue(changed > 10 && changed < 55, "changed " + changed);
            half.close();
        }
    }

    /** Asserts every augmented value is its clean value or its gene's level; returns how many moved. */
    private static int keptOrAtLevel(float[] x) {
        int changed = 0;
        for (int q = 0; q < x.length; q++) {
            assertTrue(x[q] == AUG_Z[q] || x[q] == AUG_LEVEL[q % 3], "value " + q + ": " + x[q]);
            changed += x[q] != AUG_Z[q] ? 1 : 0;
        }
        return changed;
    }

    @Test
    void dropoutAugmentedGnnStillFindsPlantedEdgesAndIsReproducible() {
        int[][] edges = {{0, 3, 90}, {1, 4, -90}, {2, 5, 80}, {0, 6, 70}, {1, 7, 70}};
        ExpressionMatrix data = Synthetic.linear(200, 40, 3, edges, 4);
        List<String> tfs = List.of("g0", "g1", "g2");
        InferenceOptions o = new InferenceOptions(3, "cpu", Map.of("epochs", "60", "k", "3", "da", "0.2"),
                List.of());
        Network a = new GnnModel().infer(data, tfs, o, Progress.NONE);
        Network b = new GnnModel().infer(data, tfs, o, Progress.NONE);
        Network plain = new GnnModel().infer(data, tfs,
                new InferenceOptions(3, "cpu", Map.of("epochs", "60", "k", "3"), List.of()), Progress.NONE);
        assertEquals(a.edges(), b.edges());
        assertFalse(a.edges().equals(plain.edges()), "da=0.2 trained exactly as without augmentation");
        Set<String> top = new HashSet<>();
        a.top(15).edges().forEach(e -> top.add(e.tf() + ">" + e.target()));
        assertTrue(top.containsAll(Set.of("g0>g3", "g1>g4", "g2>g5", "g0>g6", "g1>g7")), top.toString());
        assertThrows(ModelException.class, () -> new GnnModel().checkParams(Map.of("da", "0.95")));
    }
}
