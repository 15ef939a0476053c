package io.scgrn.models.eval;

import java.util.List;
import java.util.Set;

/**
 * A ground-truth network as BEELINE scores against it.
 *
 * @param sources regulators: every distinct {@code Gene1}, sorted
 * @param genes   every distinct gene ({@code Gene1} ∪ {@code Gene2}), sorted
 * @param edges   true edges as {@code tf + "\t" + target}, self-loops removed, duplicates merged
 */
public record Truth(List<String> sources, List<String> genes, Set<String> edges) {
    public Truth {
        sources = List.copyOf(sources);
        genes = List.copyOf(genes);
        edges = Set.copyOf(edges);
    }

    /** Number of true (non-self-loop) edges. */
    public int nTrue() {
        return edges.size();
    }

    /** Number of candidate pairs: every source × every gene, self-loops excluded. */
    public long nCandidates() {
        long n = (long) sources.size() * genes.size();
        Set<String> geneSet = Set.copyOf(genes);
        for (String s : sources) {
            n -= geneSet.contains(s) ? 1 : 0;
        }
        return n;
    }

    static String key(String tf, String target) {
        return tf + "\t" + target;
    }

    /** True when {@code tf → target} is a true edge. */
    public boolean contains(String tf, String target) {
        return edges.contains(key(tf, target));
    }
}
