package io.scgrn.models;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One int slot per TF → target pair of some edge lists, (TF number × targets + target number), so that values per
 * pair live in arrays instead of maps keyed by {@code "tf\ttarget"} strings: with a genome-wide TF list a network
 * holds millions of pairs, and such a map costs about 120 bytes a pair (two of them outgrew a 2 GB heap).
 */
public final class PairSlots {
    private final Map<String, Integer> tfs = new HashMap<>();
    private final Map<String, Integer> targets = new HashMap<>();
    private final int size;

    /** Slots for every pair of {@code lists}' TFs and targets; a clear error past one array's reach. */
    public PairSlots(List<List<Edge>> lists) {
        for (List<Edge> list : lists) {
            for (Edge e : list) {
                tfs.putIfAbsent(e.tf(), tfs.size());
                targets.putIfAbsent(e.target(), targets.size());
            }
        }
        long n = (long) tfs.size() * targets.size();
        if (n > Integer.MAX_VALUE - 8) {
            throw new ModelException("network", tfs.size() + " TFs × " + targets.size()
                    + " targets are more pairs than one array holds");
        }
        size = (int) n;
    }

    /** The slot of {@code e}'s pair (its TF and target must be among the lists'). */
    public int of(Edge e) {
        return tfs.get(e.tf()) * targets.size() + targets.get(e.target());
    }

    /** An array of a value per slot, NaN (no value) everywhere. */
    public double[] none() {
        double[] out = new double[size];
        Arrays.fill(out, Double.NaN);
        return out;
    }
}
