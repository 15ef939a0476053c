package io.scgrn.models.atac;

import io.scgrn.models.numerics.RandomizedSvd;

import java.lang.ref.SoftReference;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.stream.IntStream;

/**
 * TF-IDF normalisation and latent semantic indexing (LSI) of binarised scATAC data, as Signac's
 * {@code RunTFIDF} (method 1) + {@code RunSVD}: tf-idf(c, p) = log1p(x / n_c · N / n_p · 10⁴) where n_c is the
 * cell's open peaks, n_p the peak's open cells and N the number of cells; LSI is its truncated SVD. The first
 * component tracks sequencing depth and is dropped.
 */
public final class AtacTransforms {
    /** Row chunks of the parallel Aᵀ·y product (fixed, for results independent of the core count). */
    private static final int TRANSPOSE_CHUNKS = 4;
    /**
     * Sketch columns per pass of the sparse products: 100,000 peaks × 8 doubles (6.4 MB) stay in cache where all
     * 41 columns (33 MB) did not; 1.8× faster on a 10x-shaped matrix, the same bits (docs/benchmarks.md,
     * "Multiome: TF correlations eight at a time, MI outside the fullest bin, LSI in column blocks (lead, session
     * 22)").
     */
    private static final int PRODUCT_BLOCK = 8;
    /**
     * {@link #lsi} of the peak matrices still in use, by (dims, seed): the ATAC step's cell states, metacells and
     * RNA smoothing each ask for the same embedding of the same matrix (half of the step's time at 5,000 cells ×
     * 30,000 peaks went to computing it twice). A memo of a deterministic function, so results are the same bytes;
     * the matrix is a weak key (an entry goes with its matrix) and the embedding a soft reference (freed under
     * memory pressure and then computed again).
     */
    private static final Map<PeakMatrix, Map<LsiKey, SoftReference<double[]>>> LSI =
            Collections.synchronizedMap(new WeakHashMap<>());

    private record LsiKey(int dims, long seed) {
    }

    private AtacTransforms() {
    }

    /** TF-IDF values aligned with {@code m.indices()} (the matrix is binary, so only non-zeros matter). */
    public static float[] tfidf(PeakMatrix m) {
        int[] peakCounts = m.peakCounts();
        float[] out = new float[m.nnz()];
        double n = m.nCells();
        for (int c = 0; c < m.nCells(); c++) {
            int len = m.cellCount(c);
            if (len == 0) {
                continue;
            }
            for (int k = m.indptr()[c]; k < m.indptr()[c + 1]; k++) {
                double idf = n / peakCounts[m.indices()[k]];
                out[k] = (float) Math.log1p(1.0 / len * idf * 1e4);
            }
        }
        return out;
    }

    /**
     * LSI embedding, cells × dims (row-major): components 2..dims+1 of the TF-IDF matrix's SVD, each cell's
     * coordinates u·s then L2-normalised per cell (depth-independent, as in Signac's UMAP input).
     *
     * @param m    binarised accessibility
     * @param dims components kept after dropping the first
     * @param seed sketch seed
     */
    public static double[] lsi(PeakMatrix m, int dims, long seed) {
        Map<LsiKey, SoftReference<double[]>> byArgs = LSI.computeIfAbsent(m, k -> new HashMap<>());
        LsiKey key = new LsiKey(dims, seed);
        double[] out;
        synchronized (byArgs) {
            SoftReference<double[]> ref = byArgs.get(key);
            out = ref == null ? null : ref.get();
            if (out == null) {
                out = computeLsi(m, dims, seed);
                byArgs.put(key, new SoftReference<>(out));
            }
        }
        // callers own their copy
        return out.clone();
    }

