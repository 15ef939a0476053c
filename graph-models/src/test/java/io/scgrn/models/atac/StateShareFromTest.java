package io.scgrn.models.atac;

import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AtacSettings.StateShareFrom}: the no-motif share of the within-state ranking set from how much of the
 * TF–gene co-expression the cell states carry ({@link CellStates#coexpressionInflation}).
 */
class StateShareFromTest {
    @Test
    void theShareGrowsWithTheLogOfTheInflationAndIsClipped() {
        assertEquals(0, AtacSettings.confoundingShare(1, 0.25));
        assertEquals(0, AtacSettings.confoundingShare(0.8, 0.25));
        assertEquals(0, AtacSettings.confoundingShare(Double.NaN, 0.25));
        assertEquals(0.25, AtacSettings.confoundingShare(Math.E, 0.25), 1e-12);
        assertEquals(0.5, AtacSettings.confoundingShare(Math.E * Math.E, 0.25), 1e-12);
        assertEquals(AtacSettings.MAX_CONFOUNDING_SHARE, AtacSettings.confoundingShare(1e6, 0.25));
        assertTrue(AtacSettings.confoundingShare(3, 0.25) < AtacSettings.confoundingShare(4, 0.25));
    }

    @Test
    void theSettingParsesRoundTripsAndDefaultsToFixed() {
        assertEquals(AtacSettings.DEFAULT_STATE_SHARE_FROM, AtacSettings.fromParams(Map.of(), 1).stateShareFrom());
        for (AtacSettings.StateShareFrom f : AtacSettings.StateShareFrom.values()) {
            AtacSettings s = AtacSettings.fromParams(Map.of("state-share-from", f.param()), 1);
            assertEquals(f, s.stateShareFrom());
            // the copies keep it
            assertEquals(f, s.withStateShare(0.5).withGating(0.2).withCoupling(0.1).resolvePriorPower(true)
                    .stateShareFrom());
        }
        ModelException e = assertThrows(ModelException.class,
                () -> AtacSettings.fromParams(Map.of("state-share-from", "data"), 1));
        assertTrue(e.getMessage().contains("state-share-from") && e.getMessage().contains("confounding"),
                e.getMessage());
    }

    private static MultiomeData data(Simulation sim) {
        return MultiomeInputs.fromMuData(sim.toMuData(), null, null, null);
    }

    @Test
    void theInflationIsLargeUnderCellTypeConfoundingAndNearOneWithout() {
        // two cell types, strong type effects on every gene: co-expression mostly between the states
        Simulation confounded = MultiomeSimulator.simulate(new SimulationConfig(500, 120, 1000, 12, 2, 0.1, 0.5, 3,
                2.5));
        // many types, weak type effects
        Simulation weak = MultiomeSimulator.simulate(new SimulationConfig(500, 120, 1000, 12, 6, 0.1, 0.5, 3,
                0.2));
        AtacSettings s = AtacSettings.defaults(1);
        MultiomeData dc = data(confounded);
        MultiomeData dw = data(weak);
        double ic = CellStates.coexpressionInflation(dc, confounded.tfs(), CellStates.states(dc, 8, s));
        double iw = CellStates.coexpressionInflation(dw, weak.tfs(), CellStates.states(dw, 8, s));
        assertTrue(ic > 3, "confounded: " + ic);
        assertTrue(iw < 2 && iw > 0.8, "weak: " + iw);
        // one state: nothing is removed
        assertEquals(1, CellStates.coexpressionInflation(dw, weak.tfs(), new int[dw.nCells()]), 1e-6);
        // no TF among the genes: NaN
        assertTrue(Double.isNaN(CellStates.coexpressionInflation(dw, java.util.List.of("NOPE"),
                new int[dw.nCells()])));
    }

    @Test
    void theAnalysisSetsTheShareFromTheDataWithoutMotifsOnly() {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(500, 120, 1000, 12, 2, 0.1, 0.5, 4, 2.0));
        MultiomeData data = data(sim);
        AtacSettings fixed = AtacSettings.fromParams(Map.of("state-share-from", "fixed"), 2);
        AtacSettings conf = AtacSettings.fromParams(Map.of("state-share-from", "confounding"), 2);
        AtacResult rf = AtacAnalysis.run(data, sim.tfs(), null, fixed, Progress.NONE);
        AtacResult rc = AtacAnalysis.run(data, sim.tfs(), null, conf, Progress.NONE);
        assertEquals(AtacSettings.DEFAULT_STATE_SHARE, rf.stateShare());
        double inflation = CellStates.coexpressionInflation(data, sim.tfs(), CellStates.states(data, 8, conf));
        double expected = AtacSettings.confoundingShare(inflation, AtacSettings.CONFOUNDING_SCALE);
        assertEquals(expected, rc.stateShare(), 1e-12);
        assertTrue(Math.abs(rc.stateShare() - rf.stateShare()) > 0.05, "set from the data: " + rc.stateShare());
        // the within-state ranking itself and the triplets are the same
        assertEquals(rf.stateEdges(), rc.stateEdges());
        assertEquals(rf.triplets(), rc.triplets());
        // with motif information the settings' share stays
        MotifTable none = new MotifTable(Map.of());
        assertEquals(AtacSettings.DEFAULT_STATE_SHARE,
                AtacAnalysis.run(data, sim.tfs(), none, conf, Progress.NONE).stateShare());
        // an explicit state-share 0 stays 0 (no within-state ranking)
        assertEquals(0, AtacAnalysis.run(data, sim.tfs(), null, conf.withStateShare(0), Progress.NONE)
                .stateShare());
    }
}
