package io.scgrn.models.prep;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.numerics.DenseOperator;
import io.scgrn.models.numerics.Neighbours;
import io.scgrn.models.numerics.RandomizedSvd;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Metacells: n / k seed cells (drawn with the seed), each averaged with its k − 1 nearest neighbours in the space
 * of the top principal components. Averaging k cells cuts dropout noise and makes every later step O(n / k).
 */
final class Metacells {
    private Metacells() {
    }

    /**
     * @param x   cells × genes (log-normalised)
     * @param k   cells per metacell
     * @param pcs principal components for the neighbour search
     * @return a (n / k) × genes matrix, or {@code x} itself when there are fewer than 2k cells
     */
    static ExpressionMatrix aggregate(ExpressionMatrix x, int k, int pcs, long seed) {
        int n = x.nCells();
        int g = x.nGenes();
        if (n < 2 * k) {
            return x;
        }
        double[] emb = pca(x, Math.max(1, Math.min(pcs, Math.min(n, g) - 1)), seed);
        int d = emb.length / n;
        int m = n / k;
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int[] perm = IntStream.range(0, n).toArray();
        for (int i = 0; i < m; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        float[] src = x.values();
        float[] out = new float[m * g];
        IntStream.range(0, m).parallel().forEach(s -> {
            int[] nn = Neighbours.nearest(emb, d, n, perm[s], k);
            double[] acc = new double[g];
            for (int c : nn) {
                int base = c * g;
                for (int j = 0; j < g; j++) {
                    acc[j] += src[base + j];
                }
            }
            for (int j = 0; j < g; j++) {
                out[s * g + j] = (float) (acc[j] / nn.length);
            }
        });
        List<String> names = new ArrayList<>(m);
        for (int s = 0; s < m; s++) {
            names.add("metacell:" + x.cells().get(perm[s]));
        }
        return new ExpressionMatrix(out, names, x.genes());
    }

    /** Cell scores U·S of the centred matrix (cells × pcs, row-major), by randomised SVD. */
    static double[] pca(ExpressionMatrix x, int pcs, long seed) {
        int n = x.nCells();
        int g = x.nGenes();
        float[] v = x.values();
        DenseOperator op = new DenseOperator(v, n, g, DenseOperator.columnMeans(v, n, g));
        return RandomizedSvd.compute(op, pcs, 10, 2, seed).scores();
    }
}
