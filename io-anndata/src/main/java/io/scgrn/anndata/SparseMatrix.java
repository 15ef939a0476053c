package io.scgrn.anndata;

import java.util.Arrays;
import java.util.Objects;

/**
 * A compressed sparse matrix, CSR (rows compressed: {@code indptr} has nRows+1 entries and {@code indices} are
 * column numbers) or CSC (columns compressed). Indices within a row (column) are not required to be sorted;
 * {@link #get} handles both.
 */
public record SparseMatrix(Layout layout, int nRows, int nCols, DType dtype, NumArray data, int[] indices,
                           long[] indptr) implements Matrix {

    public enum Layout { CSR, CSC }

    public SparseMatrix {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(indptr, "indptr");
        int major = layout == Layout.CSR ? nRows : nCols;
        if (indptr.length != major + 1) {
            throw new IllegalArgumentException("indptr has " + indptr.length + " entries, expected " + (major + 1));
        }
        if (data.length() != indices.length) {
            throw new IllegalArgumentException("data has " + data.length() + " values but indices "
                    + indices.length);
        }
    }

    /**
     * The non-zero values of a dense matrix in {@code layout}, as float32, indices ascending within each row (CSR)
     * or column (CSC).
     */
    public static SparseMatrix fromDense(DenseMatrix d, Layout layout) {
        boolean csr = layout == Layout.CSR;
        int major = csr ? d.nRows() : d.nCols();
        int minor = csr ? d.nCols() : d.nRows();
        int nc = d.nCols();
        long[] ptr = new long[major + 1];
        for (int i = 0; i < major; i++) {
            int count = 0;
            for (int j = 0; j < minor; j++) {
                if (d.values().getFloat(csr ? i * nc + j : j * nc + i) != 0) {
                    count++;
                }
            }
            ptr[i + 1] = ptr[i] + count;
        }
        int[] idx = new int[Math.toIntExact(ptr[major])];
        float[] val = new float[idx.length];
        int k = 0;
        for (int i = 0; i < major; i++) {
            for (int j = 0; j < minor; j++) {
                float v = d.values().getFloat(csr ? i * nc + j : j * nc + i);
                if (v != 0) {
                    idx[k] = j;
                    val[k++] = v;
                }
            }
        }
        return new SparseMatrix(layout, d.nRows(), d.nCols(), DType.FLOAT32, new NumArray.F32(val), idx, ptr);
    }

    @Override
    public long nnz() {
        return indices.length;
    }

    @Override
    public String encoding() {
        return layout == Layout.CSR ? "csr_matrix" : "csc_matrix";
    }

    @Override
    public double get(int row, int col) {
        int major = layout == Layout.CSR ? row : col;
        int minor = layout == Layout.CSR ? col : row;
        int from = (int) indptr[major];
        int to = (int) indptr[major + 1];
        for (int k = from; k < to; k++) {
            if (indices[k] == minor) {
                return data.get(k);
            }
        }
        return 0.0;
    }

    /** Number of stored entries in major slot {@code i} (row for CSR, column for CSC). */
    public int majorLength(int i) {
        return (int) (indptr[i + 1] - indptr[i]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseMatrix s && s.layout == layout && s.nRows == nRows && s.nCols == nCols
                && s.dtype == dtype && s.data.equals(data) && Arrays.equals(s.indices, indices)
                && Arrays.equals(s.indptr, indptr);
    }

    @Override
    public int hashCode() {
        return Objects.hash(layout, nRows, nCols, dtype, Arrays.hashCode(indptr));
    }
}
