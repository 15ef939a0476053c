package io.scgrn.models.numerics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.function.DoubleConsumer;
import java.util.stream.IntStream;

/**
 * Pearson correlation by matrix products: columns are centred and scaled to unit norm, then r = Zₐᵀ·Z_b, computed
 * block by block over rows (cells) so native memory stays bounded.
 */
public final class Correlations {
    /** Rows (cells) per block of the product: 1,024 rows × 2,000 genes × 8 bytes = 16 MB of native memory. */
    private static final int BLOCK_ROWS = 1024;

    private Correlations() {
    }

    /**
     * Centres and scales {@code x} in place to mean 0 and unit norm. A column constant up to float rounding (norm
     * below |mean|·√n·1e-6) has no signal and becomes all zeros, so it correlates 0 with everything.
     */
    public static void standardiseUnitNorm(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] -= mean;
            ss += x[i] * x[i];
        }
        double norm = Math.sqrt(ss);
        double scale = Math.abs(mean) * Math.sqrt(x.length) * 1e-6;
        if (norm <= scale || norm == 0) {
            Arrays.fill(x, 0);
        } else {
            for (int i = 0; i < x.length; i++) {
                x[i] /= norm;
            }
        }
    }

    /**
     * Columns of a rows × cols row-major float matrix centred and scaled (in double, stored as float) so that the
     * dot product of two columns is their Pearson correlation; constant columns become zero vectors.
     *
     * @return cols arrays of length rows
     */
    public static float[][] standardisedColumns(float[] x, int rows, int cols) {
        float[][] out = new float[cols][rows];
        IntStream.range(0, cols).parallel().forEach(j -> standardisedColumn(x, rows, cols, j, out[j]));
        return out;
    }

    /**
     * Column {@code j} of {@code x} (rows × cols, row-major) centred and scaled to unit norm into {@code col}
     * (rows long), all zeros when constant: one column of {@link #standardisedColumns}, the same arithmetic.
     *
     * @return col
     */
    public static float[] standardisedColumn(float[] x, int rows, int cols, int j, float[] col) {
        double mean = 0;
        for (int i = 0; i < rows; i++) {
            mean += x[i * cols + j];
        }
        mean /= rows;
        double ss = 0;
        for (int i = 0; i < rows; i++) {
            double v = x[i * cols + j] - mean;
            ss += v * v;
        }
        double norm = Math.sqrt(ss);
        if (norm > 1e-12) {
            for (int i = 0; i < rows; i++) {
                col[i] = (float) ((x[i * cols + j] - mean) / norm);
            }
        } else {
            Arrays.fill(col, 0, rows, 0f);
        }
        return col;
    }

    /** Σ a[i]·b[i] accumulated in double. */
    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * {@code out[i] = dot(rows[i], b)} for every i, bit for bit equal to {@link #dot} one by one: each sum keeps
     * its own accumulator and order, but eight of them run in one pass over {@code b}, so the CPU overlaps eight
     * dependent addition chains instead of waiting on one (2–3× the throughput of single dots: docs/benchmarks.md,
     * "Multiome: TF correlations eight at a time, MI outside the fullest bin, LSI in column blocks (lead, session
     * 22)").
     *
     * @param rows vectors of b's length (may repeat)
     * @param b    the common vector
     * @param out  rows.length results
     */
    public static void dots(float[][] rows, float[] b, double[] out) {
        int n = b.length;
        int i = 0;
        for (; i + 8 <= rows.length; i += 8) {
            float[] a0 = rows[i];
            float[] a1 = rows[i + 1];
            float[] a2 = rows[i + 2];
            float[] a3 = rows[i + 3];
            float[] a4 = rows[i + 4];
            float[] a5 = rows[i + 5];
            float[] a6 = rows[i + 6];
            float[] a7 = rows[i + 7];
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            double s4 = 0;
            double s5 = 0;
            double s6 = 0;
            double s7 = 0;
            for (int k = 0; k < n; k++) {
                float v = b[k];
                s0 += a0[k] * v;
                s1 += a1[k] * v;
                s2 += a2[k] * v;
                s3 += a3[k] * v;
                s4 += a4[k] * v;
                s5 += a5[k] * v;
                s6 += a6[k] * v;
                s7 += a7[k] * v;
            }
            out[i] = s0;
            out[i + 1] = s1;
            out[i + 2] = s2;
            out[i + 3] = s3;
            out[i + 4] = s4;
            out[i + 5] = s5;
            out[i + 6] = s6;
            out[i + 7] = s7;
        }
        for (; i < rows.length; i++) {
            out[i] = dot(rows[i], b);
        }
    }

    /** True when every entry is 0 (a standardised constant column). */
    public static boolean isZero(float[] a) {
        for (float v : a) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Standardised columns laid out for {@link #crossProducts}: each column of {@code x} (rows × cols, row-major)
     * centred and scaled exactly as {@link #standardiseUnitNorm} does (same operations in the same order, so the
     * same doubles), optionally after replacing it by its average ranks (Spearman), and cut into row blocks.
     *
     * @return row blocks of at most {@value #BLOCK_ROWS} rows × cols, row-major
     */
    public static double[][] standardisedRowBlocks(float[] x, int rows, int cols, boolean ranks) {
        int nBlocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
        double[][] blocks = new double[nBlocks][];
        for (int b = 0; b < nBlocks; b++) {
            blocks[b] = new double[Math.min(BLOCK_ROWS, rows - b * BLOCK_ROWS) * cols];
        }
        if (ranks) {
            IntStream.range(0, cols).parallel().forEach(j -> {
                double[] col = new double[rows];
                for (int i = 0; i < rows; i++) {
                    col[i] = x[i * cols + j];
                }
                Ranks.averageRanksInPlace(col);
                standardiseUnitNorm(col);
                for (int i = 0; i < rows; i++) {
                    blocks[i / BLOCK_ROWS][(i % BLOCK_ROWS) * cols + j] = col[i];
                }
            });
            return blocks;
        }
        // Row-major passes (cache-friendly); per column the sums run over rows in order, as in standardiseUnitNorm.
        double[] mean = new double[cols];
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                mean[j] += x[base + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            mean[j] /= rows;
        }
        double[] ss = new double[cols];
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                double d = x[base + j] - mean[j];
                ss[j] += d * d;
            }
        }
        double[] norm = new double[cols];
        for (int j = 0; j < cols; j++) {
            double nrm = Math.sqrt(ss[j]);
            double scale = Math.abs(mean[j]) * Math.sqrt(rows) * 1e-6;
            norm[j] = nrm <= scale || nrm == 0 ? Double.NaN : nrm;
        }
        IntStream.range(0, nBlocks).parallel().forEach(b -> {
            double[] block = blocks[b];
            int r0 = b * BLOCK_ROWS;
            for (int i = 0; i < block.length / cols; i++) {
                int base = (r0 + i) * cols;
                for (int j = 0; j < cols; j++) {
                    block[i * cols + j] = Double.isNaN(norm[j]) ? 0 : (x[base + j] - mean[j]) / norm[j];
                }
            }
        });
        return blocks;
    }

    /**
     * Cross-products of selected columns with all columns: {@code out[t][j] = Σ_i z[i, sel[t]] · z[i, j]}, clipped
     * to [−1, 1] (for standardised columns this is Pearson's r). The product of each row block runs as one float64
     * matrix multiplication in PyTorch (through DJL) on the CPU, which is several times faster than any Java loop
     * we measured (docs/benchmarks.md); row blocks are added in order, so the result is deterministic for a given
     * PyTorch thread count.
     *
     * @param blocks row blocks of z (from {@link #standardisedRowBlocks}), each rows_b × cols, row-major
     * @param sel    column indices to correlate with every column
     * @param onDone called after each row block with the fraction of blocks finished (progress, cancellation);
     *               may throw to abort
     * @return sel.length × cols
     */
    public static double[][] crossProducts(double[][] blocks, int cols, int[] sel, DoubleConsumer onDone) {
        int t = sel.length;
        try (NDManager m = EngineThreads.newManager(Device.cpu())) {
            NDArray c = m.zeros(new Shape(t, cols), DataType.FLOAT64);
            for (int b = 0; b < blocks.length; b++) {
                double[] block = blocks[b];
                int nr = block.length / cols;
                double[] a = new double[nr * t];
                for (int i = 0; i < nr; i++) {
                    for (int k = 0; k < t; k++) {
                        a[i * t + k] = block[i * cols + sel[k]];
                    }
                }
                try (NDManager sub = m.newSubManager()) {
                    NDArray an = sub.create(a, new Shape(nr, t));
                    NDArray bn = sub.create(block, new Shape(nr, cols));
                    c.addi(an.transpose().matMul(bn));
                }
                onDone.accept((b + 1.0) / blocks.length);
            }
            double[] flat = c.toDoubleArray();
            double[][] out = new double[t][];
            for (int k = 0; k < t; k++) {
                double[] row = Arrays.copyOfRange(flat, k * cols, (k + 1) * cols);
                for (int j = 0; j < cols; j++) {
                    row[j] = Math.max(-1, Math.min(1, row[j]));
                }
                out[k] = row;
            }
            return out;
        }
    }
}
