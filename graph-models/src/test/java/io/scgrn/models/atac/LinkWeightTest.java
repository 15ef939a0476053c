package io.scgrn.models.atac;

import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import io.scgrn.models.sim.Simulation;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AtacSettings.LinkWeight}: the peak–gene link's share of the ATAC prior ({@code link-weight}). */
class LinkWeightTest {
    private static PeakGeneLink link(double r, double z) {
        return new PeakGeneLink(0, 0, 1_000, r, z, Double.NaN, false);
    }

    @Test
    void weightsOfOneLink() {
        assertEquals(0.4, AtacSettings.LinkWeight.R.of(link(0.4, -1)), 1e-12);
        assertEquals(0, AtacSettings.LinkWeight.R.of(link(-0.2, 3)), 1e-12);
        // 2Φ(1.959964) − 1 = 0.95: a link 1.96 trans-null sds above the background weighs 0.95, whatever its r
        assertEquals(0.95, AtacSettings.LinkWeight.Z.of(link(0.1, 1.959964)), 1e-6);
        assertEquals(0.95, AtacSettings.LinkWeight.Z.of(link(0.6, 1.959964)), 1e-6);
        assertEquals(0, AtacSettings.LinkWeight.Z.of(link(0.5, -0.3)), 1e-12);
        assertEquals(0, AtacSettings.LinkWeight.Z.of(link(-0.1, 2)), 1e-12);
        assertEquals(1, AtacSettings.LinkWeight.WINDOW.of(link(-0.3, -2)), 1e-12);
    }

    @Test
    void parsedFromAtacParams() {
        assertEquals(AtacSettings.DEFAULT_LINK_WEIGHT, AtacSettings.fromParams(Map.of(), 1).linkWeight());
        assertEquals(AtacSettings.LinkWeight.R, AtacSettings.fromParams(Map.of("link-weight", "r"), 1)
                .linkWeight());
        assertEquals(AtacSettings.LinkWeight.Z, AtacSettings.fromParams(Map.of("link-weight", "z"), 1)
                .linkWeight());
        AtacSettings w = AtacSettings.fromParams(Map.of("link-weight", "window"), 1);
        assertEquals(AtacSettings.LinkWeight.WINDOW, w.linkWeight());
        // the other settings' copies keep it
        assertEquals(AtacSettings.LinkWeight.WINDOW, w.withCoupling(0).withStateShare(0).withGating(0)
                .resolvePriorPower(true).linkWeight());
        for (AtacSettings.LinkWeight lw : AtacSettings.LinkWeight.values()) {
            assertEquals(lw, AtacSettings.LinkWeight.parse(lw.param()));
        }
        assertTrue(AtacSettings.fromParams(Map.of("coupling-within-states", "1"), 1).couplingWithinStates());
        assertTrue(!AtacSettings.fromParams(Map.of(), 1).couplingWithinStates());
        assertThrows(ModelException.class, () -> AtacSettings.fromParams(Map.of("coupling-within-states", "2"), 1));
        ModelException e = assertThrows(ModelException.class,
                () -> AtacSettings.fromParams(Map.of("link-weight", "p"), 1));
        assertTrue(e.getMessage().contains("r, z, window"), e.getMessage());
    }

    /**
     * On a simulation with a motif table: the window weight gives a prior to every TF → gene pair the correlation
     * weight gives one (and more: pairs reached only through peaks whose accessibility does not follow the gene),
     * the trans-null weight to a subset of them, and the triplets (significant positive links) are the same under
     * all three (positive links only: with {@code link-sign=both} a negative link counts by |r| under r as under
     * window, so those two give the same pairs; {@link LinkSignTest} covers it).
     */
    @Test
    void priorPairsNestAndTripletsStay() throws Exception {
        MotifSimulation ms = MotifSimulation.small("lw");
        Simulation sim = ms.sim();
        MultiomeData data = ms.data();
        MotifTable motifs = ms.motifs();
        Path dir = ms.dir();
        AtacResult r = AtacAnalysis.run(data, sim.tfs(), motifs,
                AtacSettings.fromParams(Map.of("link-weight", "r", "link-sign", "positive"), 3), Progress.NONE);
        AtacResult z = AtacAnalysis.run(data, sim.tfs(), motifs,
                AtacSettings.fromParams(Map.of("link-weight", "z", "link-sign", "positive"), 3), Progress.NONE);
        AtacResult w = AtacAnalysis.run(data, sim.tfs(), motifs,
                AtacSettings.fromParams(Map.of("link-weight", "window", "link-sign", "positive"), 3), Progress.NONE);
        Set<String> pr = MotifSimulation.priorPairs(r.prior());
        Set<String> pz = MotifSimulation.priorPairs(z.prior());
        Set<String> pw = MotifSimulation.priorPairs(w.prior());
        assertTrue(pw.containsAll(pr) && pw.size() > pr.size(), pw.size() + " vs " + pr.size());
        assertTrue(pr.containsAll(pz) && pz.size() < pr.size() && !pz.isEmpty(), pz.size() + " vs " + pr.size());
        assertEquals(r.triplets(), z.triplets());
        assertEquals(r.triplets(), w.triplets());
        // window: a pair's prior is its best motif score alone (scaled by the largest), here the table's scores
        assertTrue(w.prior().stream().allMatch(e -> e.score() > 0 && e.score() <= 1));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
