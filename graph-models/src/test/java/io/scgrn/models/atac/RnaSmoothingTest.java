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
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RnaSmoothing}: the RNA model's expression averaged over each cell's nearest cells ({@code rna-smooth}). */
class RnaSmoothingTest {
    @Test
    void aKnownNeighbourStructureGivesTheNeighbourhoodsMeansMatchedByCellName() {
        // paired cells p0..p3; neighbourhoods {p0,p1}, {p1,p0}, {p2,p3,p0}, {p3}
        List<String> paired = List.of("p0", "p1", "p2", "p3");
        int[][] nb = {{0, 1}, {1, 0}, {2, 3, 0}, {3}};
        // the expression's rows in another order, one cell that is not paired and one paired cell missing (p1)
        List<String> cells = List.of("p3", "x", "p2", "p0");
        float[] v = {
            1, 10,   // p3
            7, 70,   // x (not paired)
            3, 30,   // p2
            5, 50,   // p0
        };
        ExpressionMatrix x = new ExpressionMatrix(v.clone(), cells, List.of("a", "b"));
        ExpressionMatrix s = RnaSmoothing.smooth(x, paired, nb);
        assertEquals(cells, s.cells());
        assertEquals(x.genes(), s.genes());
        assertArrayEquals(new float[] {
            1, 10,            // p3: itself only
            7, 70,            // x: unchanged
            3, 30,            // p2: mean of p2, p3, p0 = (3 + 1 + 5) / 3, (30 + 10 + 50) / 3
            5, 50,            // p0: p1 is not in the expression, so the mean of p0 alone
        }, s.values(), 1e-6f);
        // the input is not modified
        assertArrayEquals(v, x.values());
        assertThrows(IllegalArgumentException.class, () -> RnaSmoothing.smooth(x, paired, new int[][] {{0}}));
    }

    @Test
    void offByDefaultAndTheSettingParses() {
        AtacSettings d = AtacSettings.fromParams(Map.of(), 1);
        assertEquals(0, d.rnaSmooth());
        assertEquals(AtacSettings.RnaSmoothSpace.ATAC, d.rnaSmoothSpace());
        for (AtacSettings.RnaSmoothSpace sp : AtacSettings.RnaSmoothSpace.values()) {
            AtacSettings s = AtacSettings.fromParams(Map.of("rna-smooth", "7", "rna-smooth-space", sp.param()), 1);
            assertEquals(7, s.rnaSmooth());
            // the copies keep it
            AtacSettings c = s.withStateShare(0.5).withGating(0.2).withCoupling(0.1).resolvePriorPower(true);
            assertEquals(sp, c.rnaSmoothSpace());
            assertEquals(7, c.rnaSmooth());
        }
        assertThrows(ModelException.class, () -> AtacSettings.fromParams(Map.of("rna-smooth", "-1"), 1));
        ModelException e = assertThrows(ModelException.class,
                () -> AtacSettings.fromParams(Map.of("rna-smooth-space", "umap"), 1));
        assertTrue(e.getMessage().contains("rna-smooth-space") && e.getMessage().contains("atac"), e.getMessage());
    }

    @Test
    void theAnalysisFindsNeighboursInTheChosenSpaceAndTheWrapperSmoothsWhatTheModelSees() {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(300, 60, 600, 8, 3, 0.1, 0.7, 5));
        MultiomeData data = MultiomeInputs.fromMuData(sim.toMuData(), null, null, null);
        AtacResult off = AtacAnalysis.run(data, sim.tfs(), null, AtacSettings.defaults(2), Progress.NONE);
        assertNull(off.smoothNeighbours());
        AtacSettings on = AtacSettings.fromParams(Map.of("rna-smooth", "5"), 2);
        AtacResult r = AtacAnalysis.run(data, sim.tfs(), null, on, Progress.NONE);
        int[][] nb = r.smoothNeighbours();
        assertNotNull(nb);
        assertEquals(data.nCells(), nb.length);
        double[] lsi = AtacTransforms.lsi(data.atac(), on.dims(), on.seed() + 1);
        int d = lsi.length / data.nCells();
        for (int c = 0; c < nb.length; c++) {
            assertEquals(6, nb[c].length);
            assertEquals(c, nb[c][0]);
            assertArrayEquals(io.scgrn.models.numerics.Neighbours.nearest(lsi, d, data.nCells(), c, 6), nb[c]);
        }
        // deterministic
        assertArrayEquals(nb, RnaSmoothing.neighbours(data, on));
        // the RNA-space analog finds other neighbours
        int[][] rnb = RnaSmoothing.neighbours(data, AtacSettings.fromParams(
                Map.of("rna-smooth", "5", "rna-smooth-space", "rna"), 2));
        assertEquals(data.nCells(), rnb.length);
        assertTrue(!java.util.Arrays.deepEquals(nb, rnb));
        // the other results do not change
        assertEquals(off.triplets(), r.triplets());
        assertEquals(off.stateShare(), r.stateShare());

        // the wrapper hands the base model the smoothed expression, cells matched by name (rows reversed)
        List<String> cells = new ArrayList<>(data.cells());
        Collections.reverse(cells);
        int n = cells.size();
        int g = data.nGenes();
        float[] v = new float[n * g];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data.rna(), (n - 1 - i) * g, v, i * g, g);
        }
        ExpressionMatrix x = new ExpressionMatrix(v, cells, data.genes());
        RecordingModel rec = new RecordingModel();
        new AtacInformedModel(rec, List.of(), r.informativeTargets(), Double.NaN, List.of(), 0)
                .withRnaSmoothing(data.cells(), nb)
                .infer(x, sim.tfs(), InferenceOptions.defaults(), Progress.NONE);
        for (int i = 0; i < n; i++) {
            int c = n - 1 - i;
            for (int j = 0; j < g; j++) {
                double sum = 0;
                for (int o : nb[c]) {
                    sum += data.rna()[o * g + j];
                }
                assertEquals(sum / nb[c].length, rec.data.get(i, j), 1e-5);
            }
        }
        // off: the expression as given, the very same matrix
        RecordingModel plain = new RecordingModel();
        new AtacInformedModel(plain, List.of(), r.informativeTargets(), Double.NaN, List.of(), 0)
                .withRnaSmoothing(data.cells(), null)
                .infer(x, sim.tfs(), InferenceOptions.defaults(), Progress.NONE);
        assertSame(x, plain.data);
    }
}
