package io.scgrn.models.prep;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HvgTest {
    @Test
    void loessReproducesAQuadraticExactlyAndSmoothsNoise() {
        Random rnd = new Random(4);
        int n = 150;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 4 * rnd.nextDouble() - 1;
            y[i] = 1 + 2 * x[i] + 0.5 * x[i] * x[i];
        }
        double[] fit = Hvg.loess(x, y, 0.3);
        for (int i = 0; i < n; i++) {
            assertEquals(y[i], fit[i], 1e-8, "x=" + x[i]);
        }
        // 2,000 noisy points on a line: fitted on a grid of 200 quantiles, the curve stays within the noise's
        // standard error of the truth
        int m = 2000;
        double[] xs = new double[m];
        double[] ys = new double[m];
        for (int i = 0; i < m; i++) {
            xs[i] = rnd.nextDouble() * 3;
            ys[i] = 0.5 + 1.5 * xs[i] + 0.1 * rnd.nextGaussian();
        }
        double[] f2 = Hvg.loess(xs, ys, 0.3);
        for (int i = 0; i < m; i++) {
            assertEquals(0.5 + 1.5 * xs[i], f2[i], 0.05);
        }
    }

    @Test
    void dispersionZScoresWithinMeanBins() {
        // four genes with the same mean: z-scores of their log dispersion within the one bin
        int n = 10;
        double[] mean = {2, 2, 2, 2};
        double[] var = {1, 2, 4, 8};
        double[] sum = new double[4];
        double[] sumSq = new double[4];
        for (int j = 0; j < 4; j++) {
            sum[j] = mean[j] * n;
            sumSq[j] = var[j] * (n - 1) + n * mean[j] * mean[j];
        }
        double[] z = Hvg.dispersion(sum, sumSq, n, new boolean[] {true, true, true, true});
        // log dispersions are log(v/2): equally spaced by log 2, so z = (−1.5, −0.5, 0.5, 1.5) / sd(0..3)
        double sd = Math.sqrt(5.0 / 3);
        assertEquals(-1.5 / sd, z[0], 1e-9);
        assertEquals(1.5 / sd, z[3], 1e-9);
        boolean[] top = Hvg.top(z, new boolean[] {true, true, true, true}, new boolean[] {false, false, false, true}, 2);
        // gene 3 is a TF and never competes: the best two others are 2 and 1
        assertTrue(top[2] && top[1] && !top[0] && !top[3]);
    }
}
