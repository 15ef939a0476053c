package io.scgrn.models.atac;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.GrnModel;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Models;
import io.scgrn.models.Network;
import io.scgrn.models.Progress;
import io.scgrn.models.prep.PrepOptions;
import io.scgrn.models.prep.Preparation;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --atac-param rna-pearson=W, rna-pearson-below=S}: |r| in the motif paths' RNA ranking (round 11d; the default
 * since round 11e: W 0.5 below S 0.45).
 */
class RnaPearsonTest {
    @Test
    void settingsParseDefaultOffAndBadValuesNameTheField() {
        assertEquals(0.5, AtacSettings.defaults(1).rnaPearson());
        assertEquals(0.45, AtacSettings.defaults(1).rnaPearsonBelow());
        assertEquals(AtacSettings.defaults(1), AtacSettings.fromParams(Map.of("rna-pearson", "0.5"), 1));
        AtacSettings on = AtacSettings.fromParams(Map.of("rna-pearson", "0.5", "rna-pearson-below", "0.45"), 1);
        assertEquals(0.5, on.withCoupling(0.2).withStateShare(0.1).resolvePriorPower(true).rnaPearson());
        assertEquals(0.45, on.withGating(0.1).rnaPearsonBelow());
        ModelException e = assertThrows(ModelException.class,
                () -> AtacSettings.fromParams(Map.of("rna-pearson", "1.5"), 1));
        assertTrue(e.getMessage().contains("rna-pearson"), e.getMessage());
    }

    @Test
    void theShareAppliesWithMotifsWhereTheChromatinShareIsBelowTheCutAndBlendsPlainR() {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(500, 120, 1000, 12, 2, 0.1, 0.5, 4, 2.0));
        MultiomeData data = MultiomeInputs.fromMuData(sim.toMuData(), null, null, null);
        Map<Integer, Map<String, Double>> hits = SimHits.of(sim);
        MotifTable motifs = new MotifTable(hits);
        AtacResult off = AtacAnalysis.run(data, sim.tfs(), motifs,
                AtacSettings.fromParams(Map.of("rna-pearson", "0"), 2), Progress.NONE);
        assertEquals(0, off.rnaPearson());
        AtacResult always = AtacAnalysis.run(data, sim.tfs(), motifs,
                AtacSettings.fromParams(Map.of("rna-pearson", "0.5", "rna-pearson-below", "1"), 2), Progress.NONE);
        assertEquals(0.5, always.rnaPearson());
        // the chromatin share is never below 0, so a cut at 0 never applies the blend; above its maximum (0.6) always
        assertEquals(0, AtacAnalysis.run(data, sim.tfs(), motifs,
                AtacSettings.fromParams(Map.of("rna-pearson", "0.5", "rna-pearson-below", "0"), 2), Progress.NONE)
                .rnaPearson());
        assertEquals(0.5, AtacAnalysis.run(data, sim.tfs(), motifs,
                AtacSettings.fromParams(Map.of("rna-pearson", "0.5", "rna-pearson-below", "0.61"), 2), Progress.NONE)
                .rnaPearson());
        // without motifs the option does nothing
        assertEquals(0, AtacAnalysis.run(data, sim.tfs(), null,
                AtacSettings.fromParams(Map.of("rna-pearson-below", "1"), 2), Progress.NONE).rnaPearson());
        // only the share is new: prior, triplets and the within-state share are the default run's
        assertEquals(off.prior(), always.prior());
        assertEquals(off.stateShare(), always.stateShare());

        // the model: share 1 with no prior and no within-state blend ranks exactly as plain |r| does
        var x = Preparation.prepare(sim.toMuData().mod().get("rna"), sim.tfs(), PrepOptions.defaults());
        InferenceOptions opts = new InferenceOptions(2, "cpu", Map.of(), List.of());
        Network r = Models.byName("pearson").infer(x.matrix(), x.tfs(), opts, Progress.NONE);
        var crowdLike = Models.byName("spearman");
        Network base = crowdLike.infer(x.matrix(), x.tfs(), opts, Progress.NONE);
        AtacInformedModel plain = new AtacInformedModel(crowdLike, List.of(), off.informativeTargets(), Double.NaN,
                List.of(), 0);
        assertEquals(pairs(base), pairs(plain.infer(x.matrix(), x.tfs(), opts, Progress.NONE)));
        assertEquals(pairs(r).subList(0, 50), pairs(plain.withPearsonShare(1).infer(x.matrix(), x.tfs(), opts,
                Progress.NONE)).subList(0, 50));
        assertNotEquals(pairs(base).subList(0, 50), pairs(r).subList(0, 50), "the two rankings differ here");
        // the options carry the base model's parameters (the CLI hands crowd its settings): |r| is computed without
        // them, as pearson refuses parameters it does not know
        GrnModel takesParams = new GrnModel() {
            @Override
            public String name() {
                return "takes-params";
            }

            @Override
            public Network infer(ExpressionMatrix d, List<String> t, InferenceOptions o, Progress p) {
                assertEquals(Map.of("learned-runs", "3"), o.params());
                return crowdLike.infer(d, t, o.withParams(Map.of()), p);
            }
        };
        InferenceOptions withParams = opts.withParams(Map.of("learned-runs", "3"));
        assertEquals(pairs(r).subList(0, 50), pairs(new AtacInformedModel(takesParams, List.of(),
                off.informativeTargets(), Double.NaN, List.of(), 0).withPearsonShare(1).infer(x.matrix(), x.tfs(),
                withParams, Progress.NONE)).subList(0, 50));
    }

    private static List<String> pairs(Network n) {
        return n.edges().stream().map(e -> e.tf() + ">" + e.target()).toList();
    }
}
