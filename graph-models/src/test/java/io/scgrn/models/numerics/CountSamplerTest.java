package io.scgrn.models.numerics;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CountSamplerTest {
    private static final int N = 200_000;

    /** Mean, variance and skewness of N draws. */
    private static double[] moments(IntSupplier draw) {
        double[] x = new double[N];
        double mean = 0;
        for (int i = 0; i < N; i++) {
            x[i] = draw.getAsInt();
            mean += x[i];
        }
        mean /= N;
        double m2 = 0;
        double m3 = 0;
        for (double v : x) {
            double d = v - mean;
            m2 += d * d;
            m3 += d * d * d;
        }
        m2 /= N;
        m3 /= N;
        return new double[] {mean, m2, m3 / Math.pow(m2, 1.5)};
    }

    @Test
    void poissonAboveThirtyKeepsItsSkew() {
        // Poisson(36): mean = variance = 36, skewness 1/6. A rounded normal approximation has skewness ≈ 0; with
        // 200,000 draws the skewness estimate has a standard error of ≈ 0.0055, so 0.03 separates the two.
        CountSampler s = new CountSampler(new SplittableRandom(7), 10);
        double[] m = moments(() -> s.poisson(36));
        assertEquals(36, m[0], 0.1);
        assertEquals(36, m[1], 1.0);
        assertEquals(1.0 / 6, m[2], 0.03);
        // the large-mean sampler (mean ≥ 40) likewise
        double[] big = moments(() -> s.poisson(100));
        assertEquals(100, big[0], 0.2);
        assertEquals(0.1, big[2], 0.03);
    }

    @Test
    void gammaPoissonHasNegativeBinomialMoments() {
        // NB(μ = 20, θ = 10): variance μ + μ²/θ = 60
        CountSampler s = new CountSampler(new SplittableRandom(11), 10);
        double[] m = moments(() -> s.gammaPoisson(20));
        assertEquals(20, m[0], 0.1);
        assertEquals(60, m[1], 1.5);
    }

    @Test
    void sameSeedSameDrawsAndZeroMeanDrawsNothing() {
        CountSampler a = new CountSampler(new SplittableRandom(3), 10);
        CountSampler b = new CountSampler(new SplittableRandom(3), 10);
        for (int i = 0; i < 1000; i++) {
            double mu = i % 97;
            assertEquals(a.gammaPoisson(mu), b.gammaPoisson(mu));
        }
        assertEquals(0, a.poisson(0));
        assertEquals(0, a.gammaPoisson(-1));
        assertThrows(IllegalArgumentException.class, () -> new CountSampler(new SplittableRandom(1), 0));
    }

    @Test
    void poissonOnlySamplerOnAJavaUtilRandom() {
        // Test data generators draw on java.util.Random, interleaving their own draws with the sampler's.
        Random rnd = new Random(5);
        CountSampler s = new CountSampler(rnd);
        double[] m = moments(() -> rnd.nextBoolean() ? s.poisson(3) : s.poisson(3));
        assertEquals(3, m[0], 0.03);
        assertEquals(3, m[1], 0.1);
        assertThrows(IllegalStateException.class, () -> s.gammaPoisson(1));
    }
}
