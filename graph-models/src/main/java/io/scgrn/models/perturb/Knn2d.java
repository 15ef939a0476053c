package io.scgrn.models.perturb;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Exact k nearest neighbours of every point of a 2-D embedding (itself excluded), through a uniform bucket grid:
 * memory O(n·k), time about O(n·k) for embeddings without extreme density contrasts. Ties are broken by index, so
 * the result is deterministic.
 */
public final class Knn2d {
    private Knn2d() {
    }

    /**
     * @param xy points, row-major n × 2
     * @param k  neighbours per point (clipped to n − 1)
     * @return n × k neighbour indices, row-major, nearest first
     */
    public static int[] neighbours(double[] xy, int k) {
        int n = xy.length / 2;
        k = Math.min(k, n - 1);
        if (k <= 0) {
            return new int[0];
        }
        double[] box = bounds(xy);
        double minX = box[0];
        double minY = box[1];
        double maxX = box[2];
        double maxY = box[3];
        // about k/2 points per bucket on average
        int side = Math.max(1, (int) Math.sqrt(Math.max(1.0, 2.0 * n / Math.max(1, k))));
        double w = Math.max((maxX - minX) / side, 1e-12);
        double h = Math.max((maxY - minY) / side, 1e-12);
        int[] bucketOf = new int[n];
        int[] start = new int[side * side + 1];
        for (int i = 0; i < n; i++) {
            int bx = Math.min(side - 1, (int) ((xy[2 * i] - minX) / w));
            int by = Math.min(side - 1, (int) ((xy[2 * i + 1] - minY) / h));
            bucketOf[i] = by * side + bx;
            start[bucketOf[i] + 1]++;
        }
        for (int b = 0; b < side * side; b++) {
            start[b + 1] += start[b];
        }
        int[] members = new int[n];
        int[] fill = Arrays.copyOf(start, start.length);
        for (int i = 0; i < n; i++) {
            members[fill[bucketOf[i]]++] = i;
        }
        int[] out = new int[n * k];
        final int kk = k;
        final double fw = w;
        final double fh = h;
        IntStream.range(0, (n + 1023) / 1024).parallel().forEach(chunk -> {
            int[] heapIdx = new int[kk];
            double[] heapD = new double[kk];
            for (int i = chunk * 1024; i < Math.min(n, chunk * 1024 + 1024); i++) {
                int size = 0;
                int bx = bucketOf[i] % side;
                int by = bucketOf[i] / side;
                double px = xy[2 * i];
                double py = xy[2 * i + 1];
                for (int ring = 0; ring < side; ring++) {
                    for (int yy = by - ring; yy <= by + ring; yy++) {
                        if (yy < 0 || yy >= side) {
                            continue;
                        }
                        for (int xx = bx - ring; xx <= bx + ring; xx++) {
                            if (xx < 0 || xx >= side) {
                                continue;
                            }
                            if (Math.abs(yy - by) != ring && Math.abs(xx - bx) != ring) {
                                continue; // inner buckets were visited in earlier rings
                            }
                            int b = yy * side + xx;
                            for (int m = start[b]; m < start[b + 1]; m++) {
                                int j = members[m];
                                if (j == i) {
                                    continue;
                                }
                                double dx = xy[2 * j] - px;
                                double dy = xy[2 * j + 1] - py;
                                double d = dx * dx + dy * dy;
                                if (size < kk) {
                                    heapIdx[size] = j;
                                    heapD[size] = d;
                                    siftUp(heapIdx, heapD, size++);
                                } else if (worse(heapD[0], heapIdx[0], d, j)) {
                                    heapIdx[0] = j;
                                    heapD[0] = d;
                                    siftDown(heapIdx, heapD, size);
                                }
                            }
                        }
                    }
                    if (size == kk) {
                        // every point outside the rings seen so far is at least ring·min(w, h) away
                        double reach = ring * Math.min(fw, fh);
                        if (reach * reach >= heapD[0]) {
                            break;
                        }
                    }
                }
                // heap → ascending order
                int[] idx = Arrays.copyOf(heapIdx, size);
                double[] dist = Arrays.copyOf(heapD, size);
                Integer[] order = new Integer[size];
                for (int t = 0; t < size; t++) {
                    order[t] = t;
                }
                Arrays.sort(order, (a, b2) -> dist[a] != dist[b2] ? Double.compare(dist[a], dist[b2])
                        : Integer.compare(idx[a], idx[b2]));
                for (int t = 0; t < size; t++) {
                    out[i * kk + t] = idx[order[t]];
                }
            }
        });
        return out;
    }

    /** Whether the heap top (dTop, iTop) is farther than (d, j): larger distance, or equal and larger index. */
    private static boolean worse(double dTop, int iTop, double d, int j) {
        return dTop > d || (dTop == d && iTop > j);
    }

    private static void siftUp(int[] idx, double[] d, int i) {
        while (i > 0) {
            int p = (i - 1) / 2;
            if (worse(d[i], idx[i], d[p], idx[p])) {
                swap(idx, d, i, p);
                i = p;
            } else {
                return;
            }
        }
    }

    private static void siftDown(int[] idx, double[] d, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int m = i;
            if (l < size && worse(d[l], idx[l], d[m], idx[m])) {
                m = l;
            }
            if (r < size && worse(d[r], idx[r], d[m], idx[m])) {
                m = r;
            }
            if (m == i) {
                return;
            }
            swap(idx, d, i, m);
            i = m;
        }
    }

    private static void swap(int[] idx, double[] d, int i, int j) {
        int t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        double u = d[i];
        d[i] = d[j];
        d[j] = u;
    }

    /** The bounding box {minX, minY, maxX, maxY} of interleaved points [x0, y0, x1, y1, …] (±∞ when empty). */
    static double[] bounds(double[] xy) {
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < xy.length / 2; i++) {
            minX = Math.min(minX, xy[2 * i]);
            maxX = Math.max(maxX, xy[2 * i]);
            minY = Math.min(minY, xy[2 * i + 1]);
            maxY = Math.max(maxY, xy[2 * i + 1]);
        }
        return new double[] {minX, minY, maxX, maxY};
    }
}
