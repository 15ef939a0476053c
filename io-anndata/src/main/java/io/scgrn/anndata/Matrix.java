package io.scgrn.anndata;

/**
 * A 2-D numeric matrix read from (or to be written to) a file: X, a layer, an obsm/varm entry or an obsp/varp
 * graph. Rows are observations (cells) for X, layers, obsm and obsp.
 */
public sealed interface Matrix permits DenseMatrix, SparseMatrix {
    int nRows();

    int nCols();

    /** The element type as stored in the file. */
    DType dtype();

    /** Stored entries: nRows*nCols for dense matrices. */
    long nnz();

    /** One value; O(1) for dense, O(log nnz-per-row) for sparse. */
    double get(int row, int col);

    /** The anndata encoding-type this matrix is read from / written as: array, csr_matrix or csc_matrix. */
    String encoding();

    /** Copy of row {@code row} as floats, length nCols. */
    default float[] rowAsFloats(int row) {
        float[] out = new float[nCols()];
        for (int c = 0; c < out.length; c++) {
            out[c] = (float) get(row, c);
        }
        return out;
    }
}
