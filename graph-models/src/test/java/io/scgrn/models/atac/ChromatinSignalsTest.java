package io.scgrn.models.atac;

import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ChromatinSignals} on hand-built metacell matrices, and {@link AtacSettings.StateShareFrom#CHROMATIN}: the
 * no-motif state share set from them.
 */
class ChromatinSignalsTest {
    private static final int META = 300;
    private static final int TFS = 5;
    private static final int PEAKS = 100;

    /**
     * Metacells × (TFS TFs + PEAKS targets) expression and × PEAKS accessibility; target j's distal element is peak
     * j. {@code tracking}: elements vary independently, TF i tracks elements 6i..6i+5 and each target follows its
     * element; otherwise two cell types, every element, TF and target moving with one of them.
     */
    private static Metacells metacells(boolean tracking, long seed) {
        Random r = new Random(seed);
        int genes = TFS + PEAKS;
        float[] rna = new float[META * genes];
        float[] atac = new float[META * PEAKS];
        for (int c = 0; c < META; c++) {
            double type = c < META / 2 ? 1 : 0;
            for (int p = 0; p < PEAKS; p++) {
                double pattern = p % 2 == 0 ? type : 1 - type;
                double v = tracking ? r.nextGaussian() : pattern + 0.2 * r.nextGaussian();
                atac[c * PEAKS + p] = (float) v;
                // a target follows its own element, or (cell types) the type pattern, not the element's noise
                rna[c * genes + TFS + p] = (float) ((tracking ? v : pattern) + 0.3 * r.nextGaussian());
            }
            for (int t = 0; t < TFS; t++) {
                double v = 0;
                if (tracking) {
                    for (int p = 6 * t; p < 6 * t + 6; p++) {
                        v += atac[c * PEAKS + p];
                    }
                } else {
                    v = t % 2 == 0 ? type : 1 - type;
                }
                rna[c * genes + t] = (float) (v + 0.05 * r.nextGaussian());
            }
        }
        return new Metacells(META, new int[META][0], rna, atac);
    }

    /** Per target: its distal link (10 kb), plus a stronger promoter link and a non-significant one (both ignored). */
    private static List<PeakGeneLink> links() {
        List<PeakGeneLink> out = new ArrayList<>();
        for (int p = 0; p < PEAKS; p++) {
            int gene = TFS + p;
            out.add(new PeakGeneLink(p, gene, 10_000, 0.8, 5, 1e-6, true));
            // promoter: ignored though stronger
            out.add(new PeakGeneLink((p + 1) % PEAKS, gene, 500, 0.9, 9, 1e-9, true));
            // not significant: ignored though stronger
            out.add(new PeakGeneLink((p + 2) % PEAKS, gene, -20_000, 0.9, 9, 0.5, false));
        }
        return out;
    }

    private static final int[] TF_INDEX = {0, 1, 2, 3, 4};

    @Test
    void tfsTrackingLinkedElementsGiveATailAboveTheNullsAndCellTypesNone() {
        ChromatinSignals.Signals tracking = ChromatinSignals.of(metacells(true, 1), TFS + PEAKS, PEAKS, links(),
                TF_INDEX);
        ChromatinSignals.Signals types = ChromatinSignals.of(metacells(false, 1), TFS + PEAKS, PEAKS, links(),
                TF_INDEX);
        assertEquals(PEAKS, tracking.linkedGenes());
        // each TF has 6 of 100 elements in its tail (and about 2 % by chance): ~3.5× a normal's
        assertTrue(tracking.couplingTail() > 2, "tracking: " + tracking.couplingTail());
        // correlations cluster at ±r by type: no pair more than 2 sd above its TF's mean
        assertTrue(types.couplingTail() < 0.3, "cell types: " + types.couplingTail());
        // the element explains its target beyond the best TF only when the elements vary on their own
        assertTrue(tracking.beyondTfGain() > 0.3, "tracking gain: " + tracking.beyondTfGain());
        assertTrue(types.beyondTfGain() < 0.05, "cell-type gain: " + types.beyondTfGain());
    }

    @Test
    void onlySignificantPositiveDistalLinksCountTheStrongestPerGene() {
        List<PeakGeneLink> links = new ArrayList<>(links());
        links.add(new PeakGeneLink(7, TFS, 50_000, 0.5, 6, 1e-7, true));
        links.add(new PeakGeneLink(8, TFS, 50_000, -0.9, -9, 1e-9, true));
        Map<Integer, PeakGeneLink> best = ChromatinSignals.bestDistalLinks(links);
        assertEquals(PEAKS, best.size());
        assertEquals(7, best.get(TFS).peak());
        assertEquals(1, best.get(TFS + 1).peak());
    }

    @Test
    void theTailOfIndependentColumnsIsNearTheNormalsAndNaNWithoutPeaks() {
        Random r = new Random(3);
        List<float[]> peaks = new ArrayList<>();
        float[][] tfs = new float[20][];
        for (int j = 0; j < 400 + 20; j++) {
            float[] x = new float[META];
            for (int i = 0; i < META; i++) {
                x[i] = (float) r.nextGaussian();
            }
            float[] col = io.scgrn.models.numerics.Correlations.standardisedColumns(x, META, 1)[0];
            if (j < 20) {
                tfs[j] = col;
            } else {
                peaks.add(col);
            }
        }
        double tail = ChromatinSignals.couplingTail(tfs, peaks);
        assertTrue(tail > 0.6 && tail < 1.4, "independent: " + tail);
        assertTrue(Double.isNaN(ChromatinSignals.couplingTail(tfs, List.of())));
        assertTrue(Double.isNaN(ChromatinSignals.couplingTail(new float[0][], peaks)));
    }

    @Test
    void theShareFallsWithTheTailAndTheGain() {
        double max = AtacSettings.MAX_CHROMATIN_SHARE;
        assertEquals(max, AtacSettings.chromatinShare(0, 0.1, 0.8, 0));
        assertEquals(max / 2, AtacSettings.chromatinShare(0.4, 0.1, 0.8, 0), 1e-12);
        assertEquals(0, AtacSettings.chromatinShare(0.8, 0, 0.8, 0));
        assertEquals(0, AtacSettings.chromatinShare(3, 0, 0.8, 0));
        assertEquals(max / 4, AtacSettings.chromatinShare(0.4, 0.025, 0.8, 0.1), 1e-12);
        assertEquals(max / 2, AtacSettings.chromatinShare(0.4, Double.NaN, 0.8, 0.1), 1e-12);
        assertEquals(0, AtacSettings.chromatinShare(Double.NaN, 0, 0.8, 0));
    }

    @Test
    void theSettingParsesAndABadValueNamesTheField() {
        assertEquals(AtacSettings.StateShareFrom.CHROMATIN,
                AtacSettings.fromParams(Map.of("state-share-from", "chromatin"), 1).stateShareFrom());
        ModelException e = assertThrows(ModelException.class,
                () -> AtacSettings.fromParams(Map.of("state-share-from", "chromatine"), 1));
        assertTrue(e.getMessage().contains("state-share-from") && e.getMessage().contains("chromatin"),
                e.getMessage());
    }

    @Test
    void theAnalysisSetsTheShareFromTheChromatinWithoutMotifsOnly() {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(500, 120, 1000, 12, 2, 0.1, 0.5, 4, 2.0));
        MultiomeData data = MultiomeInputs.fromMuData(sim.toMuData(), null, null, null);
        AtacSettings fixed = AtacSettings.fromParams(Map.of("state-share-from", "fixed"), 2);
        AtacSettings chrom = AtacSettings.fromParams(Map.of("state-share-from", "chromatin"), 2);
        assertEquals(chrom, AtacSettings.defaults(2), "the chromatin share is the default (round 10)");
        AtacResult rf = AtacAnalysis.run(data, sim.tfs(), null, fixed, Progress.NONE);
        AtacResult rc = AtacAnalysis.run(data, sim.tfs(), null, chrom, Progress.NONE);
        Metacells meta = Metacells.build(data, chrom.metacellsFor(data.nCells()), chrom.metacellSize(),
                chrom.dims(), chrom.rnaWeight(), chrom.seed());
        int[] tfIdx = sim.tfs().stream().distinct().mapToInt(data.genes()::indexOf).filter(i -> i >= 0).toArray();
        ChromatinSignals.Signals cs = ChromatinSignals.of(meta, data.nGenes(), data.nPeaks(), rc.links(), tfIdx);
        assertTrue(cs.linkedGenes() > 0 && !Double.isNaN(cs.couplingTail()), cs.toString());
        double expected = AtacSettings.chromatinShare(cs.couplingTail(), cs.beyondTfGain(),
                AtacSettings.CHROMATIN_TAIL_SCALE, AtacSettings.CHROMATIN_GAIN_SCALE);
        assertEquals(expected, rc.stateShare(), 1e-12);
        assertEquals(AtacSettings.DEFAULT_STATE_SHARE, rf.stateShare());
        assertEquals(rf.stateEdges(), rc.stateEdges());
        assertEquals(rf.triplets(), rc.triplets());
        // with motif information the settings' share stays; an explicit 0 stays 0
        assertEquals(AtacSettings.DEFAULT_STATE_SHARE,
                AtacAnalysis.run(data, sim.tfs(), new MotifTable(Map.of()), chrom, Progress.NONE).stateShare());
        assertEquals(0, AtacAnalysis.run(data, sim.tfs(), null, chrom.withStateShare(0), Progress.NONE)
                .stateShare());
    }
}
