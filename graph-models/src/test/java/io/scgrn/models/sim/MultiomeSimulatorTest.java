package io.scgrn.models.sim;

import io.scgrn.anndata.NumArray;
import io.scgrn.anndata.SparseMatrix;
import io.scgrn.models.ModelException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultiomeSimulatorTest {
    private static final SimulationConfig SMALL = new SimulationConfig(150, 60, 500, 8, 3, 0.1, 0.7, 7);

    @Test
    void sameSeedGivesIdenticalData() {
        Simulation a = MultiomeSimulator.simulate(SMALL);
        Simulation b = MultiomeSimulator.simulate(SMALL);
        assertSame(a.rna(), b.rna());
        assertSame(a.atac(), b.atac());
        assertEquals(a.edges(), b.edges());
        assertEquals(a.peaks(), b.peaks());
        assertEquals(a.motifs(), b.motifs());
        assertEquals(a.cellType(), b.cellType());
        Simulation c = MultiomeSimulator.simulate(new SimulationConfig(150, 60, 500, 8, 3, 0.1, 0.7, 8));
        assertFalse(Arrays.equals(a.rna().indices(), c.rna().indices()));
    }

    /** Same sparse content, element by element. */
    private static void assertSame(SparseMatrix x, SparseMatrix y) {
        assertArrayEquals(x.indptr(), y.indptr());
        assertArrayEquals(x.indices(), y.indices());
        assertArrayEquals(((NumArray.F32) x.data()).values(),
                ((NumArray.F32) y.data()).values());
    }

    @Test
    void dataIsConsistentWithItsTruth() {
        Simulation s = MultiomeSimulator.simulate(SMALL);
        assertEquals(150, s.rna().nRows());
        assertEquals(60, s.rna().nCols());
        assertEquals(500, s.atac().nCols());
        assertEquals(8, s.tfs().size());
        Set<String> tfs = new HashSet<>(s.tfs());
        for (Simulation.TrueEdge e : s.edges()) {
            assertTrue(tfs.contains(e.tf()));
            assertFalse(e.tf().equals(e.target()));
            // Every edge acts through an enhancer near its target, which the peak-gene truth lists.
            assertTrue(s.peakGenes().stream().anyMatch(p -> p.peak() == e.peak() && p.gene().equals(e.target())
                    && p.tfs().contains(e.tf())));
            var locus = s.loci().get(s.genes().indexOf(e.target()));
            long d = locus.distanceTo(s.peaks().get(e.peak()));
            assertTrue(d >= 0 && d <= 100_000, "enhancer " + d + " bases from TSS");
        }
        // Counts are non-negative integers; ATAC is binary; several cell types present.
        for (int i = 0; i < s.rna().data().length(); i++) {
            double v = s.rna().data().get(i);
            assertTrue(v > 0 && v == Math.rint(v));
        }
        for (int i = 0; i < s.atac().data().length(); i++) {
            assertEquals(1.0, s.atac().data().get(i));
        }
        assertEquals(3, new HashSet<>(s.cellType()).size());
        // Peaks are sorted by chromosome number, then position.
        for (int i = 1; i < s.peaks().size(); i++) {
            var p = s.peaks().get(i - 1);
            var q = s.peaks().get(i);
            if (p.chrom().equals(q.chrom())) {
                assertTrue(p.start() <= q.start());
            }
        }
        long gated = s.edges().stream().filter(Simulation.TrueEdge::gated).count();
        assertTrue(gated > 0 && gated < s.edges().size());
    }

    @Test
    void rejectsTooFewPeaksAndBadSettings() {
        ModelException e = assertThrows(ModelException.class,
                () -> MultiomeSimulator.simulate(new SimulationConfig(50, 60, 70, 8, 3, 0.1, 0.7, 1)));
        assertTrue(e.getMessage().startsWith("peaks: need at least"), e.getMessage());
        assertThrows(ModelException.class, () -> new SimulationConfig(50, 8, 70, 8, 3, 0.1, 0.7, 1));
        assertThrows(ModelException.class, () -> new SimulationConfig(50, 60, 700, 8, 3, 1.0, 0.7, 1));
        assertThrows(ModelException.class, () -> new SimulationConfig(50, 60, 700, 8, 3, 0.1, 1.5, 1));
    }

    @Test
    void muDataHasPositionsAndCellTypes() {
        Simulation s = MultiomeSimulator.simulate(SMALL);
        var md = s.toMuData();
        assertEquals(Set.of("rna", "atac"), md.mod().keySet());
        var rna = md.mod().get("rna");
        assertTrue(rna.var().column("interval").isPresent());
        assertTrue(rna.var().column("strand").isPresent());
        assertTrue(rna.obs().column("cell_type").isPresent());
        assertArrayEquals(s.peakNames().toArray(), md.mod().get("atac").var().index().toArray());
    }
}
