package io.scgrn.anndata;

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
    public static QcStats compute(java.nio.file.Path file) {
        try (MatrixBlocks b = MatrixBlocks.openMain(file)) {
            return compute(b, DEFAULT_BLOCK_ROWS);
        }
    }

    /** One pass over row blocks of {@code blockRows} rows; memory is one block plus the four result arrays. */
    public static QcStats compute(MatrixBlocks blocks, int blockRows) {
        double[] cellTotals = new double[blocks.nRows()];
        int[] cellDetected = new int[blocks.nRows()];
        double[] geneTotals = new double[blocks.nCols()];
        int[] geneDetected = new int[blocks.nCols()];
        long nonZero = 0;
        int row0 = 0;
        for (Matrix m : blocks.rowBlocks(blockRows)) {
            if (m instanceof SparseMatrix s) {
                // row blocks are CSR
                for (int r = 0; r < s.nRows(); r++) {
                    for (long k = s.indptr()[r]; k < s.indptr()[r + 1]; k++) {
                        double v = s.data().get((int) k);
                        int c = s.indices()[(int) k];
                        cellTotals[row0 + r] += v;
                        geneTotals[c] += v;
                        if (v != 0) {
                            cellDetected[row0 + r]++;
                            geneDetected[c]++;
                            nonZero++;
                        }
                    }
                }
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
}
