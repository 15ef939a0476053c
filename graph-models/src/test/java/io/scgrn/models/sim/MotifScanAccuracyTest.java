package io.scgrn.models.sim;

import io.scgrn.models.Edge;
import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.atac.AtacAnalysis;
import io.scgrn.models.atac.AtacInformedModel;
import io.scgrn.models.atac.AtacResult;
import io.scgrn.models.atac.AtacSettings;
import io.scgrn.models.atac.MotifTable;
import io.scgrn.models.calibration.DecoyCalibration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MotifScanAccuracy#pipeline} composes the network as {@code scgrn infer} does: the base model receives the
 * ATAC prior in its options where the prior applies (a model that uses it, such as {@code crowd}, then gives another
 * RNA ranking), and is not run again where it does not.
 */
class MotifScanAccuracyTest {
    /** Scores each pair by its index, promoted to the top when it is a prior edge; records the priors it gets. */
    static final class PriorUser implements GrnModel {
        final List<List<Edge>> priors = new ArrayList<>();
        final List<Integer> genes = new ArrayList<>();

        @Override
        public String name() {
            return "prior-user";
        }

        @Override
        public void checkParams(Map<String, String> params) {
        }

        @Override
        public Network infer(ExpressionMatrix data, List<String> tfs, InferenceOptions options, Progress progress) {
            priors.add(options.prior());
            genes.add(data.nGenes());
            Set<String> prior = new HashSet<>();
            options.prior().forEach(e -> prior.add(e.tf() + "\t" + e.target()));
            List<Edge> edges = new ArrayList<>();
            int i = 0;
            for (String tf : tfs) {
                for (String g : data.genes()) {
                    if (!g.equals(tf)) {
                        double score = 1.0 / (++i) + (prior.contains(tf + "\t" + g) ? 1 : 0);
                        edges.add(new Edge(tf, g, score, 1, 1));
                    }
                }
            }
            edges.sort(Network.RANKING);
            return new Network(edges);
        }
    }

    @Test
    void priorReachesTheBaseModelOnlyWhereItApplies(@TempDir Path dir) throws Exception {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(300, 60, 600, 10, 3, 0.1, 0.7, 5));
        sim.writeTruth(dir);
        MultiomeBenchmark.Start pearson = MultiomeBenchmark.Start.of(sim, "pearson", 5);
        PriorUser model = new PriorUser();
        Network rna = model.infer(pearson.x(), pearson.tfs(), pearson.options(), Progress.NONE);
        MultiomeBenchmark.Start start = pearson.withBase(model, rna);
        MotifTable table = MotifTable.read(dir.resolve("motifs.tsv"), start.data().peakNames(), start.data().peaks());
        AtacSettings s = start.settings();

        // with motifs: the base model runs again with the prior, exactly as AtacInformedModel.infer
        model.priors.clear();
        Network withPrior = MotifScanAccuracy.pipeline(start, sim.tfs(), table, s, true);
        assertEquals(1, model.priors.size());
        assertFalse(model.priors.get(0).isEmpty());
        AtacResult res = AtacAnalysis.run(start.data(), sim.tfs(), table, s, Progress.NONE);
        Network expected = new AtacInformedModel(model, res.prior(), res.informativeTargets(),
                s.effectiveFloor(true).getAsDouble(), res.stateEdges(), s.stateShare())
                .withPearsonShare(res.rnaPearson()).infer(start.x(), start.tfs(), start.options(), Progress.NONE);
        assertEquals(expected.edges(), withPrior.edges());

        // prior-to-model=0: the RNA-only network re-weighted, the base model not run; here a different ranking
        model.priors.clear();
        Network after = MotifScanAccuracy.pipeline(start, sim.tfs(), table, s, false);
        assertTrue(model.priors.isEmpty());
        Network n = s.stateShare() > 0 ? AtacInformedModel.blend(rna, res.stateEdges(), s.stateShare()) : rna;
        assertEquals(AtacInformedModel.combine(n, res.prior(), res.informativeTargets(),
                s.effectiveFloor(true).getAsDouble()).edges(), after.edges());
        assertNotEquals(withPrior.edges(), after.edges());

