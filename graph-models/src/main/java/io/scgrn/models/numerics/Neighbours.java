package io.scgrn.models.numerics;

import java.util.Arrays;

/** Exact k nearest neighbours in a small dense embedding (brute force with a bounded max-heap). */
public final class Neighbours {
    private Neighbours() {
    }

    /**
     * The k points nearest to point {@code i} by squared Euclidean distance, {@code i} itself first, then by
     * ascending distance (ties by index).
     *
     * @param emb n × d, row-major
     */
    public static int[] nearest(double[] emb, int d, int n, int i, int k) {
        double[] dist = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int t = 0; t < d; t++) {
                double v = emb[i * d + t] - emb[j * d + t];
                s += v * v;
            }
            dist[j] = j == i ? -1 : s;
        }
        return smallest(dist, k);
    }

    /** Indices of the k smallest values, ascending (ties by index), by a bounded max-heap. */
    public static int[] smallest(double[] v, int k) {
        int[] heap = new int[k];
        int size = 0;
        for (int j = 0; j < v.length; j++) {
            if (size < k) {
                heap[size++] = j;
                siftUp(heap, size - 1, v);
            } else if (less(j, heap[0], v)) {
                heap[0] = j;
                siftDown(heap, size, v);
            }
        }
        Integer[] boxed = new Integer[size];
        for (int i = 0; i < size; i++) {
            boxed[i] = heap[i];
        }
        Arrays.sort(boxed, (a, b) -> less(a, b, v) ? -1 : less(b, a, v) ? 1 : 0);
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }

    private static boolean less(int a, int b, double[] v) {
        return v[a] < v[b] || (v[a] == v[b] && a < b);
    }

    private static void siftUp(int[] h, int i, double[] v) {
        while (i > 0) {
            int p = (i - 1) / 2;
            if (less(h[p], h[i], v)) {
                int t = h[p];
                h[p] = h[i];
                h[i] = t;
                i = p;
            } else {
                return;
            }
        }
    }

    private static void siftDown(int[] h, int size, double[] v) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int big = i;
            if (l < size && less(h[big], h[l], v)) {
                big = l;
            }
            if (r < size && less(h[big], h[r], v)) {
                big = r;
            }
            if (big == i) {
                return;
            }
            int t = h[big];
            h[big] = h[i];
            h[i] = t;
            i = big;
        }
    }
}
