package io.scgrn.models.perturb;

import io.scgrn.models.Edge;
import io.scgrn.models.nn.ScorePostprocess;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A network's indirect edges removed before the perturbation's regulators are chosen ({@link PerturbOptions#indirectEps}):
 * ARACNE's data-processing inequality on TF triangles, the same test as crowd's {@code post=dpi}
 * ({@link ScorePostprocess#indirect}): edge t → j is dropped when another TF u has both {@code s(t → u)} and
 * {@code s(u → j)} above {@code s(t → j) / (1 − ε)}. Such an edge's effect is meant to reach j through u by the
 * propagation, so the fit does not also give t a direct coefficient on j. A target's strongest edge is never
 * dropped (no leg into j is stronger), so every target keeps a regulator. Every triangle is judged on the original
 * scores; edges absent from the network score lowest.
 */
final class IndirectEdges {
    private IndirectEdges() {
    }

    /**
     * The edges the test keeps, in their order; edges whose TF or target is not among {@code genes}, self-loops and
     * non-finite scores are kept as they are (the regulator choice ignores them).
     *
     * @param eps        tolerance ε in [0, 1)
     * @param tfTargets  only edges into TFs (genes with edges out) are judged, the paths a perturbation propagates
     *                   along; edges into other genes are kept
     */
    static List<Edge> drop(List<Edge> edges, List<String> genes, double eps, boolean tfTargets) {
        Map<String, Integer> index = new HashMap<>();
        for (int g = 0; g < genes.size(); g++) {
            index.put(genes.get(g), g);
        }
        Map<String, Integer> tfRow = new HashMap<>();
        List<Integer> tfIdx = new ArrayList<>();
        double min = 0;
        for (Edge e : edges) {
            Integer r = index.get(e.tf());
            if (r != null && index.containsKey(e.target()) && Double.isFinite(e.score())) {
                if (!tfRow.containsKey(e.tf())) {
                    tfRow.put(e.tf(), tfIdx.size());
                    tfIdx.add(r);
                }
                min = Math.min(min, e.score());
            }
        }
        int nt = tfIdx.size();
        int g = genes.size();
        // [nTf, g] scores, shifted so that every present edge is ≥ 0 and above an absent one's 0 where scores can be
        // negative
        float[] s = new float[nt * g];
        boolean[] self = new boolean[nt * g];
        for (int t = 0; t < nt; t++) {
            self[t * g + tfIdx.get(t)] = true;
        }
        double shift = min < 0 ? -min : 0;
        for (Edge e : edges) {
            Integer t = tfRow.get(e.tf());
            Integer j = index.get(e.target());
            if (t != null && j != null && Double.isFinite(e.score())) {
                int at = t * g + j;
                s[at] = Math.max(s[at], (float) (e.score() + shift));
            }
        }
        int[] rows = tfIdx.stream().mapToInt(Integer::intValue).toArray();
        boolean[] indirect = ScorePostprocess.indirect(s, rows, g, self, eps);
        List<Edge> out = new ArrayList<>(edges.size());
        for (Edge e : edges) {
            Integer t = tfRow.get(e.tf());
            Integer j = index.get(e.target());
            if (t == null || j == null || !Double.isFinite(e.score()) || !indirect[t * g + j]
                    || tfTargets && !tfRow.containsKey(e.target())) {
                out.add(e);
            }
        }
        return out;
    }
}
