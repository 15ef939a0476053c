package io.scgrn.models.sim;

import io.scgrn.models.atac.GenomicInterval;
import io.scgrn.models.atac.MotifTable;
import io.scgrn.models.motif.GenomeSequences;
import io.scgrn.models.motif.MotifDatabase;
import io.scgrn.models.motif.MotifMatrix;
import io.scgrn.models.motif.MotifScan;
import io.scgrn.models.motif.MotifScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedGenomeTest {
    @TempDir
    Path dir;

    /** Planted-site recovery and false-positive rate of a scan of a simulated genome. */
    record Recovery(int sites, int sitesFound, int plantedPairs, int pairsFound, int calledPairs, int peaks) {
        double siteRecall() {
            return sitesFound / (double) sites;
        }

        double pairRecall() {
            return pairsFound / (double) plantedPairs;
        }

        /** Share of called (peak, TF) pairs that were not planted. */
        double falseDiscovery() {
            return (calledPairs - pairsFound) / (double) calledPairs;
        }

        /** Called (peak, TF) pairs that were not planted, per peak. */
        double falsePerPeak() {
            return (calledPairs - pairsFound) / (double) peaks;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "sites %d, exact (position, strand) recovered %.4f; planted (peak, TF) "
                    + "pairs %d recovered %.4f; called pairs %d, of them not planted %.4f (%.2f per peak, %d peaks)",
                    sites, siteRecall(), plantedPairs, pairRecall(), calledPairs, falseDiscovery(), falsePerPeak(),
                    peaks);
        }
    }

    /** Simulates with a genome, scans it with the bundled JASPAR at p = 1e-4 and measures recovery. */
    static Recovery measure(SimulationConfig cfg, Path fasta) {
        MotifDatabase db = MotifDatabase.bundled();
        Map<String, MotifMatrix> motifs = SimulatedGenome.tfNames(db, cfg.tfs(), cfg.seed());
        Simulation sim = MultiomeSimulator.simulate(cfg, new ArrayList<>(motifs.keySet()));
        List<SimulatedGenome.Site> sites = SimulatedGenome.write(sim, motifs, fasta, cfg.seed());
        byte[][] seqs = GenomeSequences.fetch(fasta, sim.peaks(), null);
        // Site level: the planted motif at the planted position and strand.
        List<MotifMatrix> planted = new ArrayList<>(motifs.values());
        List<String> tfOrder = new ArrayList<>(motifs.keySet());
        MotifScanner scanner = new MotifScanner(planted, MotifScanner.background(seqs), MotifScan.DEFAULT_P);
        Map<Integer, Set<String>> hitsByPeak = new HashMap<>();
        int found = 0;
        for (SimulatedGenome.Site s : sites) {
            Set<String> h = hitsByPeak.computeIfAbsent(s.peak(), p -> {
                Set<String> out = new HashSet<>();
                for (MotifScanner.Hit hit : scanner.hits(seqs[p])) {
                    out.add(hit.motif() + ":" + hit.position() + ":" + hit.strand());
                }
                return out;
            });
            GenomicInterval peak = sim.peaks().get(s.peak());
            if (h.contains(tfOrder.indexOf(s.tf()) + ":" + (s.start() - peak.start()) + ":" + s.strand())) {
                found++;
            }
        }
        // Pair level: what the pipeline uses (every motif of the TFs' names in the database).
        MotifScan.Result r = new MotifScan.Result(MotifScan.forTfs(db, sim.tfs()),
                null, null, MotifScan.DEFAULT_P, false, null);
        MotifScanner full = new MotifScanner(r.db().motifs(), MotifScanner.background(seqs), MotifScan.DEFAULT_P);
        MotifTable table = MotifScan.toMotifTable(new MotifScan.Result(r.db(), full.scan(seqs, null),
                full.background(), MotifScan.DEFAULT_P, false, null), sim.tfs());
        Set<String> plantedPairs = new HashSet<>();
        for (SimulatedGenome.Site s : sites) {
            plantedPairs.add(s.peak() + "\t" + s.tf());
        }
        int called = 0;
        int pairsFound = 0;
        for (Map.Entry<Integer, Map<String, Double>> e : table.hits().entrySet()) {
            for (String tf : e.getValue().keySet()) {
                called++;
                if (plantedPairs.contains(e.getKey() + "\t" + tf)) {
                    pairsFound++;
                }
            }
        }
        return new Recovery(sites.size(), found, plantedPairs.size(), pairsFound, called, sim.peaks().size());
    }

    @Test
    void plantedSitesAreRecoveredByTheScan() {
        SimulationConfig cfg = new SimulationConfig(150, 60, 400, 10, 3, 0.1, 0.7, 3);
        Recovery r = measure(cfg, dir.resolve("genome.fa.gz"));
        System.out.println("planted-site recovery: " + r);
        assertTrue(r.sites() > 100, "sites planted: " + r.sites());
        assertTrue(r.siteRecall() >= 0.9, r.toString());
        assertTrue(r.pairRecall() >= 0.9, r.toString());
    }

    @Test
    void tfNamesAreDistinctSingleMotifNamesAndSimulationIsOtherwiseUnchanged() {
        Map<String, MotifMatrix> names = SimulatedGenome.tfNames(MotifDatabase.bundled(), 30, 1);
        assertEquals(30, names.size());
        names.forEach((n, m) -> assertEquals(List.of(n), m.tfNames()));
        SimulationConfig cfg = new SimulationConfig(100, 40, 200, 8, 2, 0.1, 0.5, 9);
        Simulation a = MultiomeSimulator.simulate(cfg);
        Simulation b = MultiomeSimulator.simulate(cfg, new ArrayList<>(names.keySet()).subList(0, 8));
        assertEquals(a.peaks(), b.peaks());
        assertEquals(a.edges().size(), b.edges().size());
        assertEquals(b.tfs(), new ArrayList<>(names.keySet()).subList(0, 8));
        assertTrue(Arrays.equals(a.rna().indices(), b.rna().indices()));
    }

    /** Recovery at a larger size, for docs/benchmarks.md: args cells genes peaks tfs cellTypes seed. */
    public static void main(String[] args) throws Exception {
        int[] v = new int[args.length];
        for (int i = 0; i < args.length; i++) {
            v[i] = Integer.parseInt(args[i]);
        }
        SimulationConfig cfg = new SimulationConfig(v[0], v[1], v[2], v[3], v[4], 0.1, 0.7, v[5]);
        Path tmp = Files.createTempDirectory("simgenome");
        System.out.println(measure(cfg, tmp.resolve("genome.fa")));
    }
}
