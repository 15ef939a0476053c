package io.scgrn.models.atac;

import io.scgrn.models.sim.Simulation;

import java.util.HashMap;
import java.util.Map;

/** A simulation's planted motif hits as the motif paths read them: peak → TF → best score (tests only). */
final class SimHits {
    private SimHits() {
    }

    /** Peak index → TF → the best score of its hits there (a mutable map: tests add hits to it). */
    static Map<Integer, Map<String, Double>> of(Simulation sim) {
        Map<Integer, Map<String, Double>> hits = new HashMap<>();
        sim.motifs().forEach(m -> hits.computeIfAbsent(m.peak(), k -> new HashMap<>()).merge(m.tf(), m.score(),
                Math::max));
        return hits;
    }
}
