package io.scgrn.models;

/**
 * One directed regulatory edge.
 *
 * @param tf        regulator
 * @param target    regulated gene
 * @param score     non-negative confidence, higher is better
 * @param sign      +1 activation, -1 repression, 0 unknown
 * @param stability fraction of ensemble runs in which the edge ranked in the top set (NaN when not an ensemble)
 * @param q         estimated false-discovery rate of the network cut at this edge's score, in (0, 1] (NaN when no
 *                  null could be built; see {@code io.scgrn.models.calibration.DecoyCalibration})
 */
public record Edge(String tf, String target, double score, int sign, double stability, double q) {
    /** An edge without a q-value (q = NaN), as models produce them. */
    public Edge(String tf, String target, double score, int sign, double stability) {
        this(tf, target, score, sign, stability, Double.NaN);
    }

    /** This edge with q-value {@code q}. */
    public Edge withQ(double q) {
        return new Edge(tf, target, score, sign, stability, q);
    }
}
