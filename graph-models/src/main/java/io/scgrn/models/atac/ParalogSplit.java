package io.scgrn.models.atac;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Paralogs' shared motif hits split by the chromatin ({@code --atac-param paralog-split=1}, docs/benchmarks.md,
 * "multiome: round 11"). TFs with nearly the same motif (nuclear-receptor half sites, HSF, ZIC, …) hit each other's
 * sites as strongly as their own, so a motif scan cannot tell which of them binds there; their expression can: where
 * a bound TF keeps its element open, the element's accessibility follows that TF's expression over the metacells and
 * not its relative's. In a peak that two such relatives both hit, each keeps a share of its motif evidence by how
 * much more its expression tracks the peak than the best-tracking relative there:
 * {@code FLOOR + (1 − FLOOR) · σ(SLOPE · (z − z_best relative))}, z the TF–peak coupling z-score (the TF's
 * correlation with the peak over metacells, against its own spread over the linked peaks, as the coupling computes
 * it). The floor keeps a weakly coupled TF's hit (co-binding relatives, noisy metacells); a TF with no relative in
 * the peak, and every unrelated TF, keeps its evidence.
 *
 * <p>Relatives are found from the hits alone ({@link #similarPairs}), as {@code MotifScan.compete} finds them.
 */
public final class ParalogSplit {
    /** Smallest share a relative's hit keeps. */
    public static final double FLOOR = 0.25;
    /** Slope of the logistic in the coupling z difference. */
    public static final double SLOPE = 2;
    /** Share of the smaller hit set two TFs must share to count as having nearly the same motif. */
    public static final double SIMILAR_SHARE = 0.25;
    /** How many times the overlap chance gives (independent hit sets) two such TFs must share, at least. */
    public static final double SIMILAR_ENRICHMENT = 3;
    /** Fewest shared peaks for two TFs to count as having nearly the same motif. */
    public static final int SIMILAR_MIN = 5;

    private final Set<String> similar;

    private ParalogSplit(Set<String> similar) {
        this.similar = similar;
    }

    /** The split for the relatives among {@code motifs}' TFs over {@code nPeaks} peaks. */
    public static ParalogSplit of(MotifTable motifs, int nPeaks) {
        return new ParalogSplit(similarPairs(motifs.hits(), nPeaks));
    }

    /** The pairs of relatives ("A\tB", A before B), {@link #similarPairs}. */
    public Set<String> pairs() {
        return similar;
    }

    /**
     * TF pairs with nearly the same motif, "A\tB" with A before B: their hit peaks (entries of {@code hits}) overlap
     * in at least {@link #SIMILAR_SHARE} of the smaller set, at least {@link #SIMILAR_ENRICHMENT} times what
     * independent sets of those sizes share among {@code nPeaks}, and in at least {@link #SIMILAR_MIN} peaks.
     */
    public static Set<String> similarPairs(Map<Integer, Map<String, Double>> hits, int nPeaks) {
        Map<String, Integer> count = new HashMap<>();
        Map<String, Integer> shared = new HashMap<>();
        for (Map<String, Double> row : hits.values()) {
            List<String> ts = new ArrayList<>(row.keySet());
            Collections.sort(ts);
            for (int a = 0; a < ts.size(); a++) {
                count.merge(ts.get(a), 1, Integer::sum);
                for (int b = a + 1; b < ts.size(); b++) {
                    shared.merge(ts.get(a) + "\t" + ts.get(b), 1, Integer::sum);
                }
            }
        }
        Set<String> out = new TreeSet<>();
        shared.forEach((pair, k) -> {
            String[] ab = pair.split("\t");
            int na = count.get(ab[0]);
            int nb = count.get(ab[1]);
            double expected = (double) na * nb / Math.max(1, nPeaks);
            if (k >= SIMILAR_MIN && k >= SIMILAR_SHARE * Math.min(na, nb) && k >= SIMILAR_ENRICHMENT * expected) {
                out.add(pair);
            }
        });
        return out;
    }

    /** Whether {@code a} and {@code b} are relatives. */
    public boolean similar(String a, String b) {
        return a.compareTo(b) < 0 ? similar.contains(a + "\t" + b) : similar.contains(b + "\t" + a);
    }

    /**
     * The share of its evidence each of {@code tfs} (the TFs hitting one peak) keeps: 1 for a TF without a relative
     * among them, else {@link #weight} of its coupling z against the largest z of its relatives there.
     *
     * @param z each TF's coupling z-score with the peak
     */
    public Map<String, Double> weights(Set<String> tfs, ToDoubleFunction<String> z) {
        Map<String, Double> out = new HashMap<>();
        for (String t : tfs) {
            double best = Double.NEGATIVE_INFINITY;
            for (String o : tfs) {
                if (!o.equals(t) && similar(t, o)) {
                    best = Math.max(best, z.applyAsDouble(o));
                }
            }
            out.put(t, best == Double.NEGATIVE_INFINITY ? 1 : weight(z.applyAsDouble(t), best));
        }
        return out;
    }

    /** {@code FLOOR + (1 − FLOOR) · σ(SLOPE · (z − best))}: 0.625 when equal, → 1 well above, → FLOOR well below. */
    public static double weight(double z, double best) {
        return FLOOR + (1 - FLOOR) / (1 + Math.exp(-SLOPE * (z - best)));
    }
}
