package io.scgrn.models.calibration;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecoyCalibrationTest {
    private static final int GENES = 40;
    private static final int TFS = 8;

    /** Genes TF0..TF7, G8..G39, Gaussian noise; with {@code planted}, G8..G31 = TF(j mod 8) + noise. */
    static ExpressionMatrix data(int cells, boolean planted, long seed) {
        Random rnd = new Random(seed);
        List<String> genes = new ArrayList<>();
        for (int j = 0; j < GENES; j++) {
            genes.add(j < TFS ? "TF" + j : "G" + j);
        }
        List<String> names = new ArrayList<>();
        float[] x = new float[cells * GENES];
        for (int c = 0; c < cells; c++) {
            names.add("c" + c);
            for (int j = 0; j < GENES; j++) {
                x[c * GENES + j] = (float) rnd.nextGaussian();
            }
            if (planted) {
                for (int j = 8; j < 32; j++) {
                    int tf = j % 8;
                    x[c * GENES + j] = (float) (x[c * GENES + tf] + 0.5 * rnd.nextGaussian());
                }
            }
        }
        return new ExpressionMatrix(x, names, genes);
    }

    /** {@code data} with every gene's values shuffled over the cells independently: no structure at all. */
    static ExpressionMatrix permuted(ExpressionMatrix data, long seed) {
        Random rnd = new Random(seed);
        int n = data.nCells();
        int g = data.nGenes();
        float[] out = data.values().clone();
        for (int j = 0; j < g; j++) {
            for (int c = n - 1; c > 0; c--) {
                int r = rnd.nextInt(c + 1);
                float t = out[c * g + j];
                out[c * g + j] = out[r * g + j];
                out[r * g + j] = t;
            }
        }
        return new ExpressionMatrix(out, data.cells(), data.genes());
    }

    static List<String> tfs() {
        List<String> t = new ArrayList<>();
        for (int j = 0; j < TFS; j++) {
            t.add("TF" + j);
        }
        return t;
    }

    static DecoyCalibration.Result run(String model, ExpressionMatrix d) {
        return DecoyCalibration.infer(Models.byName(model), d, tfs(), InferenceOptions.defaults(), Progress.NONE,
                DecoyCalibration.Settings.defaults());
    }

    @Test
    void permutedDataHasNothingAtFivePercentForPearsonAndTheDefault() {
        ExpressionMatrix noise = permuted(data(300, true, 1), 2);
        for (String model : List.of("pearson", Models.DEFAULT_NAME)) {
            DecoyCalibration.Result r = run(model, noise);
            assertTrue(r.summary().available(), model);
            assertEquals(0, r.summary().atFdr05(), model + " edges at 5 % on permuted data");
            assertTrue(r.summary().atFdr10() <= 1, model + " edges at 10 %: " + r.summary().atFdr10());
            assertEquals(0, r.filter(0.05).size(), model);
        }
    }

    static boolean isPlanted(Edge e) {
        int j = Integer.parseInt(e.target().substring(e.target().startsWith("TF") ? 2 : 1));
        return j >= 8 && j < 32 && e.tf().equals("TF" + (j % 8));
    }

    @Test
    void plantedEdgesGetSmallQForPearsonAndTheDefault() {
        ExpressionMatrix d = data(300, true, 3);
        for (String model : List.of("pearson", Models.DEFAULT_NAME)) {
            DecoyCalibration.Result r = run(model, d);
            assertEquals(TFS * (GENES - 1), r.network().size(), model + ": every real pair, no decoy edge");
            for (Edge e : r.network().edges()) {
                assertFalse(e.target().startsWith(DecoyCalibration.DECOY_PREFIX), e.toString());
                assertFalse(e.tf().startsWith(DecoyCalibration.DECOY_PREFIX), e.toString());
            }
            List<Edge> planted = r.network().edges().stream().filter(DecoyCalibrationTest::isPlanted).toList();
            assertEquals(24, planted.size());
            // pearson ranks the planted edges first and must call them all at 5 %. gnn's learned term is noisy on 40
            // genes (decoy edges outrank some planted ones), and q must say so rather than hide it: only the
            // edges it does call must be mostly planted.
            if (model.equals("pearson")) {
                for (Edge e : planted) {
                    assertTrue(e.q() <= 0.05, model + " planted " + e);
                }
            }
            List<Edge> at10 = r.filter(0.10).edges();
            long truePos = at10.stream().filter(DecoyCalibrationTest::isPlanted).count();
            assertTrue(truePos >= 8 && truePos >= 0.8 * at10.size(), model + ": " + truePos + " planted of "
                    + at10.size() + " edges at 10 %");
            if (model.equals("pearson")) {
                // Nothing else is real (targets of one TF correlate among themselves, but they are not regulators).
                assertTrue(r.summary().atFdr05() >= 24 && r.summary().atFdr05() <= 27, r.summary().toString());
            }
        }
    }

    @Test
    void qIsMonotoneInScoreAndInUnitInterval() {
        DecoyCalibration.Result r = run("pearson", data(200, true, 5));
        double prev = 0;
        double prevScore = Double.POSITIVE_INFINITY;
        for (Edge e : r.network().edges()) {
            assertTrue(e.score() <= prevScore);
            assertTrue(e.q() >= prev, "q decreases at " + e);
            assertTrue(e.q() > 0 && e.q() <= 1, e.toString());
            prev = e.q();
            prevScore = e.score();
        }
    }

    @Test
    void qValuesByHand() {
        // ratio 2: reals 0.9, 0.8, 0.7, 0.6, 0.6; decoys 0.75, 0.1.
        double[] q = DecoyCalibration.qValues(new double[] {0.6, 0.9, 0.8, 0.7, 0.6}, new double[] {0.75, 0.1}, 2);
        // FDR at 0.9: (1+0)·2/1 = 1 (capped); 0.8: 2/2 = 1; 0.7: (1+1)·2/3 = 4/3 → 1; 0.6 (tie of 2): 4/5.
        assertArrayEquals(new double[] {0.8, 0.8, 0.8, 0.8, 0.8}, q, 1e-12);
        double[] q2 = DecoyCalibration.qValues(new double[] {5, 4, 3, 2, 1}, new double[] {2.5}, 0.5);
        // 5: 0.5, 4: 0.25, 3: 1/6, 2: 2·0.5/4 = 0.25, 1: 0.2 → running minimum from the bottom.
        assertArrayEquals(new double[] {1 / 6.0, 1 / 6.0, 1 / 6.0, 0.2, 0.2}, q2, 1e-12);
    }

    @Test
    void tooFewCellsGivesNoQAndTheModelsPlainNetwork() {
        ExpressionMatrix d = data(DecoyCalibration.MIN_CELLS - 1, true, 7);
        GrnModel pearson = Models.byName("pearson");
        DecoyCalibration.Result r = DecoyCalibration.infer(pearson, d, tfs(), InferenceOptions.defaults(),
                Progress.NONE, DecoyCalibration.Settings.defaults());
        assertFalse(r.summary().available());
        assertTrue(r.summary().reason().contains("fewer than 20 cells"), r.summary().reason());
        // the plain network of the data in its canonical order (float sums in another order differ in the last bit)
        Network plain = pearson.infer(io.scgrn.models.CanonicalOrder.of(d), tfs(), InferenceOptions.defaults(),
                Progress.NONE);
        assertEquals(plain, r.network());
        assertTrue(r.network().edges().stream().allMatch(e -> Double.isNaN(e.q())));
        assertEquals(plain.size(), r.filter(0.05).size(), "without q the filter keeps the network");
        assertEquals(Boolean.FALSE, r.summary().describe().get("available"));
    }

    @Test
    void constantGenesGiveNoQ() {
        int n = 50;
        float[] x = new float[n * GENES];
        Arrays.fill(x, 1f);
        ExpressionMatrix d = new ExpressionMatrix(x, data(n, false, 0).cells(), data(n, false, 0).genes());
        DecoyCalibration.Result r = run("pearson", d);
        assertFalse(r.summary().available());
        assertEquals("every gene is constant", r.summary().reason());
        assertTrue(r.network().edges().stream().allMatch(e -> Double.isNaN(e.q())));
    }

    @Test
    void decoysAreCellPermutedCopiesAppendedAfterTheRealGenes() {
        ExpressionMatrix d = data(30, false, 9);
        List<Integer> sources = DecoyCalibration.nonConstantGenes(d);
        assertEquals(GENES, sources.size());
        ExpressionMatrix a = DecoyCalibration.withDecoys(d, sources, 50, new int[d.nCells()],
                new Random(1));
        assertEquals(GENES + 50, a.nGenes());
        assertEquals(d.genes(), a.genes().subList(0, GENES));
        assertEquals(DecoyCalibration.DECOY_PREFIX + "0", a.genes().get(GENES));
        for (int c = 0; c < d.nCells(); c++) {
            for (int j = 0; j < GENES; j++) {
                assertEquals(d.get(c, j), a.get(c, j));
            }
        }
        // Each decoy's multiset of values is some real gene's.
        assertFirstDecoyPermutesAGene(d, a);
        assertEquals(0, new DecoyCalibration.Settings(0, 1, 1, 0).decoys(100));
        assertEquals(125, DecoyCalibration.Settings.defaults().decoys(1000));
        assertEquals(40, DecoyCalibration.Settings.defaults().decoys(40));
        assertEquals(10, DecoyCalibration.Settings.defaults().decoys(10));
        assertEquals(100, DecoyCalibration.Settings.defaults().decoys(300));
        assertEquals(1000, DecoyCalibration.Settings.defaults().decoys(20000));
        assertNull(run("pearson", data(30, false, 1)).summary().reason());
    }

    /**
     * The model is told which real gene each decoy copies (a model with per-gene side information, the ATAC prior,
     * gives the decoy its source's): every decoy column it sees is named in the map, and holds its source's values
     * in another order.
     */
    @Test
    void theModelIsToldWhichGeneEachDecoyCopies() {
        ExpressionMatrix d = data(60, true, 13);
        ExpressionMatrix[] seen = new ExpressionMatrix[1];
        java.util.Map<String, String> told = new java.util.HashMap<>();
        GrnModel pearson = Models.byName("pearson");
        GrnModel recording = new GrnModel() {
            @Override
            public String name() {
                return "recording";
            }

            @Override
            public Network infer(ExpressionMatrix data, List<String> tfs, InferenceOptions options,
                                 Progress progress) {
                seen[0] = data;
                told.putAll(options.decoySources());
                return pearson.infer(data, tfs, options, progress);
            }
        };
        DecoyCalibration.infer(recording, d, tfs(), InferenceOptions.defaults(), Progress.NONE,
                DecoyCalibration.Settings.defaults());
        ExpressionMatrix a = seen[0];
        int decoys = a.nGenes() - GENES;
        assertEquals(DecoyCalibration.Settings.defaults().decoys(GENES), decoys);
        assertEquals(decoys, told.size());
        for (int j = GENES; j < a.nGenes(); j++) {
            String source = told.get(a.genes().get(j));
            int s = a.genes().indexOf(source);
            assertTrue(s >= 0 && s < GENES, a.genes().get(j) + " copies a real gene: " + source);
            float[] dv = new float[a.nCells()];
            float[] sv = new float[a.nCells()];
            for (int c = 0; c < a.nCells(); c++) {
                dv[c] = a.get(c, j);
                sv[c] = a.get(c, s);
            }
            Arrays.sort(dv);
            Arrays.sort(sv);
            assertArrayEquals(sv, dv, a.genes().get(j) + " holds " + source + "'s values");
        }
        // without decoys (calibration off) the map is empty
        told.clear();
        DecoyCalibration.infer(recording, d, tfs(), InferenceOptions.defaults(), Progress.NONE,
                new DecoyCalibration.Settings(0, 1, 1, 0));
        assertTrue(told.isEmpty());
    }

    /**
     * A model whose network is a random ranking of pearson's pairs (decoys included: no information) and which
     * names pearson's own ranking as the part it re-ranks, as the multiome model names its RNA base.
     */
    private static GrnModel noiseOverPearson() {
        GrnModel pearson = Models.byName("pearson");
        return new GrnModel() {
            @Override
            public String name() {
                return "noise-over-pearson";
            }

            @Override
            public Network infer(ExpressionMatrix data, List<String> tfs, InferenceOptions options,
                                 Progress progress) {
                return inferRanked(data, tfs, options, progress).network();
            }

            @Override
            public Ranked inferRanked(ExpressionMatrix data, List<String> tfs, InferenceOptions options,
                                      Progress progress) {
                Network base = pearson.infer(data, tfs, options, progress);
                Random rnd = new Random(17);
                List<Edge> noise = new ArrayList<>();
                for (Edge e : base.edges()) {
                    noise.add(new Edge(e.tf(), e.target(), rnd.nextDouble(), e.sign(), e.stability()));
                }
                noise.sort(Network.RANKING);
                return new Ranked(new Network(noise), List.of(base));
            }
        };
    }

    /** An edge the part finds keeps its discovery at twice its q there; the summary says two rankings were used. */
    @Test
    void anEdgeFoundByEitherRankingGetsTwiceItsSmallerQ() {
        ExpressionMatrix d = data(300, true, 3);
        DecoyCalibration.Result alone = run("pearson", d);
        DecoyCalibration.Result r = DecoyCalibration.infer(noiseOverPearson(), d, tfs(), InferenceOptions.defaults(),
                Progress.NONE, DecoyCalibration.Settings.defaults());
        assertEquals(2, r.summary().rankings());
        assertEquals(1, alone.summary().rankings());
        java.util.Map<String, Double> qAlone = new java.util.HashMap<>();
        alone.network().edges().forEach(e -> qAlone.put(e.tf() + "\t" + e.target(), e.q()));
        int planted = 0;
        for (Edge e : r.network().edges()) {
            double qa = qAlone.get(e.tf() + "\t" + e.target());
            // the noise ranking's own q is near 1 for every edge, so the union's q is 2 × pearson's (capped at 1)
            assertTrue(e.q() <= Math.min(1, 2 * qa) + 1e-12, e + " vs pearson's q " + qa);
            if (isPlanted(e)) {
                planted++;
                assertTrue(e.q() <= 0.10, "planted " + e);
            }
        }
        assertEquals(24, planted);
        assertTrue(r.summary().atFdr10() >= 24, r.summary().toString());
    }

    /** On data without structure neither ranking finds anything, so neither does their union. */
    @Test
    void eitherRankingOnPermutedDataFindsNothing() {
        ExpressionMatrix noise = permuted(data(300, true, 1), 2);
        DecoyCalibration.Result r = DecoyCalibration.infer(noiseOverPearson(), noise, tfs(),
                InferenceOptions.defaults(), Progress.NONE, DecoyCalibration.Settings.defaults());
        assertEquals(0, r.summary().atFdr05());
        assertTrue(r.summary().atFdr10() <= 1, r.summary().toString());
    }

    @Test
    void eitherRankingByHand() {
        // network: A→x 0.9, A→y 0.8, A→z 0.1, decoy A→d 0.85; part: A→z 0.9, A→x 0.5, A→y 0.4, decoy A→d 0.3
        List<Edge> real = List.of(new Edge("A", "x", 0.9, 1, 1), new Edge("A", "y", 0.8, 1, 1),
                new Edge("A", "z", 0.1, 1, 1));
        double ratio = 1;
        double[] q = DecoyCalibration.qValues(new double[] {0.9, 0.8, 0.1}, new double[] {0.85}, ratio);
        // own q: x (0+1)/1 = 1, y (1+1)/2 = 1, z (1+1)/3 = 2/3 → running minimum 2/3 everywhere
        assertArrayEquals(new double[] {2 / 3.0, 2 / 3.0, 2 / 3.0}, q, 1e-12);
        Network part = new Network(List.of(new Edge("A", "z", 0.9, 1, 1), new Edge("A", "x", 0.5, 1, 1),
                new Edge("A", "y", 0.4, 1, 1), new Edge("A", "scgrn:decoy:0", 0.3, 1, 1)));
        // part's q: z 1/1 = 1, x 1/2, y 1/3 → running minimum: z 1/3, x 1/3, y 1/3; union: min(1, 2 × min)
        double[] u = DecoyCalibration.eitherRanking(real, q, List.of(part), java.util.Set.of("scgrn:decoy:0"), ratio);
        assertArrayEquals(new double[] {2 / 3.0, 2 / 3.0, 2 / 3.0}, u, 1e-12);
        Network sharp = new Network(List.of(new Edge("A", "x", 0.9, 1, 1), new Edge("A", "y", 0.8, 1, 1),
                new Edge("A", "z", 0.7, 1, 1), new Edge("A", "scgrn:decoy:0", 0.1, 1, 1)));
        // sharp's q with ratio 1/4: x (1)·0.25/1, y 0.25/2, z 0.25/3 → running minimum 1/12 for all three
        double[] v = DecoyCalibration.eitherRanking(real, q, List.of(sharp), java.util.Set.of("scgrn:decoy:0"), 0.25);
        assertArrayEquals(new double[] {1 / 6.0, 1 / 6.0, 1 / 6.0}, v, 1e-12);
    }

    /** A decoy gets its source gene's prior edges (same TF, score and sign); options without a prior are kept. */
    @Test
    void aDecoyGetsThePriorEdgesOfTheGeneItCopies() {
        String d0 = DecoyCalibration.DECOY_PREFIX + "0";
        String d1 = DecoyCalibration.DECOY_PREFIX + "1";
        String d2 = DecoyCalibration.DECOY_PREFIX + "2";
        InferenceOptions o = new InferenceOptions(0, "cpu", java.util.Map.of(),
                List.of(new Edge("TF0", "G8", 0.7, -1, Double.NaN), new Edge("TF1", "G8", 0.2, 1, Double.NaN),
                        new Edge("TF2", "G9", 1.0, 1, Double.NaN)));
        InferenceOptions w = DecoyCalibration.withDecoyPrior(o, java.util.Map.of(d0, "G8", d1, "G10", d2, "G8"));
        assertEquals(7, w.prior().size());
        assertEquals(o.prior(), w.prior().subList(0, 3));
        assertTrue(w.prior().contains(new Edge("TF0", d0, 0.7, -1, Double.NaN)));
        assertTrue(w.prior().contains(new Edge("TF1", d0, 0.2, 1, Double.NaN)));
        assertTrue(w.prior().contains(new Edge("TF0", d2, 0.7, -1, Double.NaN)));
        assertTrue(w.prior().contains(new Edge("TF1", d2, 0.2, 1, Double.NaN)));
        assertTrue(w.prior().stream().noneMatch(e -> e.target().equals(d1)), "G10 has no prior edge");
        InferenceOptions none = InferenceOptions.defaults();
        assertSame(none, DecoyCalibration.withDecoyPrior(none, java.util.Map.of(d0, "G8")));
    }

    /** Model-agnostic: every registered model (the default whatever it is) gets an empty 5 % network on noise. */
    @Test
    void everyRegisteredModelCalibrates() {
        ExpressionMatrix d = data(200, true, 11);
        ExpressionMatrix noise = permuted(d, 12);
        for (String model : Models.names()) {
            DecoyCalibration.Result r = run(model, d);
            assertTrue(r.summary().available(), model);
            Edge best = r.network().edges().get(0);
            assertTrue(isPlanted(best) && best.q() <= 0.10, model + " " + best);
            assertEquals(0, run(model, noise).summary().atFdr05(), model + " on permuted data");
        }
    }

    @Test
    void stratifiedDecoysKeepEveryCellsStratum() {
        // Two cell states 10 units apart in every gene: k-means must find them, and a decoy value at a cell must
        // come from a cell of the same state.
        int n = 120;
        ExpressionMatrix base = data(n, false, 13);
        float[] x = base.values().clone();
        for (int c = n / 2; c < n; c++) {
            for (int j = 0; j < GENES; j++) {
                x[c * GENES + j] += 10;
            }
        }
        ExpressionMatrix d = new ExpressionMatrix(x, base.cells(), base.genes());
        int[] strata = DecoyCalibration.strata(d, 60, 1);
        for (int c = 0; c < n; c++) {
            assertEquals(strata[0] == 0 ? c < n / 2 ? 0 : 1 : c < n / 2 ? 1 : 0, strata[c], "cell " + c);
        }
        ExpressionMatrix a = DecoyCalibration.withDecoys(d, DecoyCalibration.nonConstantGenes(d), 20, strata,
                new Random(2));
        for (int c = 0; c < n; c++) {
            for (int k = 0; k < 20; k++) {
                assertEquals(c >= n / 2, a.get(c, GENES + k) > 5, "decoy " + k + " at cell " + c);
            }
        }
        // Each decoy is a permutation of its source: the same multiset of values.
        assertFirstDecoyPermutesAGene(d, a);
        assertEquals(1, Arrays.stream(DecoyCalibration.strata(d, 0, 1)).distinct().count());
        assertEquals(1, Arrays.stream(DecoyCalibration.strata(d, 100, 1)).distinct().count());
        // With strata, permuted data still gives nothing at 5 %.
        DecoyCalibration.Result r = DecoyCalibration.infer(Models.byName("pearson"), permuted(data(300, true, 1), 2),
                tfs(), InferenceOptions.defaults(), Progress.NONE,
                DecoyCalibration.Settings.defaults().withCellsPerStratum(50));
        assertEquals(6, r.summary().strata());
        assertEquals(0, r.summary().atFdr05());
    }

    /**
     * The file's order of cells and genes does not change the network: crowd (the default, whose learned term and
     * within-state k-means draw by position) on the same data with cells and genes shuffled gives the same edges,
     * scores and q-values (round 12 measured Spearman 0.87–0.99 between the orders before the canonical order).
     */
    @Test
    void theOrderOfCellsAndGenesDoesNotChangeTheNetwork() {
        ExpressionMatrix d = data(300, true, 11);
        Random rnd = new Random(12);
        List<Integer> cells = new ArrayList<>();
        for (int c = 0; c < d.nCells(); c++) {
            cells.add(c);
        }
        java.util.Collections.shuffle(cells, rnd);
        List<Integer> genes = new ArrayList<>();
        for (int g = 0; g < d.nGenes(); g++) {
            genes.add(g);
        }
        java.util.Collections.shuffle(genes, rnd);
        float[] v = new float[d.values().length];
        List<String> cn = new ArrayList<>();
        List<String> gn = new ArrayList<>();
        genes.forEach(g -> gn.add(d.genes().get(g)));
        for (int i = 0; i < cells.size(); i++) {
            cn.add(d.cells().get(cells.get(i)));
            for (int k = 0; k < genes.size(); k++) {
                v[i * genes.size() + k] = d.get(cells.get(i), genes.get(k));
            }
        }
        ExpressionMatrix shuffled = new ExpressionMatrix(v, cn, gn);
        InferenceOptions o = new InferenceOptions(0, "cpu", java.util.Map.of(), List.of());
        Network a = DecoyCalibration.infer(Models.byName("crowd"), d, tfs(), o, Progress.NONE,
                DecoyCalibration.Settings.defaults()).network();
        Network b = DecoyCalibration.infer(Models.byName("crowd"), shuffled, tfs(), o, Progress.NONE,
                DecoyCalibration.Settings.defaults()).network();
        assertEquals(a.size(), b.size());
        java.util.Map<String, Edge> byPair = new java.util.HashMap<>();
        b.edges().forEach(e -> byPair.put(e.tf() + ">" + e.target(), e));
        for (Edge e : a.edges()) {
            Edge f = byPair.get(e.tf() + ">" + e.target());
            assertEquals(e.score(), f.score(), 0.0, e.tf() + ">" + e.target());
            assertEquals(e.q(), f.q(), 0.0, e.tf() + ">" + e.target());
        }
    }

    /** The first decoy column of {@code withDecoys} holds the same multiset of values as some gene of {@code d}. */
    private static void assertFirstDecoyPermutesAGene(ExpressionMatrix d, ExpressionMatrix withDecoys) {
        float[] dec = withDecoys.geneColumn(GENES);
        Arrays.sort(dec);
        boolean found = false;
        for (int j = 0; j < GENES && !found; j++) {
            float[] col = d.geneColumn(j);
            Arrays.sort(col);
            found = Arrays.equals(col, dec);
        }
        assertTrue(found, "decoy " + withDecoys.genes().get(GENES) + " is no gene's permutation");
    }
}
