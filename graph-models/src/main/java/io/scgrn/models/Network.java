package io.scgrn.models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A ranked list of edges, best first. Ties are broken by (tf, target) so that the order is reproducible.
 */
public record Network(List<Edge> edges) {
    public static final Comparator<Edge> RANKING = Comparator.comparingDouble((Edge e) -> -e.score())
            .thenComparing(Edge::tf).thenComparing(Edge::target);

    public Network {
        List<Edge> sorted = new ArrayList<>(edges);
        sorted.sort(RANKING);
        edges = List.copyOf(sorted);
    }

    public int size() {
        return edges.size();
    }

    /** The first {@code k} edges (or all when fewer). */
    public Network top(int k) {
        return new Network(edges.subList(0, Math.min(k, edges.size())));
    }
}
