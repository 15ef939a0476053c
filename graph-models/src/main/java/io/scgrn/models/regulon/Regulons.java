package io.scgrn.models.regulon;

import io.scgrn.models.Edge;
import io.scgrn.models.ModelException;
import io.scgrn.models.Network;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Regulons from a ranked network, as pySCENIC builds its modules: each TF's targets split by the edge sign,
 * the best {@code topTargets} kept, optionally only edges above a quantile of all scores, and regulons with fewer
 * than {@code minSize} targets dropped. Edges of unknown sign (0) count as activating.
 */
public final class Regulons {
    private Regulons() {
    }

    /**
     * @param topTargets     most targets per regulon (≥ 1)
     * @param minSize        fewest targets a regulon may have (pySCENIC uses 5 … 20)
     * @param scoreQuantile  keep only edges whose score is at least this quantile of all edge scores (0 keeps all)
     * @param withRepressing also build repressing regulons from negative edges (pySCENIC keeps only activating)
     */
    public record Options(int topTargets, int minSize, double scoreQuantile, boolean withRepressing) {
        public Options {
            if (topTargets < 1) {
                throw new ModelException("top-regulon-targets", "must be at least 1, not " + topTargets);
            }
            if (minSize < 1) {
                throw new ModelException("min-regulon-size", "must be at least 1, not " + minSize);
            }
            if (!(scoreQuantile >= 0 && scoreQuantile < 1)) {
                throw new ModelException("score-quantile", "must be in [0, 1), not " + scoreQuantile);
            }
        }

        /** 50 targets, at least 5, no score threshold, activating regulons only. */
        public static Options defaults() {
            return new Options(50, 5, 0, false);
        }

        public Options withTopTargets(int n) {
            return new Options(n, minSize, scoreQuantile, withRepressing);
        }
    }

    /** Regulons in order of their TF's best edge (the network's ranking), activating before repressing per TF. */
    public static List<Regulon> build(Network network, Options o) {
        double threshold = Double.NEGATIVE_INFINITY;
        if (o.scoreQuantile() > 0 && network.size() > 0) {
            double[] s = network.edges().stream().mapToDouble(Edge::score).toArray();
            Arrays.sort(s);
            threshold = s[(int) Math.min(s.length - 1, Math.floor(o.scoreQuantile() * s.length))];
        }
        Map<String, List<Edge>> pos = new LinkedHashMap<>();
        Map<String, List<Edge>> neg = new LinkedHashMap<>();
        for (Edge e : network.edges()) { // best first
            if (e.score() < threshold || e.tf().equals(e.target())) {
                continue;
            }
            (e.sign() < 0 ? neg : pos).computeIfAbsent(e.tf(), k -> new ArrayList<>()).add(e);
            pos.putIfAbsent(e.tf(), new ArrayList<>()); // keeps TF order by best edge of either sign
        }
        List<Regulon> out = new ArrayList<>();
        for (String tf : pos.keySet()) {
            add(out, tf, +1, pos.get(tf), o);
            if (o.withRepressing()) {
                add(out, tf, -1, neg.getOrDefault(tf, List.of()), o);
            }
        }
        return out;
    }

    private static void add(List<Regulon> out, String tf, int sign, List<Edge> edges, Options o) {
        List<Edge> top = edges.subList(0, Math.min(o.topTargets(), edges.size()));
        if (top.size() < o.minSize()) {
            return;
        }
        out.add(new Regulon(tf, sign, top.stream().map(Edge::target).toList(),
                top.stream().map(Edge::score).toList()));
    }
}
