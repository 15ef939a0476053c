package io.scgrn.anndata;

import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * Per-cell and per-gene quality-control numbers computed in one streaming pass over a matrix (for
 * {@code scgrn inspect --stats}): totals (sum of values), detected counts (non-zero entries) and stored entries.
 *
 * @param cellTotals    sum of each row, length nRows
 * @param cellDetected  non-zero entries in each row
 * @param geneTotals    sum of each column, length nCols
 * @param geneDetected  non-zero entries in each column
 * @param nnz           stored entries (nRows*nCols for dense storage)
 * @param nonZero       entries whose value is not zero
 */
public record QcStats(double[] cellTotals, int[] cellDetected, double[] geneTotals, int[] geneDetected, long nnz,
                      long nonZero) {

    /** Default rows per block: small enough for any heap, large enough to amortise the slicing. */
    public static final int DEFAULT_BLOCK_ROWS = 4096;

    /** Streams the main matrix of {@code file} (see {@link MatrixBlocks#openMain}). */
    public static QcStats compute(Path file) {
        try (MatrixBlocks b = MatrixBlocks.openMain(file)) {
            return compute(b, DEFAULT_BLOCK_ROWS);
        }
    }

    /** Row ranges a sparse block is split into for the parallel sums (fixed, so results never depend on cores). */
    private static final int PARTS = 8;

    /**
     * One pass over row blocks of {@code blockRows} rows; memory is one block plus the four result arrays. Sparse
     * blocks are summed in {@value #PARTS} row ranges in parallel, each with its own per-gene arrays added in
     * range order afterwards, so the result is the same on any number of cores.
     */
    public static QcStats compute(MatrixBlocks blocks, int blockRows) {
        double[] cellTotals = new double[blocks.nRows()];
        int[] cellDetected = new int[blocks.nRows()];
        double[] geneTotals = new double[blocks.nCols()];
        int[] geneDetected = new int[blocks.nCols()];
        long nonZero = 0;
        int row0 = 0;
        for (Matrix m : blocks.rowBlocks(blockRows)) {
            if (m instanceof SparseMatrix s) {
                nonZero += sparseBlock(s, row0, cellTotals, cellDetected, geneTotals, geneDetected);
            } else {
                DenseMatrix d = (DenseMatrix) m;
                NumArray vals = d.values();
                for (int r = 0; r < d.nRows(); r++) {
                    int base = r * d.nCols();
                    for (int c = 0; c < d.nCols(); c++) {
                        double v = vals.get(base + c);
                        cellTotals[row0 + r] += v;
                        geneTotals[c] += v;
                        if (v != 0) {
                            cellDetected[row0 + r]++;
                            geneDetected[c]++;
                            nonZero++;
                        }
                    }
                }
            }
            row0 += m.nRows();
        }
        return new QcStats(cellTotals, cellDetected, geneTotals, geneDetected, blocks.nnz(), nonZero);
    }

    /** A CSR row block starting at row {@code row0}; returns its non-zero entries. */
    private static long sparseBlock(SparseMatrix s, int row0, double[] cellTotals, int[] cellDetected,
                                    double[] geneTotals, int[] geneDetected) {
        int rows = s.nRows();
        int parts = (int) Math.max(1, Math.min(PARTS, s.indptr()[rows] / 65_536));
        double[][] gt = new double[parts][];
        int[][] gd = new int[parts][];
        long[] nz = new long[parts];
        IntStream.range(0, parts).parallel().forEach(p -> {
            int r0 = (int) ((long) rows * p / parts);
            int r1 = (int) ((long) rows * (p + 1) / parts);
            double[] t = parts == 1 ? geneTotals : new double[geneTotals.length];
            int[] d = parts == 1 ? geneDetected : new int[geneDetected.length];
            nz[p] = sumRows(s, r0, r1, row0, cellTotals, cellDetected, t, d);
            gt[p] = t;
            gd[p] = d;
        });
        long nonZero = 0;
        for (int p = 0; p < parts; p++) {
            nonZero += nz[p];
            if (parts > 1) {
                for (int c = 0; c < geneTotals.length; c++) {
                    geneTotals[c] += gt[p][c];
                    geneDetected[c] += gd[p][c];
                }
            }
        }
        return nonZero;
    }

    /** Rows [r0, r1) of a CSR block: one tight loop per value type (no per-entry virtual call). */
    private static long sumRows(SparseMatrix s, int r0, int r1, int row0, double[] cellTotals, int[] cellDetected,
                                double[] geneTotals, int[] geneDetected) {
        long[] ptr = s.indptr();
        int[] idx = s.indices();
        long nonZero = 0;
        if (s.data() instanceof NumArray.F32 f32) {
            float[] vals = f32.values();
            for (int r = r0; r < r1; r++) {
                double total = 0;
                int detected = 0;
                for (int k = (int) ptr[r], e = (int) ptr[r + 1]; k < e; k++) {
                    float v = vals[k];
                    int c = idx[k];
                    total += v;
                    geneTotals[c] += v;
                    if (v != 0) {
                        detected++;
                        geneDetected[c]++;
                    }
                }
                cellTotals[row0 + r] += total;
                cellDetected[row0 + r] += detected;
                nonZero += detected;
            }
        } else {
            NumArray vals = s.data();
            for (int r = r0; r < r1; r++) {
                double total = 0;
                int detected = 0;
                for (int k = (int) ptr[r], e = (int) ptr[r + 1]; k < e; k++) {
                    double v = vals.get(k);
                    int c = idx[k];
                    total += v;
                    geneTotals[c] += v;
                    if (v != 0) {
                        detected++;
                        geneDetected[c]++;
                    }
                }
                cellTotals[row0 + r] += total;
                cellDetected[row0 + r] += detected;
                nonZero += detected;
            }
        }
        return nonZero;
    }
}
