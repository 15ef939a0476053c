package io.scgrn.models.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EntryOperatorTest {
    @Test
    void rowMajorEntriesGiveTheDenseOperatorsProductsBitForBit() {
        int n = 37;
        int g = 11;
        int l = 4;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = new float[n * g];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble() < 0.6 ? 0 : (float) rnd.nextGaussian();
        }
        double[] in = rnd.doubles(g * l).toArray();
        double[] y = rnd.doubles(n * l).toArray();
        EntryOperator.Entries entries = v -> {
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < g; c++) {
                    if (x[r * g + c] != 0) {
                        v.accept(r, c, x[r * g + c]);
                    }
                }
            }
        };
        for (double[] mean : new double[][] {null, DenseOperator.columnMeans(x, n, g)}) {
            RandomizedSvd.Operator dense = new DenseOperator(x, n, g, mean);
            RandomizedSvd.Operator byEntries = new EntryOperator(n, g, mean, entries);
            double[] a = new double[n * l];
            double[] b = new double[n * l];
            dense.times(in, l, a);
            byEntries.times(in, l, b);
            assertArrayEquals(a, b, 0.0);
            double[] at = new double[g * l];
            double[] bt = new double[g * l];
            dense.transposeTimes(y, l, at);
            byEntries.transposeTimes(y, l, bt);
            assertArrayEquals(at, bt, 0.0);
        }
    }
}
