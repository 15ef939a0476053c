package io.scgrn.models.atac;

import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --atac-param state-share-motifs=fixed|chromatin}: the motif paths' within-state share (round 11b). */
class StateShareMotifsTest {
    @Test
    void theSettingParsesIsFixedByDefaultSurvivesTheCopiesAndABadValueNamesTheField() {
        assertSame(AtacSettings.StateShareMotifs.FIXED, AtacSettings.DEFAULT_STATE_SHARE_MOTIFS);
        assertSame(AtacSettings.StateShareMotifs.FIXED, AtacSettings.defaults(1).stateShareMotifs());
        assertEquals(AtacSettings.defaults(1), AtacSettings.fromParams(Map.of("state-share-motifs", "fixed"), 1));
        AtacSettings on = AtacSettings.fromParams(Map.of("state-share-motifs", "chromatin"), 1);
        assertSame(AtacSettings.StateShareMotifs.CHROMATIN, on.stateShareMotifs());
        assertSame(AtacSettings.StateShareMotifs.CHROMATIN, on.withCoupling(0.2).withStateShare(0.1)
                .withGating(0.1).resolvePriorPower(true).stateShareMotifs());
        for (AtacSettings.StateShareMotifs v : AtacSettings.StateShareMotifs.values()) {
            assertSame(v, AtacSettings.StateShareMotifs.parse(v.param()));
        }
        ModelException e = assertThrows(ModelException.class,
                () -> AtacSettings.fromParams(Map.of("state-share-motifs", "confounding"), 1));
        assertTrue(e.getMessage().contains("state-share-motifs") && e.getMessage().contains("fixed, chromatin"),
                e.getMessage());
    }

    @Test
    void withMotifsTheShareFollowsTheChromatinOnlyWhenAsked() {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(500, 120, 1000, 12, 2, 0.1, 0.5, 4, 2.0));
        MultiomeData data = MultiomeInputs.fromMuData(sim.toMuData(), null, null, null);
        Map<Integer, Map<String, Double>> hits = SimHits.of(sim);
        MotifTable motifs = new MotifTable(hits);
        AtacSettings fixed = AtacSettings.defaults(2);
        AtacSettings chrom = AtacSettings.fromParams(Map.of("state-share-motifs", "chromatin"), 2);
        AtacResult rf = AtacAnalysis.run(data, sim.tfs(), motifs, fixed, Progress.NONE);
        AtacResult rc = AtacAnalysis.run(data, sim.tfs(), motifs, chrom, Progress.NONE);
        // fixed (the default): the settings' share, as before the option existed
        assertEquals(AtacSettings.DEFAULT_STATE_SHARE, rf.stateShare());
        // chromatin: exactly the no-motif path's share (ChromatinSignals of the ATAC step's metacells and links)
        Metacells meta = Metacells.build(data, chrom.metacellsFor(data.nCells()), chrom.metacellSize(),
                chrom.dims(), chrom.rnaWeight(), chrom.seed());
        int[] tfIdx = sim.tfs().stream().distinct().mapToInt(data.genes()::indexOf).filter(i -> i >= 0).toArray();
        ChromatinSignals.Signals cs = ChromatinSignals.of(meta, data.nGenes(), data.nPeaks(), rc.links(), tfIdx);
        double expected = AtacSettings.chromatinShare(cs.couplingTail(), cs.beyondTfGain(),
                AtacSettings.CHROMATIN_TAIL_SCALE, AtacSettings.CHROMATIN_GAIN_SCALE);
        assertEquals(expected, rc.stateShare(), 1e-12);
        assertTrue(Math.abs(rc.stateShare() - AtacSettings.DEFAULT_STATE_SHARE) > 0.01,
                "this simulation's chromatin share differs from the fixed one: " + rc.stateShare());
        // the no-motif path's own share is what it would be anyway: the same number here
        assertEquals(expected, AtacAnalysis.run(data, sim.tfs(), null, chrom, Progress.NONE).stateShare(), 1e-12);
        // only the share moves: the prior, the triplets and the within-state edges are the fixed run's
        assertEquals(rf.prior(), rc.prior());
        assertEquals(rf.triplets(), rc.triplets());
        assertEquals(rf.stateEdges(), rc.stateEdges());
        // without motifs the option changes nothing: a fixed no-motif share stays fixed
        AtacSettings noMotifFixed = AtacSettings.fromParams(Map.of("state-share-from", "fixed",
                "state-share-motifs", "chromatin"), 2);
        assertEquals(AtacSettings.DEFAULT_STATE_SHARE,
                AtacAnalysis.run(data, sim.tfs(), null, noMotifFixed, Progress.NONE).stateShare());
        // an explicit share of 0 stays 0 with motifs too (no within-state term to weigh)
        assertEquals(0, AtacAnalysis.run(data, sim.tfs(), motifs, chrom.withStateShare(0), Progress.NONE)
                .stateShare());
    }
}
