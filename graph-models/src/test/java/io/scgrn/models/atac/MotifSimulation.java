package io.scgrn.models.atac;

import io.scgrn.models.Edge;
import io.scgrn.models.sim.MultiomeSimulator;
import io.scgrn.models.sim.Simulation;
import io.scgrn.models.sim.SimulationConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The small multiome simulation the peak–gene link tests share (600 cells, 150 genes, 1,500 peaks, 15 TFs, 4 cell
 * types, seed 3) with its motif table read back from the simulator's truth files in {@code dir} (the caller
 * deletes it).
 */
record MotifSimulation(Simulation sim, MultiomeData data, MotifTable motifs, Path dir) {

    /** Simulates, writes the truth into a fresh temporary folder named {@code prefix…} and reads its motif table. */
    static MotifSimulation small(String prefix) throws Exception {
        Simulation sim = MultiomeSimulator.simulate(new SimulationConfig(600, 150, 1500, 15, 4, 0.1, 0.7, 3));
        MultiomeData data = MultiomeInputs.fromMuData(sim.toMuData(), null, null, null);
        Path dir = Files.createTempDirectory(prefix);
        sim.writeTruth(dir);
        return new MotifSimulation(sim, data, MotifTable.read(dir.resolve("motifs.tsv"), data.peakNames(),
                data.peaks()), dir);
    }

    /** The TF → gene pairs with a positive prior, as "tf\ttarget". */
    static Set<String> priorPairs(List<Edge> prior) {
        return prior.stream().filter(e -> e.score() > 0).map(e -> e.tf() + "\t" + e.target())
                .collect(Collectors.toSet());
    }
}
