package io.scgrn.models.atac;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.InferenceOptions;
import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AtacSettings.WithinStatesFrom}: cell states from the chromatin for the RNA model's within-state term. */
class AtacWithinStatesTest {
    @Test
    void theSettingParsesRoundTripsAndDefaultsToTheModelsOwnStates() {
        assertEquals(AtacSettings.DEFAULT_WITHIN_STATES, AtacSettings.fromParams(Map.of(), 1).withinStates());
        assertEquals(AtacSettings.WithinStatesFrom.RNA, AtacSettings.DEFAULT_WITHIN_STATES);
        for (AtacSettings.WithinStatesFrom w : AtacSettings.WithinStatesFrom.values()) {
            AtacSettings s = AtacSettings.fromParams(Map.of("within-states", w.param()), 1);
            assertEquals(w, s.withinStates());
            // the copies keep it
            assertEquals(w, s.withStateShare(0.5).withGating(0.2).withCoupling(0.1).resolvePriorPower(true)
                    .withinStates());
        }
        ModelException e = assertThrows(ModelException.class,
                () -> AtacSettings.fromParams(Map.of("within-states", "cells"), 1));
        assertTrue(e.getMessage().contains("within-states") && e.getMessage().contains("joint"), e.getMessage());
    }

    @Test
    void theAnalysisGivesJointOrChromatinStatesAndTheWrapperHandsThemOnByCellName() {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(400, 120, 1000, 12, 3, 0.1, 0.7, 5));
        MultiomeData data = MultiomeInputs.fromMuData(sim.toMuData(), null, null, null);
        AtacSettings rna = AtacSettings.defaults(2);
        AtacSettings joint = AtacSettings.fromParams(Map.of("within-states", "joint"), 2);
        AtacSettings atac = AtacSettings.fromParams(Map.of("within-states", "atac", "states", "3"), 2);
        assertNull(AtacAnalysis.run(data, sim.tfs(), null, rna, Progress.NONE).cellStates());
        AtacResult rj = AtacAnalysis.run(data, sim.tfs(), null, joint, Progress.NONE);
        assertArrayEquals(CellStates.states(data, joint.states(), joint), rj.cellStates());
        AtacResult ra = AtacAnalysis.run(data, sim.tfs(), null, atac, Progress.NONE);
        assertArrayEquals(CellStates.atacStates(data, 3, atac), ra.cellStates());
        assertEquals(3, java.util.Arrays.stream(ra.cellStates()).max().orElseThrow() + 1);
        // the triplets and the prior do not depend on where the within-state states come from
        assertEquals(AtacAnalysis.run(data, sim.tfs(), null, rna, Progress.NONE).triplets(), rj.triplets());

        // the wrapper hands the states to the base model, matched by cell name (the expression's rows reversed)
        List<String> cells = new ArrayList<>(data.cells());
        Collections.reverse(cells);
        int n = cells.size();
        ExpressionMatrix x = new ExpressionMatrix(new float[n * 2], cells, List.of("a", "b"));
        RecordingModel rec = new RecordingModel();
        new AtacInformedModel(rec, List.of(), rj.informativeTargets(), Double.NaN, List.of(), 0)
                .withCellStates(data.cells(), rj.cellStates())
                .infer(x, List.of("a"), InferenceOptions.defaults(), Progress.NONE);
        assertNotNull(rec.cellStates);
        for (int i = 0; i < n; i++) {
            assertEquals(rj.cellStates()[n - 1 - i], rec.cellStates[i], cells.get(i));
        }
        // a cell without a state: the base model finds its own
        List<String> other = new ArrayList<>(cells);
        other.set(0, "not-a-cell");
        RecordingModel rec2 = new RecordingModel();
        new AtacInformedModel(rec2, List.of(), rj.informativeTargets(), Double.NaN, List.of(), 0)
                .withCellStates(data.cells(), rj.cellStates())
                .infer(new ExpressionMatrix(new float[n * 2], other, List.of("a", "b")), List.of("a"),
                        InferenceOptions.defaults(), Progress.NONE);
        assertTrue(rec2.called);
        assertNull(rec2.cellStates);
        // no states: none handed on
        RecordingModel rec3 = new RecordingModel();
        new AtacInformedModel(rec3, List.of(), rj.informativeTargets(), Double.NaN, List.of(), 0)
                .withCellStates(data.cells(), null)
                .infer(x, List.of("a"), InferenceOptions.defaults(), Progress.NONE);
        assertTrue(rec3.called);
        assertNull(rec3.cellStates);
    }
}
