package io.scgrn.models.numerics;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.AhrensDieterMarsagliaTsangGammaSampler;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.PoissonSamplerCache;

import java.util.random.RandomGenerator;

/**
 * Poisson and gamma–Poisson (negative binomial) count draws on Commons RNG samplers, fed by the caller's seeded
 * generator ({@link java.util.SplittableRandom}, {@link java.util.Random}, …) so that a seed still fixes every draw
 * and other draws may interleave with these on the same generator.
 *
 * <p>Poisson draws are exact at every mean (the product-of-uniforms sampler below a mean of 40, Devroye's
 * rejection sampler above, its per-mean state cached), unlike a normal approximation, which loses the skew of the
 * counts. Gamma draws use Marsaglia–Tsang ({@code AhrensDieterMarsagliaTsangGammaSampler}, shape θ ≥ 1).
 */
public final class CountSampler {
    /** Largest mean whose large-mean sampler state is cached; larger means build it per draw (rare). */
    private static final double CACHED_MAX_MEAN = 4096;

    private final UniformRandomProvider rng;
    private final PoissonSamplerCache poissonCache;
    private final ContinuousSampler gamma;
    private final double theta;

    /** Poisson draws only ({@link #gammaPoisson} needs a dispersion). */
    public CountSampler(RandomGenerator rnd) {
        this.rng = rnd::nextLong;
        this.poissonCache = new PoissonSamplerCache(0, CACHED_MAX_MEAN);
        this.gamma = null;
        this.theta = Double.NaN;
    }

    /**
     * @param rnd   the source of every draw (consumed sequentially)
     * @param theta the gamma–Poisson dispersion θ (shape of the gamma rate; variance μ + μ²/θ), &gt; 0
     */
    public CountSampler(RandomGenerator rnd, double theta) {
        if (!(theta > 0)) {
            throw new IllegalArgumentException("theta must be > 0: " + theta);
        }
        this.rng = rnd::nextLong;
        this.poissonCache = new PoissonSamplerCache(0, CACHED_MAX_MEAN);
        this.gamma = AhrensDieterMarsagliaTsangGammaSampler.of(rng, theta, 1.0 / theta);
        this.theta = theta;
    }

    /** One Poisson(mean) draw; 0 for a mean ≤ 0. */
    public int poisson(double mean) {
        if (!(mean > 0)) {
            return 0;
        }
        return poissonCache.createSharedStateSampler(rng, mean).sample();
    }

    /** One gamma–Poisson draw with mean {@code mu}: Poisson(μ·G), G ~ Gamma(θ, 1/θ) with mean 1. */
    public int gammaPoisson(double mu) {
        if (gamma == null) {
            throw new IllegalStateException("no dispersion given: construct with a theta for gamma-Poisson draws");
        }
        if (!(mu > 0)) {
            return 0;
        }
        return poisson(gamma.sample() * mu);
    }

    /** The dispersion θ (NaN for a Poisson-only sampler). */
    public double theta() {
        return theta;
    }
}
