package io.scgrn.models;

/**
 * One directed regulatory edge.
 *
 * @param tf        regulator
 * @param target    regulated gene
 * @param score     non-negative confidence, higher is better
 * @param sign      +1 activation, -1 repression, 0 unknown
 * @param stability fraction of ensemble runs in which the edge ranked in the top set (NaN when not an ensemble)
 */
public record Edge(String tf, String target, double score, int sign, double stability) {
}
