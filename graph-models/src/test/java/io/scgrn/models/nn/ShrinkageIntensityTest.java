package io.scgrn.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.scgrn.models.ExpressionMatrix;

import org.junit.jupiter.api.Test;

import java.util.Random;

class ShrinkageIntensityTest {
    static {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    private static ExpressionMatrix data(int n, int g, double factor, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[n * g];
        for (int c = 0; c < n; c++) {
            double f = rnd.nextGaussian();
            for (int j = 0; j < g; j++) {
                v[c * g + j] = (float) (factor * f + rnd.nextGaussian());
            }
        }
        return new ExpressionMatrix(v, Synthetic.names("c", n), Synthetic.names("g", g));
    }

    private static double lambda(ExpressionMatrix d) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            float[] z = NnSupport.standardise(d);
            return ShrinkageIntensity.of(m, z, GeneGraph.correlation(m, z, d.nCells(), d.nGenes()), d.nCells(),
                    d.nGenes());
        }
    }

    @Test
    void matchesTheDirectSchaeferStrimmerSum() {
        ExpressionMatrix d = data(40, 6, 0.7, 1);
        int n = d.nCells();
        int g = d.nGenes();
        float[] z = NnSupport.standardise(d);
        double var = 0;
        double ss = 0;
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                if (i == j) {
                    continue;
                }
                double mean = 0;
                for (int k = 0; k < n; k++) {
                    mean += (double) z[k * g + i] * z[k * g + j] / n;
                }
                double s = 0;
                for (int k = 0; k < n; k++) {
                    double w = (double) z[k * g + i] * z[k * g + j] - mean;
                    s += w * w;
                }
                var += n * s / Math.pow(n - 1, 3);
                ss += mean * mean;
            }
        }
        assertEquals(var / ss, lambda(d), 1e-4);
    }

    @Test
    void shrinksNoiseMoreThanStructure() {
        double noise = lambda(data(200, 30, 0, 2));
        double structured = lambda(data(200, 30, 1.5, 2));
        assertTrue(noise > 0.8, "independent genes: correlations are noise, λ " + noise);
        assertTrue(structured < 0.1, "a strong common factor: λ " + structured);
    }
}
