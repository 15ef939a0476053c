package io.scgrn.models.regulon;

import io.scgrn.models.Edge;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;
import io.scgrn.models.table.TextNumbers;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Differential networks between cell groups: for every pair of groups (A, B) in map order, the edges in the top
 * {@code topK} of A but not of B ("lost" going from A to B) and those in the top {@code topK} of B but not of A
 * ("gained").
 */
public final class NetworkDiff {
    private NetworkDiff() {
    }

    /**
     * One differential edge.
     *
     * @param groupA    first group of the pair
     * @param groupB    second group of the pair
     * @param tf        regulator
     * @param target    target
     * @param status    "gained" (in B's top set only) or "lost" (in A's top set only)
     * @param scoreA    the edge's score in A's network (NaN when A's network lacks the edge)
     * @param scoreB    the edge's score in B's network (NaN when absent)
     * @param rankA     1-based rank in A's network (0 when absent)
     * @param rankB     1-based rank in B's network (0 when absent)
     */
    public record DiffEdge(String groupA, String groupB, String tf, String target, String status, double scoreA,
                           double scoreB, int rankA, int rankB) {
    }

    /**
     * @param networks group → network (at least two)
     * @param topK     size of each group's top set
     * @return per pair: lost edges then gained edges, each by the better of their two ranks
     */
    public static List<DiffEdge> compare(Map<String, Network> networks, int topK) {
        return compare(networks, topK, () -> false);
    }

    /**
     * As {@link #compare(Map, int)}, checking {@code cancelled} per group and per pair of groups.
     *
     * @throws java.util.concurrent.CancellationException when {@code cancelled} turns true
     */
    public static List<DiffEdge> compare(Map<String, Network> networks, int topK,
                                         BooleanSupplier cancelled) {
        if (networks.size() < 2) {
            throw new ModelException("groupby", "a differential network needs at least 2 groups, got "
                    + networks.size());
        }
        if (topK < 1) {
            throw new ModelException("top-k", "must be at least 1, not " + topK);
        }
        List<String> groups = new ArrayList<>(networks.keySet());
        Map<String, Map<String, Integer>> ranks = new HashMap<>();
        for (String g : groups) {
            checkCancelled(cancelled);
            Map<String, Integer> r = new HashMap<>();
            List<Edge> edges = networks.get(g).edges();
            for (int i = 0; i < edges.size(); i++) {
                r.putIfAbsent(key(edges.get(i)), i + 1);
            }
            ranks.put(g, r);
        }
        List<DiffEdge> out = new ArrayList<>();
        for (int a = 0; a < groups.size(); a++) {
            for (int b = a + 1; b < groups.size(); b++) {
                checkCancelled(cancelled);
                String ga = groups.get(a);
                String gb = groups.get(b);
                List<DiffEdge> lost = onlyIn(networks.get(ga), ranks.get(gb), topK, ga, gb, networks.get(gb),
                        "lost", true);
                List<DiffEdge> gained = onlyIn(networks.get(gb), ranks.get(ga), topK, ga, gb, networks.get(ga),
                        "gained", false);
                out.addAll(lost);
                out.addAll(gained);
            }
        }
        return out;
    }

    private static void checkCancelled(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("cancelled");
        }
    }

    private static List<DiffEdge> onlyIn(Network in, Map<String, Integer> otherRanks, int topK, String ga, String gb,
                                         Network other, String status, boolean inIsA) {
        List<DiffEdge> out = new ArrayList<>();
        List<Edge> edges = in.edges();
        for (int i = 0; i < Math.min(topK, edges.size()); i++) {
            Edge e = edges.get(i);
            Integer r = otherRanks.get(key(e));
            if (r != null && r <= topK) {
                continue;
            }
            double otherScore = r == null ? Double.NaN : other.edges().get(r - 1).score();
            int otherRank = r == null ? 0 : r;
            out.add(inIsA
                    ? new DiffEdge(ga, gb, e.tf(), e.target(), status, e.score(), otherScore, i + 1, otherRank)
                    : new DiffEdge(ga, gb, e.tf(), e.target(), status, otherScore, e.score(), otherRank, i + 1));
        }
        out.sort(Comparator.comparingInt((DiffEdge d) -> inIsA ? d.rankA() : d.rankB()));
        return out;
    }

    private static String key(Edge e) {
        return e.tf() + "\t" + e.target();
    }

    /** Writes the table as TSV with a header (group_a, group_b, tf, target, status, score_a, score_b, rank_a, rank_b). */
    public static void writeTsv(List<DiffEdge> rows, Writer w) throws IOException {
        w.write("group_a\tgroup_b\ttf\ttarget\tstatus\tscore_a\tscore_b\trank_a\trank_b\n");
        for (DiffEdge d : rows) {
            w.write(String.join("\t", d.groupA(), d.groupB(), d.tf(), d.target(), d.status(), num(d.scoreA()),
                    num(d.scoreB()), Integer.toString(d.rankA()), Integer.toString(d.rankB())));
            w.write('\n');
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "NA" : TextNumbers.g6(v);
    }
}
