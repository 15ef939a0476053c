package io.scgrn.models.regulon;

import java.util.List;

/**
 * A TF with its best targets.
 *
 * @param tf      the regulator
 * @param sign    +1 for an activating regulon (targets with sign ≥ 0: positive or unknown), −1 for a repressing one
 * @param targets target genes, best first (the TF itself is not included)
 * @param scores  the edge score of each target
 */
public record Regulon(String tf, int sign, List<String> targets, List<Double> scores) {
    public Regulon {
        targets = List.copyOf(targets);
        scores = List.copyOf(scores);
        if (targets.size() != scores.size()) {
            throw new IllegalArgumentException(targets.size() + " targets but " + scores.size() + " scores");
        }
    }

    /** pySCENIC-style name: {@code GATA1(+)} or {@code GATA1(-)}. */
    public String name() {
        return tf + (sign < 0 ? "(-)" : "(+)");
    }

    public int size() {
        return targets.size();
    }
}