        // no motif evidence: the prior does not apply by default, so the base model gets none and is not re-run
        Network noMotif = MotifScanAccuracy.pipeline(start, sim.tfs(), null, s, true);
        assertTrue(model.priors.isEmpty());
        assertTrue(s.effectiveFloor(false).isEmpty());
        assertEquals(s.stateShare() > 0 ? AtacInformedModel.blend(rna, AtacAnalysis.run(start.data(), sim.tfs(),
                null, s, Progress.NONE).stateEdges(), s.stateShare()).edges() : rna.edges(), noMotif.edges());
    }

    @Test
    void asInferRunsTheWrappedModelWithDecoysAsTheCliDoes(@TempDir Path dir) throws Exception {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(300, 60, 600, 10, 3, 0.1, 0.7, 7));
        sim.writeTruth(dir);
        MultiomeBenchmark.Start pearson = MultiomeBenchmark.Start.of(sim, "pearson", 7);
        PriorUser model = new PriorUser();
        MultiomeBenchmark.Start start = pearson.withBase(model, pearson.rna());
        MotifTable table = MotifTable.read(dir.resolve("motifs.tsv"), start.data().peakNames(), start.data().peaks());
        AtacSettings s = start.settings();
        int nGenes = start.x().nGenes();

        Network viaCli = MotifScanAccuracy.asInfer(start, sim.tfs(), table, s);
        // one run, on the genes plus the default decoys (100 here), with the prior in the options
        assertEquals(List.of(nGenes + DecoyCalibration.Settings.defaults().decoys(nGenes)), model.genes);
        assertFalse(model.priors.get(0).isEmpty());
        AtacResult res = AtacAnalysis.run(start.data(), sim.tfs(), table, s, Progress.NONE);
        Network expected = DecoyCalibration.infer(new AtacInformedModel(model, res.prior(),
                res.informativeTargets(), s.effectiveFloor(true).getAsDouble(), res.stateEdges(), s.stateShare())
                .withPearsonShare(res.rnaPearson()).withStateCells(start.data().cells(), res.stateEdgeStates()),
                start.x(), start.tfs(), start.options(), Progress.NONE, DecoyCalibration.Settings.defaults())
                .network();
        assertEquals(expected.edges(), viaCli.edges());
        Set<String> genes = new HashSet<>(start.x().genes());
        assertTrue(viaCli.edges().stream().allMatch(e -> genes.contains(e.target())));
        assertNotEquals(MotifScanAccuracy.pipeline(start, sim.tfs(), table, s, true).edges(), viaCli.edges());

        // no motif: no prior in the options, the within-state blend still wraps the model (state-share > 0)
        model.priors.clear();
        MotifScanAccuracy.asInfer(start, sim.tfs(), null, s);
        assertEquals(List.of(List.of()), model.priors);
    }

    @Test
    void aModelThatIgnoresThePriorGivesRoundFivesComposition(@TempDir Path dir) throws Exception {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(300, 60, 600, 10, 3, 0.1, 0.7, 6));
        sim.writeTruth(dir);
        MultiomeBenchmark.Start start = MultiomeBenchmark.Start.of(sim, "pearson", 6);
        assertEquals("pearson", start.base().name());
        MotifTable table = MotifTable.read(dir.resolve("motifs.tsv"), start.data().peakNames(), start.data().peaks());
        assertEquals(MotifScanAccuracy.pipeline(start, sim.tfs(), table, start.settings(), false).edges(),
                MotifScanAccuracy.pipeline(start, sim.tfs(), table, start.settings(), true).edges());
    }

    /** {@code base} with |r| blended in at share {@code w}: no prior re-weighting, no within-state blend. */
    private static AtacInformedModel blended(GrnModel base, double w) {
        return new AtacInformedModel(base, List.of(), Set.of(), Double.NaN, List.of(), 0).withPearsonShare(w);
    }

    /**
     * Round 11c's {@code rnabase=W}, now {@code --atac-param rna-pearson=W} ({@link AtacInformedModel#withPearsonShare}):
     * the base model (with its prior) rank-blended with plain |Pearson r|.
     */
    @Test
    void pearsonBlendMovesTheBaseRankingTowardsPearson() {
        java.util.Random rnd = new java.util.Random(11);
        int nc = 80;
        List<String> genes = List.of("T1", "T2", "G1", "G2", "G3", "G4");
        float[] v = new float[nc * genes.size()];
        for (int c = 0; c < nc; c++) {
            float t1 = (float) rnd.nextGaussian();
            float t2 = (float) rnd.nextGaussian();
            float[] row = {t1, t2, t1 + 0.3f * (float) rnd.nextGaussian(), t2 + 0.6f * (float) rnd.nextGaussian(),
                (float) rnd.nextGaussian(), 0.5f * t1 + (float) rnd.nextGaussian()};
            System.arraycopy(row, 0, v, c * genes.size(), row.length);
        }
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < nc; c++) {
            cells.add("c" + c);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, genes);
        List<String> tfs = List.of("T1", "T2");
        List<Edge> prior = List.of(new Edge("T2", "G3", 1, 1, 1));
        InferenceOptions opts = new InferenceOptions(3, "cpu", Map.of(), prior);
        PriorUser base = new PriorUser();
        List<String> baseOrder = pairs(base.infer(x, tfs, opts, Progress.NONE));
        List<String> pearsonOrder = pairs(io.scgrn.models.Models.byName("pearson").infer(x, tfs,
                opts.withPrior(List.of()), Progress.NONE));
        assertNotEquals(baseOrder, pearsonOrder);

        base.priors.clear();
        assertEquals(baseOrder, pairs(blended(base, 0).infer(x, tfs, opts,
                Progress.NONE)));
        // the base model gets the options' prior (the ATAC prior, as AtacInformedModel hands it on)
        assertEquals(List.of(prior), base.priors);
        assertEquals(pearsonOrder, pairs(blended(base, 1).infer(x, tfs, opts,
                Progress.NONE)));
        // half-way: the base's top pair (its prior edge, T2 -> G3, unrelated by |r|) falls below the top, the
        // pair |r| ranks first (T1 -> G1) takes the top
        List<String> half = pairs(blended(base, 0.5).infer(x, tfs, opts, Progress.NONE));
        assertEquals("T2\tG3", baseOrder.get(0));
        assertEquals("T1\tG1", pearsonOrder.get(0));
        assertTrue(pearsonOrder.indexOf("T2\tG3") > 2, pearsonOrder.toString());
        assertEquals("T1\tG1", half.get(0), half.toString());
        assertTrue(half.indexOf("T2\tG3") > 0 && half.indexOf("T2\tG3") < pearsonOrder.indexOf("T2\tG3"),
                half.toString());
        assertNotEquals(baseOrder, half);
        assertNotEquals(pearsonOrder, half);
    }

    private static List<String> pairs(Network n) {
        return n.edges().stream().map(e -> e.tf() + "\t" + e.target()).toList();
    }
}
