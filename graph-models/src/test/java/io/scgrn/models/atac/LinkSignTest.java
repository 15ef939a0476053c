package io.scgrn.models.atac;

import io.scgrn.models.ModelException;
import io.scgrn.models.Progress;
import io.scgrn.models.sim.Simulation;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link AtacSettings.LinkSign}: negative peak–gene links in the ATAC prior ({@code link-sign}). */
class LinkSignTest {
    private static PeakGeneLink link(double r, double z) {
        return new PeakGeneLink(0, 0, 1_000, r, z, Double.NaN, false);
    }

    private static AtacSettings settings(String weight, String sign) {
        return AtacSettings.fromParams(Map.of("link-weight", weight, "link-sign", sign), 1);
    }

    @Test
    void aNegativeLinkWeighsAsItsMirrorImage() {
        // 2Φ(1.959964) − 1 = 0.95, for a link 1.96 trans-null sds below the background as for one above it
        assertEquals(0.95, settings("z", "both").linkWeightOf(link(-0.1, -1.959964)), 1e-6);
        assertEquals(0.95, settings("z", "both").linkWeightOf(link(0.1, 1.959964)), 1e-6);
        assertEquals(0, settings("z", "positive").linkWeightOf(link(-0.1, -1.959964)), 1e-12);
        // a negative r above its null (z > 0) is not a repressed element
        assertEquals(0, settings("z", "both").linkWeightOf(link(-0.1, 0.5)), 1e-12);
        assertEquals(0.3, settings("r", "both").linkWeightOf(link(-0.3, -1)), 1e-12);
        assertEquals(0, settings("r", "positive").linkWeightOf(link(-0.3, -1)), 1e-12);
        assertEquals(1, settings("window", "both").linkWeightOf(link(-0.3, 2)), 1e-12);
    }

    @Test
    void parsedFromAtacParams() {
        assertEquals(AtacSettings.DEFAULT_LINK_SIGN, AtacSettings.fromParams(Map.of(), 1).linkSign());
        AtacSettings b = AtacSettings.fromParams(Map.of("link-sign", "both"), 1);
        assertEquals(AtacSettings.LinkSign.BOTH, b.linkSign());
        assertEquals(AtacSettings.LinkSign.BOTH, b.withCoupling(0).withStateShare(0).withGating(0)
                .resolvePriorPower(true).linkSign());
        for (AtacSettings.LinkSign ls : AtacSettings.LinkSign.values()) {
            assertEquals(ls, AtacSettings.LinkSign.parse(ls.param()));
        }
        ModelException e = assertThrows(ModelException.class,
                () -> AtacSettings.fromParams(Map.of("link-sign", "negative"), 1));
        assertTrue(e.getMessage().contains("positive, both, consistent"), e.getMessage());
    }

    /**
     * On a simulation with a motif table (a quarter of its edges repress): {@code both} keeps every prior pair of
     * {@code positive} and adds pairs reached through negative links only, each for a TF whose expression falls
     * as the target's rises; most of the true edges among the added pairs repress; {@code consistent} keeps those
     * and drops some pairs of positive links; the triplets are unchanged.
     */
    @Test
    void negativeLinksAddRepressorsAndKeepTheTriplets() throws Exception {
        MotifSimulation ms = MotifSimulation.small("ls");
        Simulation sim = ms.sim();
        MultiomeData data = ms.data();
        MotifTable motifs = ms.motifs();
        Path dir = ms.dir();
        AtacResult pos = AtacAnalysis.run(data, sim.tfs(), motifs, settings("z", "positive"), Progress.NONE);
        AtacResult both = AtacAnalysis.run(data, sim.tfs(), motifs, settings("z", "both"), Progress.NONE);
        Set<String> pp = MotifSimulation.priorPairs(pos.prior());
        Set<String> pb = MotifSimulation.priorPairs(both.prior());
        assertTrue(pb.containsAll(pp) && pb.size() > pp.size(), pb.size() + " vs " + pp.size());
        assertEquals(pos.triplets(), both.triplets());
        // consistent: both's pairs less those a positive link gave to a TF that falls as the gene rises
        AtacResult cons = AtacAnalysis.run(data, sim.tfs(), motifs, settings("z", "consistent"), Progress.NONE);
        Set<String> pc = MotifSimulation.priorPairs(cons.prior());
        assertTrue(pb.containsAll(pc) && pc.size() < pb.size() && pc.containsAll(added(pb, pp)),
                pc.size() + " vs " + pb.size());
        assertEquals(pos.triplets(), cons.triplets());
        Set<String> added = added(pb, pp);
        Set<String> truth = sim.edges().stream().map(e -> e.tf() + "\t" + e.target()).collect(Collectors.toSet());
        Set<String> repressors = sim.edges().stream().filter(e -> e.sign() < 0).map(e -> e.tf() + "\t" + e.target())
                .collect(Collectors.toSet());
        long addedTrue = added.stream().filter(truth::contains).count();
        long addedRepressors = added.stream().filter(repressors::contains).count();
        double baseRate = (double) truth.size() / (sim.tfs().size() * (data.nGenes() - 1.0));
        // of the true edges it adds, most repress (the ones a positive link cannot reach)
        assertTrue(addedTrue > 0 && 2 * addedRepressors > addedTrue, addedRepressors + " repressors of " + addedTrue
                + " true among " + added.size() + " added; base rate " + baseRate);
        // every added pair goes through a negative link of its target whose peak carries the TF's motif
        Map<String, Integer> gi = new java.util.HashMap<>();
        for (int g = 0; g < data.nGenes(); g++) {
            gi.put(data.genes().get(g), g);
        }
        for (String a : added) {
            String[] f = a.split("\t");
            int g = gi.get(f[1]);
            assertTrue(both.links().stream().anyMatch(l -> l.gene() == g && l.r() < 0 && l.z() < 0
                    && motifs.hits().getOrDefault(l.peak(), Map.of()).containsKey(f[0])), a);
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    private static Set<String> added(Set<String> to, Set<String> from) {
        Set<String> out = new HashSet<>(to);
        out.removeAll(from);
        return out;
    }
}
