package io.scgrn.models.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EngineThreadsTest {

    /** 3000 × 64 standard normal values, one row block: a product the math libraries split over cores. */
    private static double[][] block() {
        Random r = new Random(1);
        double[] b = new double[3000 * 64];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextGaussian();
        }
        return new double[][] {b};
    }

    private static double[][] products(double[][] blocks) {
        return Correlations.crossProducts(blocks, 64, java.util.stream.IntStream.range(0, 64).toArray(), f -> { });
    }

    @Test
    void aNewThreadsFirstProductEqualsThatOfAThreadThatHasWorked() throws Exception {
        // Without EngineThreads a thread's first DJL operation, when it is a product, runs with the libraries'
        // default thread count (all cores) and rounds differently from the same product on a worked thread (with
        // -Dai.djl.pytorch.num_threads=1 as the build and the launcher set it): the CLI's main thread and a reused
        // server worker then gave different networks for the same input.
        double[][] blocks = block();
        EngineThreads.prepare();
        double[][] here = products(blocks);
        double[][][] fresh = new double[2][][];
        for (int k = 0; k < 2; k++) {
            int slot = k;
            Thread t = new Thread(() -> fresh[slot] = products(blocks));
            t.start();
            t.join();
        }
        for (int k = 0; k < 2; k++) {
            assertEquals(here.length, fresh[k].length);
            for (int i = 0; i < here.length; i++) {
                assertArrayEquals(here[i], fresh[k][i], 0.0, "thread " + k + ", row " + i);
            }
        }
    }
}
