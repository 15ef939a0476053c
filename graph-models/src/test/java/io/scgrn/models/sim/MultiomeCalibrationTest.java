package io.scgrn.models.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.atac.AtacAnalysis;
import io.scgrn.models.atac.AtacInformedModel;
import io.scgrn.models.atac.AtacResult;
import io.scgrn.models.atac.AtacSettings;
import io.scgrn.models.atac.MultiomeData;
import io.scgrn.models.calibration.DecoyCalibration;
import io.scgrn.models.numerics.Sampling;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * q-values of the ATAC-informed network where the within-state blend is on (the no-motif path): on expression
 * without any structure, nothing passes q ≤ 0.05. The decoy targets must meet the blend as real targets do: before
 * {@link AtacInformedModel#withStateCells} they had no within-state score (percentile 0), every real target outranked
 * them and the q-values called a large share of pure noise significant.
 */
class MultiomeCalibrationTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    /** Each gene's values over the cells in a seeded random order of its own: no gene-gene structure is left. */
    private static float[] permuteColumns(float[] x, int n, int g, long seed) {
        float[] out = new float[x.length];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int j = 0; j < g; j++) {
            int[] perm = Sampling.permutation(n, rnd);
            for (int c = 0; c < n; c++) {
                out[c * g + j] = x[perm[c] * g + j];
            }
        }
        return out;
    }

    @Test
    void withinStateBlendKeepsNoiseBelowTheFdr() {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(500, 80, 300, 10, 4, 0.1, 0.5, 11, 2.0));
        SimSpec.Paired paired = SimSpec.Paired.of(sim);
        MultiomeData d = paired.data();
        int n = d.nCells();
        int g = d.nGenes();
        // the chromatin (and so the cell states) as simulated, the expression without any structure
        MultiomeData noise = new MultiomeData(d.cells(), d.genes(), permuteColumns(d.rna(), n, g, 5), d.peaks(),
                d.peakNames(), d.atac(), d.loci(), d.cellLabels(), d.rnaOnly(), d.atacOnly());
        ExpressionMatrix x = new ExpressionMatrix(noise.rna(), noise.cells(), noise.genes());
        List<String> tfs = sim.tfs();
        AtacSettings s = AtacSettings.defaults(0).withStateShare(0.5);
        AtacResult res = AtacAnalysis.run(noise, tfs, null, s, Progress.NONE, false);
        assertTrue(!res.stateEdges().isEmpty() && res.stateEdgeStates() != null, "the blend is on");
        InferenceOptions o = new InferenceOptions(0, "cpu", Map.of(), List.of());
        AtacInformedModel without = new AtacInformedModel(Models.byName("pearson"), List.of(),
                res.informativeTargets(), Double.NaN, res.stateEdges(), res.stateShare());
        AtacInformedModel with = without.withStateCells(noise.cells(), res.stateEdgeStates());

        DecoyCalibration.Result fixed = DecoyCalibration.infer(with, x, tfs, o, Progress.NONE,
                DecoyCalibration.Settings.defaults());
        DecoyCalibration.Result old = DecoyCalibration.infer(without, x, tfs, o, Progress.NONE,
                DecoyCalibration.Settings.defaults());
        int edges = fixed.network().edges().size();
        assertTrue(fixed.summary().available());
        assertTrue(fixed.summary().atFdr05() <= edges / 100,
                fixed.summary().atFdr05() + " of " + edges + " noise edges at q <= 0.05");
        // the check can fail: without the decoys' within-state scores the same noise looks significant
        assertTrue(old.summary().atFdr05() > edges / 10,
                old.summary().atFdr05() + " of " + edges + " without the decoys' within-state scores");
        // the real pairs' scores and order are the same either way: only the decoys are placed differently
        List<Edge> a = with.infer(x, tfs, o, Progress.NONE).edges();
        List<Edge> b = without.infer(x, tfs, o, Progress.NONE).edges();
        assertEquals(b, a);
    }

    /**
     * The motif path on the same structureless expression, with motif hits at random peaks: before the decoys took
     * their source gene's chromatin evidence (the map {@link DecoyCalibration} hands the model), every real target with a hit
     * outranked every decoy (which has no peaks) and about a fifth of the pairs passed q ≤ 0.05.
     */
    @Test
    void motifPriorIsNotCountedAsDiscoveryOnNoise(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(500, 80, 300, 10, 4, 0.1, 0.5, 11, 2.0));
        sim.writeTruth(dir);
        MultiomeData d = SimSpec.Paired.of(sim).data();
        int n = d.nCells();
        int g = d.nGenes();
        MultiomeData noise = new MultiomeData(d.cells(), d.genes(), permuteColumns(d.rna(), n, g, 5), d.peaks(),
                d.peakNames(), d.atac(), d.loci(), d.cellLabels(), d.rnaOnly(), d.atacOnly());
        ExpressionMatrix x = new ExpressionMatrix(noise.rna(), noise.cells(), noise.genes());
        io.scgrn.models.atac.MotifTable real = io.scgrn.models.atac.MotifTable.read(dir.resolve("motifs.tsv"),
                noise.peakNames(), noise.peaks());
        java.util.Map<Integer, java.util.Map<String, Double>> hits = new java.util.HashMap<>();
        SplittableRandom rnd = new SplittableRandom(3);
        real.hits().values().forEach(h -> h.forEach((tf, v) -> hits.computeIfAbsent(rnd.nextInt(noise.nPeaks()),
                k -> new java.util.HashMap<>()).merge(tf, v, Math::max)));
        AtacSettings s = AtacSettings.defaults(0);
        AtacResult res = AtacAnalysis.run(noise, sim.tfs(), new io.scgrn.models.atac.MotifTable(hits), s,
                Progress.NONE);
        assertTrue(!res.prior().isEmpty(), "the prior re-weights");
        AtacInformedModel m = new AtacInformedModel(Models.byName("pearson"), res.prior(), res.informativeTargets(),
                s.effectiveFloor(true).getAsDouble(), res.stateEdges(), res.stateShare())
                .withPearsonShare(res.rnaPearson()).withStateCells(noise.cells(), res.stateEdgeStates());
        InferenceOptions o = new InferenceOptions(0, "cpu", Map.of(), List.of());
        DecoyCalibration.Result r = DecoyCalibration.infer(m, x, sim.tfs(), o, Progress.NONE,
                DecoyCalibration.Settings.defaults());
        int edges = r.network().edges().size();
        assertTrue(r.summary().atFdr05() <= edges / 100, r.summary().atFdr05() + " of " + edges
                + " noise edges at q <= 0.05 with a random motif table");
    }

    @Test
    void aDecoyTakesThePriorOfTheGeneItCopies() {
        // the prior's weight of a decoy is its source's
        Network rna = new Network(List.of(new Edge("T", "A", 0.9, 1, Double.NaN), new Edge("T", "D", 0.8, 1,
                Double.NaN), new Edge("T", "B", 0.5, 1, Double.NaN)));
        Network c = AtacInformedModel.combine(rna, List.of(new Edge("T", "A", 1.0, 1, Double.NaN)), Set.of("A", "B"),
                0.5, Map.of("D", "A"));
        Map<String, Double> score = new java.util.HashMap<>();
        c.edges().forEach(e -> score.put(e.target(), e.score()));
        assertEquals((1 - 1.0 / 3) * 1.0, score.get("D"), 1e-12);
        assertEquals((1 - 2.0 / 3) * 0.5, score.get("B"), 1e-12);
    }

    @Test
    void placedPairsTakeThePercentileTheirScoreWouldHave() {
        Network rna = new Network(List.of(new Edge("T", "A", 0.9, 1, Double.NaN), new Edge("T", "B", 0.5, 1,
                Double.NaN), new Edge("T", "D", 0.1, 1, Double.NaN)));
        List<Edge> other = List.of(new Edge("T", "A", 0.8, 1, Double.NaN), new Edge("T", "B", 0.2, 1, Double.NaN));
        // D scores 0.5 in the other ranking: one of the two listed edges scores higher, percentile 1 - 1/2
        Network b = AtacInformedModel.blend(rna, other, List.of(new Edge("T", "D", 0.5, 1, Double.NaN)), 1.0);
        Map<String, Double> score = new java.util.HashMap<>();
        b.edges().forEach(e -> score.put(e.target(), e.score()));
        assertEquals(1.0, score.get("A"), 1e-12);
        assertEquals(0.5, score.get("B"), 1e-12);
        assertEquals(0.5, score.get("D"), 1e-12);
        // without it D has no score in the other ranking: percentile 0
        Network plain = AtacInformedModel.blend(rna, other, 1.0);
        assertEquals(0.0, plain.edges().stream().filter(e -> e.target().equals("D")).findFirst().orElseThrow()
                .score(), 1e-12);
        assertEquals(Set.of("A", "B", "D"), Set.copyOf(b.edges().stream().map(Edge::target).toList()));
    }
}
