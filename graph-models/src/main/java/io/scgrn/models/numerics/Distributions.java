package io.scgrn.models.numerics;

import org.apache.commons.statistics.distribution.NormalDistribution;

/** Tail probabilities of the distributions the linking tests use (Commons Statistics). */
public final class Distributions {
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private Distributions() {
    }

    /** Upper tail of the standard normal, P(Z &gt; z), accurate far into the tail. */
    public static double normalUpper(double z) {
        return STANDARD_NORMAL.survivalProbability(z);
    }
}