    private static double[] computeLsi(PeakMatrix m, int dims, long seed) {
        float[] values = tfidf(m);
        RandomizedSvd.Operator op = csrOperator(m, values);
        int want = Math.min(dims + 1, Math.min(m.nCells(), m.nPeaks()));
        RandomizedSvd.Result r = RandomizedSvd.compute(op, want, 10, 3, seed);
        int kept = Math.max(1, r.k() - 1);
        int skip = r.k() > 1 ? 1 : 0;
        double[] out = new double[m.nCells() * kept];
        for (int c = 0; c < m.nCells(); c++) {
            double norm = 0;
            for (int j = 0; j < kept; j++) {
                double v = r.u()[c * r.k() + j + skip] * r.s()[j + skip];
                out[c * kept + j] = v;
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            if (norm > 0) {
                for (int j = 0; j < kept; j++) {
                    out[c * kept + j] /= norm;
                }
            }
        }
        return out;
    }

    /** Number of LSI dimensions {@link #lsi} returns for these inputs. */
    public static int lsiDims(PeakMatrix m, int dims) {
        int want = Math.min(dims + 1, Math.min(m.nCells(), m.nPeaks()));
        return Math.max(1, want - 1);
    }

    /** Columns from .. from + w of a rows × l row-major matrix, as rows × w row-major. */
    private static double[] columns(double[] x, int rows, int l, int from, int w) {
        double[] out = new double[rows * w];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * l + from, out, r * w, w);
        }
        return out;
    }

    /** A CSR matrix with the given values as an SVD operator. */
    static RandomizedSvd.Operator csrOperator(PeakMatrix m, float[] values) {
        return new RandomizedSvd.Operator() {
            @Override
            public int rows() {
                return m.nCells();
            }

            @Override
            public int cols() {
                return m.nPeaks();
            }

            @Override
            public void times(double[] x, int l, double[] out) {
                Arrays.fill(out, 0);
                // Column blocks: the entries are read once per block, but the rows of x they gather (random
                // peaks) are PRODUCT_BLOCK wide, a sketch that stays in cache; each output is the same sum in the
                // same order as over all l columns at once.
                for (int lo = 0; lo < l; lo += PRODUCT_BLOCK) {
                    int from = lo;
                    int w = Math.min(PRODUCT_BLOCK, l - lo);
                    double[] xb = columns(x, m.nPeaks(), l, from, w);
                    IntStream.range(0, m.nCells()).parallel().forEach(c -> {
                        int o = c * l + from;
                        for (int k = m.indptr()[c]; k < m.indptr()[c + 1]; k++) {
                            double v = values[k];
                            int xi = m.indices()[k] * w;
                            for (int j = 0; j < w; j++) {
                                out[o + j] += v * xb[xi + j];
                            }
                        }
                    });
                }
            }

            @Override
            public void transposeTimes(double[] y, int l, double[] out) {
                // A fixed number of row chunks, each into its own buffer, summed in chunk order: parallel, yet the
                // same floating-point result on any number of cores. Column blocks as in times: the buffers'
                // rows that the entries scatter into are PRODUCT_BLOCK wide.
                int chunks = Math.max(1, Math.min(TRANSPOSE_CHUNKS, m.nCells()));
                Arrays.fill(out, 0);
                for (int lo = 0; lo < l; lo += PRODUCT_BLOCK) {
                    int from = lo;
                    int w = Math.min(PRODUCT_BLOCK, l - lo);
                    double[][] part = new double[chunks][];
                    IntStream.range(0, chunks).parallel().forEach(ch -> {
                        double[] acc = new double[m.nPeaks() * w];
                        int first = (int) ((long) m.nCells() * ch / chunks);
                        int last = (int) ((long) m.nCells() * (ch + 1) / chunks);
                        for (int c = first; c < last; c++) {
                            int yi = c * l + from;
                            for (int k = m.indptr()[c]; k < m.indptr()[c + 1]; k++) {
                                double v = values[k];
                                int o = m.indices()[k] * w;
                                for (int j = 0; j < w; j++) {
                                    acc[o + j] += v * y[yi + j];
                                }
                            }
                        }
                        part[ch] = acc;
                    });
                    for (double[] acc : part) {
                        for (int q = 0; q < m.nPeaks(); q++) {
                            for (int j = 0; j < w; j++) {
                                out[q * l + from + j] += acc[q * w + j];
                            }
                        }
                    }
                }
            }
        };
    }
}
