package io.scgrn.models.prep;

import io.scgrn.models.ExpressionMatrix;
import io.scgrn.models.atac.RandomizedSvd;

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
            int[] nn = nearest(emb, d, n, perm[s], k);
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

    /** Indices of the k cells nearest to {@code seed} (itself included), by squared Euclidean distance. */
    static int[] nearest(double[] emb, int d, int n, int seed, int k) {
        // bounded max-heap of the k best so far
        int[] heap = new int[k];
        double[] hd = new double[k];
        int size = 0;
        int sb = seed * d;
        for (int c = 0; c < n; c++) {
            double dist = 0;
            int cb = c * d;
            for (int j = 0; j < d; j++) {
                double t = emb[cb + j] - emb[sb + j];
                dist += t * t;
            }
            if (c == seed) {
                dist = -1; // the seed always belongs to its own metacell
            }
            if (size < k) {
                heap[size] = c;
                hd[size] = dist;
                siftUp(heap, hd, size++);
            } else if (dist < hd[0]) {
                heap[0] = c;
                hd[0] = dist;
                siftDown(heap, hd, size);
            }
        }
        return java.util.Arrays.copyOf(heap, size);
    }

    private static void siftUp(int[] h, double[] d, int i) {
        while (i > 0) {
            int p = (i - 1) / 2;
            if (d[p] >= d[i]) {
                return;
            }
            swap(h, d, i, p);
            i = p;
        }
    }

    private static void siftDown(int[] h, double[] d, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int big = i;
            if (l < size && d[l] > d[big]) {
                big = l;
            }
            if (r < size && d[r] > d[big]) {
                big = r;
            }
            if (big == i) {
                return;
            }
            swap(h, d, i, big);
            i = big;
        }
    }

    private static void swap(int[] h, double[] d, int i, int j) {
        int t = h[i];
        h[i] = h[j];
        h[j] = t;
        double u = d[i];
        d[i] = d[j];
        d[j] = u;
    }

    /** Cell scores U·S of the centred matrix (cells × pcs, row-major), by randomised SVD. */
    static double[] pca(ExpressionMatrix x, int pcs, long seed) {
        int n = x.nCells();
        int g = x.nGenes();
        float[] v = x.values();
        double[] mean = new double[g];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < g; j++) {
                mean[j] += v[c * g + j];
            }
        }
        for (int j = 0; j < g; j++) {
            mean[j] /= n;
        }
        RandomizedSvd.Operator op = new RandomizedSvd.Operator() {
            @Override
            public int rows() {
                return n;
            }

            @Override
            public int cols() {
                return g;
            }

            @Override
            public void times(double[] in, int l, double[] out) {
                // (X − 1μᵀ)·in = X·in − 1·(μᵀ·in)
                double[] mu = new double[l];
                for (int j = 0; j < g; j++) {
                    for (int t = 0; t < l; t++) {
                        mu[t] += mean[j] * in[j * l + t];
                    }
                }
                IntStream.range(0, n).parallel().forEach(c -> {
                    int ob = c * l;
                    for (int t = 0; t < l; t++) {
                        out[ob + t] = -mu[t];
                    }
                    int vb = c * g;
                    for (int j = 0; j < g; j++) {
                        double a = v[vb + j];
                        if (a != 0) {
                            int ib = j * l;
                            for (int t = 0; t < l; t++) {
                                out[ob + t] += a * in[ib + t];
                            }
                        }
                    }
                });
            }

            @Override
            public void transposeTimes(double[] y, int l, double[] out) {
                // (X − 1μᵀ)ᵀ·y = Xᵀ·y − μ·(1ᵀ·y)
                double[] colSum = new double[l];
                for (int c = 0; c < n; c++) {
                    for (int t = 0; t < l; t++) {
                        colSum[t] += y[c * l + t];
                    }
                }
                IntStream.range(0, g).parallel().forEach(j -> {
                    int ob = j * l;
                    for (int t = 0; t < l; t++) {
                        out[ob + t] = -mean[j] * colSum[t];
                    }
                    for (int c = 0; c < n; c++) {
                        double a = v[c * g + j];
                        if (a != 0) {
                            int yb = c * l;
                            for (int t = 0; t < l; t++) {
                                out[ob + t] += a * y[yb + t];
                            }
                        }
                    }
                });
            }
        };
        RandomizedSvd.Result r = RandomizedSvd.compute(op, pcs, 10, 2, seed);
        double[] emb = new double[n * r.k()];
        for (int c = 0; c < n; c++) {
            for (int t = 0; t < r.k(); t++) {
                emb[c * r.k() + t] = r.u()[c * r.k() + t] * r.s()[t];
            }
        }
        return emb;
    }
}
